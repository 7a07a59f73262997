import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { Identity } from '@tessera/identity'
import { openDatabase, type OpenDatabaseOptions } from '@tessera/store'
import { createTestPostgresUrl } from '@tessera/store/testing'

const ROOT = resolve(__dirname, '../../..')
const TSX = join(ROOT, 'node_modules/.bin/tsx')
const MAIN = join(ROOT, 'apps/cli/src/main.ts')

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** Runs the CLI in its own process, with `input` on standard input (closed after). */
function tessera(where: string[], args: string[], input = ''): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(TSX, [MAIN, ...args, ...where], {
      cwd: ROOT, env: { ...process.env, DATABASE_URL: '' },
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    child.on('error', fail)
    child.on('close', (code) => done({ code, stdout, stderr }))
    child.stdin.end(input)
  })
}

async function signsIn(options: OpenDatabaseOptions, username: string, password: string) {
  const database = await openDatabase(options)
  try {
    const signIn = await new Identity(database).login(username, password, { ip: 'test' })
    return signIn.user
  } finally {
    await database.close()
  }
}

const suites = [
  {
    name: 'pglite',
    async places() {
      const root = mkdtempSync(join(tmpdir(), 'tessera-cli-backup-'))
      const place = (dir: string) => ({
        args: ['--data-dir', join(root, dir)],
        options: { dataDir: join(root, dir, 'pglite') },
      })
      return { source: place('a'), target: place('b'), file: join(root, 'backup.tar.gz'), drop: async () => {} }
    },
  },
  {
    name: 'postgres',
    async places() {
      const [a, b] = [await createTestPostgresUrl(), await createTestPostgresUrl()]
      const place = (url: string) => ({ args: ['--database-url', url], options: { url } })
      const file = join(mkdtempSync(join(tmpdir(), 'tessera-cli-backup-')), 'backup.dump')
      return { source: place(a.url), target: place(b.url), file, drop: async () => { await a.drop(); await b.drop() } }
    },
  },
]

// The operator's commands, in separate processes: create the administrator
// without any web page, back up, restore elsewhere, and reset a password
// in the restored copy.
describe.each(suites)('tessera user, backup and restore on $name', (suite) => {
  let drop = async () => {}
  afterAll(() => drop())

  it('creates users, backs up, restores and resets a password', async () => {
    const { source, target, file, drop: dropPlaces } = await suite.places()
    drop = dropPlaces

    const noPassword = await tessera(source.args, ['user', 'create', 'boss'])
    expect(noPassword.code).not.toBe(0)
    expect(noPassword.stderr).toContain('--password-stdin')

    const weak = await tessera(source.args, ['user', 'create', 'boss', '--password-stdin', '--locale', 'en'], 'boss\n')
    expect(weak.code).toBe(1)
    expect(weak.stderr).toContain('at least 10 characters')

    const created = await tessera(source.args, ['user', 'create', 'Boss', '--admin', '--display-name', '老板', '--password-stdin'], 'amber-harbour-77\n')
    expect(created.stderr).toBe('')
    expect(created.stdout).toContain('created user boss')
    expect(await signsIn(source.options, 'boss', 'amber-harbour-77')).toMatchObject({ admin: true, displayName: '老板' })

    const backup = await tessera(source.args, ['backup', file])
    expect(backup.stdout).toContain(`to ${file}`)
    const restored = await tessera(target.args, ['restore', file])
    expect(restored.stdout).toContain('restored')
    const again = await tessera(target.args, ['restore', file])
    expect(again.code).toBe(1)

    const listed = JSON.parse((await tessera(target.args, ['user', 'list', '--json'])).stdout)
    expect(listed).toEqual([expect.objectContaining({ username: 'boss', admin: true })])

    const reset = await tessera(target.args, ['user', 'reset-password', 'BOSS', '--password-stdin'], 'river-stone-2026\n')
    expect(reset.stdout).toContain('set a new password for boss')
    expect(await signsIn(target.options, 'boss', 'river-stone-2026')).toMatchObject({ username: 'boss' })
    await expect(signsIn(target.options, 'boss', 'amber-harbour-77')).rejects.toMatchObject({ code: 'auth.invalid' })
    expect(await signsIn(source.options, 'boss', 'amber-harbour-77')).toMatchObject({ username: 'boss' })
  }, 180_000)
})
