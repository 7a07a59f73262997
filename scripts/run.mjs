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
const vitest = join(root, 'node_modules/.bin/vitest')
const E2E = 'apps/web/test/e2e/**'

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
    if (rest.length > 0) {
      run(vitest, ['run', ...rest])
    } else {
      // Browser tests run after the rest, one file at a time: a headless
      // Chromium next to two busy test workers on a 2-core machine made
      // their timing depend on what else was running.
      run(vitest, ['run', '--exclude', E2E])
      run(vitest, ['run', 'apps/web/test/e2e', '--no-file-parallelism'])
    }
    break
  default:
    console.error('usage: node scripts/run.mjs start|test [args]')
    process.exit(2)
}
