import { execFile } from 'node:child_process'
import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { Dec } from '@tessera/core'
import { openDatabase } from '@tessera/store'

const run = promisify(execFile)
const ROOT = resolve(__dirname, '../../..')
const TSX = join(ROOT, 'node_modules/.bin/tsx')
const MAIN = join(ROOT, 'apps/cli/src/main.ts')
const SAMPLE = process.env.TESSERA_SAMPLE_CSV ?? resolve(ROOT, '../shared/data/ar-sample.csv')
const hasSample = existsSync(SAMPLE)
if (!hasSample) console.warn(`SKIPPED: the CLI ledger test needs ${SAMPLE}, which is absent`)

async function tessera(dataDir: string, ...args: string[]) {
  const { stdout } = await run(TSX, [MAIN, ...args, '--data-dir', dataDir], {
    cwd: ROOT, env: { ...process.env, DATABASE_URL: '' }, maxBuffer: 16 * 1024 * 1024,
  })
  return stdout
}

// The command line on embedded PGlite, in separate processes sharing one
// data folder, as an operator would use it.
describe.skipIf(!hasSample)('tessera on the command line', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tessera-cli-'))

  it('installs the template, imports the ledger and prints the aging', async () => {
    expect(await tessera(dataDir, 'install', 'customer-settlement')).toContain('installed app customer-settlement')

    const imported = await tessera(dataDir, 'import', 'customer-settlement/ledger', SAMPLE, '--json')
    expect(JSON.parse(imported)).toMatchObject({ status: 'succeeded', rows: 2466 })

    const json = JSON.parse(await tessera(dataDir, 'report', 'customer-settlement/aging_buckets', '--as-of', '2013-06-30', '--json', '--locale', 'en'))
    expect(json.params).toEqual({ asOf: '2013-06-30' })
    expect(json.rows.map((r: { bucket: string }) => r.bucket)).toEqual(['Not due', '1–30 days', '31–60 days', '61–90 days', 'Over 90 days'])

    const table = await tessera(dataDir, 'report', 'customer-settlement/aging_buckets', '--as-of', '2013-06-30')
    const lines = table.trim().split('\n')
    expect(lines[0]).toBe('customer-settlement/aging_buckets  (asOf = 2013-06-30)')
    expect(lines[2]).toMatch(/^账龄\s+未收金额\s+发票数$/)
    // Money is printed from the exact decimal string, with separators.
    const notDue = lines.find((l) => l.startsWith('未到期'))!
    const open = json.rows[0].open as string
    expect(notDue.replace(/,/g, '')).toContain(open)

    // A period reads from..to; rates as percentages, their change in points.
    const period = ['--param', 'period=2013-06-01..2013-06-30']
    const rates = JSON.parse(await tessera(dataDir, 'report', 'customer-settlement/collection_rate', ...period, '--json'))
    const rateTable = (await tessera(dataDir, 'report', 'customer-settlement/collection_rate', ...period, '--locale', 'en')).trim().split('\n')
    expect(rateTable[0]).toBe('customer-settlement/collection_rate  (period = 2013-06-01..2013-06-30)')
    const rateColumns = rates.columns as { key: string; ratio?: boolean; points?: boolean }[]
    const ratio = rateColumns.find((c) => c.ratio && !c.points)!
    const points = rateColumns.find((c) => c.points)!
    const percent = (fraction: string) => new Dec(fraction).times(100).toFixed(2)
    expect(rateTable[4]).toContain(`${percent(rates.rows[0][ratio.key])} %`)
    expect(rateTable[4]).toContain(`${percent(rates.rows[0][points.key])} pp`)
  }, 180_000)

  it('computes constraint totals afresh after rows were changed with SQL', async () => {
    const receiptTotals = async (change?: string) => {
      const database = await openDatabase({ dataDir: join(dataDir, 'pglite') })
      try {
        if (change) await sql.raw(change).execute(database.db)
        const { rows } = await sql<{ wrong: number; kept: number }>`
          select count(*) filter (where r._total__allocation__within_receipt <> coalesce(
              (select sum(a.amount) from customer_settlement.allocation a where a.receipt_id = r.id), 0))::int as wrong,
            count(*) filter (where r._total__allocation__within_receipt > 0)::int as kept
          from customer_settlement.receipt r`.execute(database.db)
        return rows[0]
      } finally {
        await database.close()
      }
    }
    const before = await receiptTotals()
    expect(before.wrong).toBe(0)
    expect(before.kept).toBeGreaterThan(100)
    expect((await receiptTotals('update customer_settlement.allocation set amount = amount + 1')).wrong).toBe(before.kept)

    const out = await tessera(dataDir, 'totals', 'customer-settlement')
    expect(out).toContain('customer-settlement/allocation.within_receipt')
    expect(await receiptTotals()).toEqual(before)
  }, 120_000)

  it('computes the stored rollups and formulas afresh after rows were changed with SQL', async () => {
    // The test above added 1 to every allocation with SQL: the invoices'
    // stored allocated sums and open amounts are behind.
    const stale = async () => {
      const database = await openDatabase({ dataDir: join(dataDir, 'pglite') })
      try {
        const { rows } = await sql<{ wrong: number; open: string }>`
          select count(*) filter (where i.allocated_total <> coalesce(a.total, 0)
              or i.open_amount <> i.amount - coalesce(a.total, 0) - i.written_off)::int as wrong,
            sum(i.open_amount)::text as open
          from customer_settlement.invoice i
          left join (select invoice_id, sum(amount) as total from customer_settlement.allocation
                     group by invoice_id) a on a.invoice_id = i.id`.execute(database.db)
        return rows[0]
      } finally {
        await database.close()
      }
    }
    const before = await stale()
    expect(before.wrong).toBeGreaterThan(100)

    const out = await tessera(dataDir, 'recompute', 'customer-settlement')
    expect(out).toContain('customer-settlement/invoice: 3 rollup(s), 3 formula(s)')
    expect(out).toContain('customer-settlement/allocation.within_receipt')
    // A receipt allocated in full now carries 1.00 more per allocation than it holds: said, not hidden.
    expect(out).toMatch(/warning: \d+ record\(s\) now over the limit of customer-settlement\/allocation\.within_receipt/)
    const after = await stale()
    expect(after.wrong).toBe(0)
    expect(after.open).not.toBe(before.open)
  }, 120_000)

  it('installs the template again without taking back what was changed in the app, and says so', async () => {
    const database = await openDatabase({ dataDir: join(dataDir, 'pglite') })
    try {
      // As if an administrator (user 7) had saved the dashboard in the web app.
      await sql`update tessera.meta_item set updated_by = '7' where kind = 'dashboard' and key = 'receivables'`.execute(database.db)
    } finally {
      await database.close()
    }
    const out = await tessera(dataDir, 'install', 'customer-settlement')
    expect(out).toContain('installed app customer-settlement: 0 form version(s) published')
    expect(out).toContain('kept as changed in the app (by 7): dashboard receivables')
  }, 120_000)

  it('closes the periods through a date, refuses a dated write in them, and reopens', async () => {
    expect(await tessera(dataDir, 'close')).toBe('no period is closed\n')
    expect(await tessera(dataDir, 'close', '2013-03-31')).toBe('periods closed through 2013-03-31 (before: none closed)\n')
    expect(JSON.parse(await tessera(dataDir, 'close', '--json'))).toEqual({ closedThrough: '2013-03-31' })
    // An import of the sample (dated 2013) now fails on its closed lines, on the date columns.
    const refused = tessera(dataDir, 'import', 'customer-settlement/ledger', SAMPLE, '--json')
    const out = await refused.then(() => '', (error: { code: number; stdout: string }) => {
      expect(error.code).toBe(1)
      return error.stdout
    })
    const rejected = JSON.parse(out)
    expect(rejected.status).toBe('rejected')
    expect(rejected.errors[0].message).toContain('在已结账期间内（已结账至 2013-03-31）')
    expect(await tessera(dataDir, 'close', '2013-02-28')).toBe('periods closed through 2013-02-28; 2013-03-01..2013-03-31 reopened (they were closed through 2013-03-31)\n')
    const future = tessera(dataDir, 'close', '2999-01-01')
    await expect(future).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('只能结账已经结束的日期') })
    expect(await tessera(dataDir, 'close', '--reopen')).toBe('every period reopened (they were closed through 2013-02-28)\n')
    expect(await tessera(dataDir, 'close')).toBe('no period is closed\n')
  }, 120_000)

  it('says what is wrong with a bad command, with a non-zero exit', async () => {
    const attempt = tessera(dataDir, 'report', 'customer-settlement/aging', '--as-of', '2013-02-30')
    await expect(attempt).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('asOf') })
    const unknownApp = tessera(dataDir, 'totals', 'no-such-app')
    await expect(unknownApp).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('no-such-app') })
    const unknownToRecompute = tessera(dataDir, 'recompute', 'no-such-app')
    await expect(unknownToRecompute).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('no-such-app') })
    const extra = tessera(dataDir, 'recompute', 'customer-settlement', 'extra')
    await expect(extra).rejects.toMatchObject({ stderr: expect.stringContaining('at most one app') })
    expect(await tessera(dataDir, 'help')).toContain('recompute [app]')
    const missing = tessera(dataDir, 'import', 'customer-settlement/ledger', join(dataDir, 'nope.csv'))
    await expect(missing).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('no file at') })
  }, 120_000)
})
