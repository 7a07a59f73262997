#!/usr/bin/env node
// The README's two commands, `npm start` and `npm test`, land here. A fresh
// machine has Node.js and npm only, so this brings the pinned pnpm through
// npx, installs the workspace, builds the web app and then starts the product
// or runs every test.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const PNPM = 'pnpm@9.15.9'
const [command, ...rest] = process.argv.slice(2)

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...options })
  if (result.error) throw result.error
  if (result.status !== 0) process.exit(result.status ?? 1)
}

function pnpm(...args) {
  run('npx', ['--yes', PNPM, ...args])
}

function install() {
  const installed = existsSync(join(root, 'node_modules/.modules.yaml'))
  pnpm('install', '--frozen-lockfile', ...(installed ? ['--prefer-offline'] : []))
}

function buildWeb() {
  pnpm('--filter', '@tessera/web', 'build')
}

const tsx = join(root, 'node_modules/.bin/tsx')

switch (command) {
  case 'start':
    install()
    buildWeb()
    run(tsx, ['apps/cli/src/main.ts', 'start', ...rest])
    break
  case 'test':
    install()
    pnpm('exec', 'turbo', 'run', 'typecheck', '--output-logs=errors-only')
    buildWeb()
    run(join(root, 'node_modules/.bin/vitest'), ['run', ...rest])
    break
  default:
    console.error('usage: node scripts/run.mjs start|test [args]')
    process.exit(2)
}
