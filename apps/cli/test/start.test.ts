import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '@tessera/core'
import { Platform } from '@tessera/platform'
import { openDatabase } from '@tessera/store'

const ROOT = resolve(__dirname, '../../..')
const TSX = join(ROOT, 'node_modules/.bin/tsx')
const MAIN = join(ROOT, 'apps/cli/src/main.ts')
const run = promisify(execFile)

/** Runs `tessera start` until it prints its address, then stops it; gives what it printed. */
async function startOnce(dataDir: string): Promise<string> {
  const port = String(20_000 + Math.floor(Math.random() * 20_000))
  const child = spawn(TSX, [MAIN, 'start', '--data-dir', dataDir, '--size', '30', '--port', port], {
    cwd: ROOT, env: { ...process.env, DATABASE_URL: '' },
  })
  let output = ''
  try {
    await new Promise<void>((done, failed) => {
      child.stdout.on('data', (chunk) => {
        output += String(chunk)
        if (output.includes(`Open http://127.0.0.1:${port}/`)) done()
      })
      child.stderr.on('data', (chunk) => { output += String(chunk) })
      child.on('exit', (code) => failed(new Error(`start ended with ${code} before serving:\n${output}`)))
    })
  } finally {
    const ended = new Promise((done) => child.once('exit', done))
    child.kill('SIGTERM')
    await ended
  }
  return output
}

async function inApp<T>(dataDir: string, fn: (platform: Platform) => Promise<T>): Promise<T> {
  const platform = new Platform(await openDatabase({ dataDir: join(dataDir, 'pglite') }))
  try {
    return await fn(platform)
  } finally {
    await platform.close()
  }
}

describe('tessera start', () => {
  it('loads sample data into an app with no records, and never over records entered since', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'tessera-start-'))
    await run(TSX, [MAIN, 'install', 'customer-settlement', '--data-dir', dataDir], { cwd: ROOT, env: { ...process.env, DATABASE_URL: '' } })
    // A customer entered by hand, with the code the first sample customer has.
    await inApp(dataDir, (platform) => platform.records.create(SYSTEM_ACTOR, 'customer-settlement', 'customer', {
      code: 'C00001', name: '真实客户有限公司', credit_limit: '10.00', payment_terms: 7,
    }))

    const output = await startOnce(dataDir)
    // Secrets work with no setting: a key of its own in the data folder, kept for the next start.
    const key = join(dataDir, 'secret.key')
    expect(existsSync(key)).toBe(true)
    const made = readFileSync(key, 'utf8')
    expect(output).not.toContain('demo')
    const stored = await inApp(dataDir, async (platform) => (await sql<{ name: string; credit_limit: string; invoices: number }>`
      select name, credit_limit::text as credit_limit,
             (select count(*)::int from customer_settlement.invoice) as invoices
      from customer_settlement.customer`.execute(platform.database.db)).rows)
    expect(stored).toEqual([{ name: '真实客户有限公司', credit_limit: '10.00', invoices: 0 }])

    // demo, asked for outright, still does not load over them without --force.
    const demo = await new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = spawn(TSX, [MAIN, 'demo', 'customer-settlement', '--size', '20', '--data-dir', dataDir], { cwd: ROOT, env: { ...process.env, DATABASE_URL: '' } })
      let stderr = ''
      child.stderr.on('data', (chunk) => { stderr += String(chunk) })
      child.on('exit', (code) => done({ code, stderr }))
    })
    expect(demo.code).toBe(2)
    expect(demo.stderr).toContain('already holds records, and demo data would overwrite those with the same codes')
    const after = await inApp(dataDir, async (platform) => (await sql<{ name: string }>`
      select name from customer_settlement.customer`.execute(platform.database.db)).rows)
    expect(after).toEqual([{ name: '真实客户有限公司' }])

    // The next start reads the same key (secrets sealed with it stay readable).
    await startOnce(dataDir)
    expect(readFileSync(key, 'utf8')).toBe(made)

    // A fresh folder gets the sample ledger.
    const fresh = mkdtempSync(join(tmpdir(), 'tessera-start-'))
    await startOnce(fresh)
    const invoices = await inApp(fresh, async (platform) => (await sql<{ n: number }>`
      select count(*)::int as n from customer_settlement.invoice`.execute(platform.database.db)).rows[0].n)
    expect(invoices).toBe(30)
  }, 180_000)
})

describe('paths on the command line', () => {
  it('reads ./data and named files from where the command was typed, though npm runs it in the repository root', async () => {
    const typedIn = mkdtempSync(join(tmpdir(), 'tessera-typed-'))
    await run(TSX, [MAIN, 'install', 'customer-settlement'], {
      cwd: ROOT, env: { ...process.env, DATABASE_URL: '', TESSERA_DATA_DIR: '', INIT_CWD: typedIn },
    })
    expect(existsSync(join(typedIn, 'data', 'pglite'))).toBe(true)
    await run(TSX, [MAIN, 'backup', 'copy.tar.gz'], {
      cwd: ROOT, env: { ...process.env, DATABASE_URL: '', TESSERA_DATA_DIR: '', INIT_CWD: typedIn },
    })
    expect(existsSync(join(typedIn, 'copy.tar.gz'))).toBe(true)
  }, 120_000)
})

describe('bad arguments and settings on the command line', () => {
  const attempt = (args: string[], env: Record<string, string> = {}, input?: string) => new Promise<{ code: number | null; stderr: string }>((done) => {
    const child = spawn(TSX, [MAIN, ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: '', ...env } })
    let stderr = ''
    child.stderr.on('data', (chunk) => { stderr += String(chunk) })
    child.on('exit', (code) => done({ code, stderr }))
    child.stdin.end(input ?? '')
  })

  it('refuses a bad flag before it writes anything, in one line', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'tessera-args-')), 'data')
    for (const [args, said] of [
      [['serve', '--port', 'abc'], '--port takes a whole number from 1 to 65535, got "abc"'],
      [['demo', 'customer-settlement', '--size', 'abc'], '--size takes a whole number from 1 to 1000000, got "abc"'],
      [['demo', 'customer-settlement', '--seed', 'x1'], '--seed takes a whole number, got "x1"'],
      [['start', '--size', '0'], '--size takes a whole number from 1 to 1000000, got "0"'],
      [['start', '--size', '1e3'], '--size takes a whole number from 1 to 1000000, got "1e3"'],
      [['serve', '--port', ' 0x10 '], '--port takes a whole number from 1 to 65535, got " 0x10 "'],
      [['user', 'create', 'wang', '--department', 'abc', '--password-stdin'], '--department takes a department\'s id (a whole number from 1), got "abc"'],
    ] as const) {
      const { code, stderr } = await attempt([...args, '--data-dir', dir])
      expect(code, args.join(' ')).toBe(2)
      expect(stderr.trim()).toBe(`tessera: ${said}`)
    }
    expect(existsSync(dir)).toBe(false)
    const twice = await attempt(['report', 'customer-settlement/aging', '--as-of', '2026-06-30', '--param', 'asOf=2026-05-31', '--data-dir', dir])
    expect(twice.stderr.trim()).toBe('tessera: asOf is given twice (--as-of and --param asOf=…); give it once')
    const port = await attempt(['serve', '--data-dir', dir], { PORT: '70000' })
    expect(port.stderr.trim()).toBe('tessera: PORT takes a whole number from 1 to 65535, got "70000"')
  }, 120_000)

  it('names an unusable database or folder without a stack', async () => {
    const root = mkdtempSync(join(tmpdir(), 'tessera-args-'))
    const cases: Array<[string[], Record<string, string>, string]> = [
      [['user', 'list'], { DATABASE_URL: 'notaurl' }, 'must be a PostgreSQL address'],
      [['user', 'list'], { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/tessera_no_such_database' }, '(create it first: createdb)'],
      [['user', 'list', '--data-dir', join(root, 'file', 'data')], {}, `cannot make the folder ${join(root, 'file', 'data', 'pglite')}: a file is in its way`],
    ]
    writeFileSync(join(root, 'file'), 'a file, not a folder')
    for (const [args, env, said] of cases) {
      const { code, stderr } = await attempt(args, env, 'a-long-password-2026!\n')
      expect(code, args.join(' ')).toBe(1)
      expect(stderr).toContain(said)
      expect(stderr, args.join(' ')).not.toMatch(/\n\s+at /)
    }
  }, 120_000)
})
