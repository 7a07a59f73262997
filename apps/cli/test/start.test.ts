import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
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
    expect(output).not.toContain('demo')
    const stored = await inApp(dataDir, async (platform) => (await sql<{ name: string; credit_limit: string; invoices: number }>`
      select name, credit_limit::text as credit_limit,
             (select count(*)::int from customer_settlement.invoice) as invoices
      from customer_settlement.customer`.execute(platform.database.db)).rows)
    expect(stored).toEqual([{ name: '真实客户有限公司', credit_limit: '10.00', invoices: 0 }])

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
