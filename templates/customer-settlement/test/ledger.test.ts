import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '@tessera/core'
import { Platform } from '@tessera/platform'
import { databaseSuites } from '@tessera/store/testing'
import { BUCKET_LABELS_EN, expectedAging, readSample, type Bucket } from './expected-aging.js'

const TEMPLATE = resolve(__dirname, '..')
// The sample's licence is unstated, so it is never copied into the
// repository: it is read from the shared folder beside it.
const SAMPLE = process.env.TESSERA_SAMPLE_CSV ?? resolve(__dirname, '../../../../shared/data/ar-sample.csv')
const hasSample = existsSync(SAMPLE)
if (!hasSample) console.warn(`SKIPPED: the real-ledger tests need ${SAMPLE}, which is absent`)

// The last date lies after every settlement: nothing is open then.
const AS_OF = ['2012-06-30', '2013-06-30', '2013-12-31', '2014-03-15']

describe.skipIf(!hasSample).each(databaseSuites())('the public sample ledger on $name', (suite) => {
  let platform: Platform

  beforeAll(async () => {
    platform = new Platform(await suite.open())
    await platform.installTemplate(TEMPLATE, SYSTEM_ACTOR)
  })
  afterAll(() => platform?.close())

  it('imports every row into linked customers, invoices, receipts and allocations', async () => {
    const result = await platform.runImport('customer-settlement', 'ledger', SAMPLE, { actor: SYSTEM_ACTOR })
    expect(result.errors).toEqual([])
    expect(result.status).toBe('succeeded')
    expect(result.rows).toBe(2466)
    expect(result.forms.customer.created).toBe(100)
    expect(result.forms.invoice.created).toBe(2466)
    expect(result.forms.receipt.created).toBe(2466)
    expect(result.forms.allocation.created).toBe(2466)

    const { rows } = await sql<{ n: number; total: string }>`
      select count(*)::int as n, sum(amount)::text as total from customer_settlement.invoice
    `.execute(platform.database.db)
    const sample = readSample(SAMPLE)
    const total = sample.reduce((sum, i) => sum + i.cents, 0n)
    expect(rows[0].n).toBe(2466)
    expect(rows[0].total).toBe(`${total / 100n}.${String(total % 100n).padStart(2, '0')}`)
  })

  it('changes nothing when the same file is imported again', async () => {
    const again = await platform.runImport('customer-settlement', 'ledger', SAMPLE, { actor: SYSTEM_ACTOR })
    expect(again.status).toBe('succeeded')
    for (const form of ['customer', 'invoice', 'receipt', 'allocation']) {
      expect(again.forms[form]).toMatchObject({ created: 0, updated: 0 })
    }
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from customer_settlement.allocation`
      .execute(platform.database.db)
    expect(rows[0].n).toBe(2466)

    // The invoices' stored settlement figures still sum their allocations:
    // a re-import leaves rollups over other forms to their own upkeep.
    const { rows: off } = await sql<{ n: number }>`
      select count(*)::int as n from customer_settlement.invoice i
      where i.allocated_total is distinct from (select coalesce(sum(a.amount), 0)
        from customer_settlement.allocation a where a.invoice_id = i.id)
        or i.open_amount is distinct from i.amount - i.allocated_total - i.written_off`
      .execute(platform.database.db)
    expect(off[0].n).toBe(0)
    const { rows: paid } = await sql<{ n: number }>`
      select count(*)::int as n from customer_settlement.invoice where allocated_total > 0`
      .execute(platform.database.db)
    expect(paid[0].n).toBeGreaterThan(2000)
  })

  it.each(AS_OF)('ages the ledger as of %s exactly as plain code does', async (asOf) => {
    const expected = expectedAging(readSample(SAMPLE), asOf)

    const buckets = await platform.runReport(SYSTEM_ACTOR, 'customer-settlement', 'aging_buckets', { asOf }, 'en')
    const byLabel = new Map(buckets.rows.map((r) => [r.bucket, r]))
    for (const [bucket, label] of Object.entries(BUCKET_LABELS_EN) as [Bucket, string][]) {
      expect(byLabel.get(label)).toMatchObject({
        open: expected.byBucket[bucket].open,
        invoices: expected.byBucket[bucket].invoices,
      })
    }

    const summary = await platform.runReport(SYSTEM_ACTOR, 'customer-settlement', 'receivables_summary', { asOf }, 'en')
    expect(summary.rows[0]).toMatchObject({
      open: expected.total,
      overdue: expected.overdue,
      invoices: expected.openInvoices,
    })

    const aging = await platform.runReport(SYSTEM_ACTOR, 'customer-settlement', 'aging', { asOf }, 'en')
    const labelToBucket = new Map(Object.entries(BUCKET_LABELS_EN).map(([b, l]) => [l, b]))
    const got = new Map(aging.rows.map((r) => [`${r.customer}|${labelToBucket.get(String(r.bucket))}`, r.open]))
    expect(got).toEqual(expected.byCustomerBucket)
  })

  it('rejects a file with bad rows, naming line and column, and writes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-import-'))
    const bad = join(dir, 'bad.csv')
    writeFileSync(bad, [
      'countryCode,customerID,PaperlessDate,invoiceNumber,InvoiceDate,DueDate,InvoiceAmount,Disputed,SettledDate,PaperlessBill,DaysToSettle,DaysLate',
      '391,NEW-CUSTOMER,4/6/2013,X-0001,1/2/2013,2/1/2013,55.94,No,1/15/2013,Paper,13,0',
      '391,NEW-CUSTOMER,4/6/2013,X-0002,2/30/2013,3/1/2013,10.00,No,,Paper,0,0',
      '391,NEW-CUSTOMER,4/6/2013,X-0003,2/1/2013,3/1/2013,abc,Maybe,,Paper,0,0',
    ].join('\n'))
    const before = await sql<{ n: number }>`select count(*)::int as n from customer_settlement.customer`
      .execute(platform.database.db)

    const result = await platform.runImport('customer-settlement', 'ledger', bad, { actor: SYSTEM_ACTOR })
    expect(result.status).toBe('rejected')
    expect(result.errors.map((e) => [e.line, e.column])).toEqual([
      [3, 'InvoiceDate'],
      [4, 'InvoiceAmount'],
      [4, 'Disputed'],
    ])
    expect(result.errors[0].message).toContain('M/D/YYYY')

    const after = await sql<{ n: number }>`select count(*)::int as n from customer_settlement.customer`
      .execute(platform.database.db)
    expect(after.rows[0].n).toBe(before.rows[0].n)
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from customer_settlement.invoice where number like 'X-%'`
      .execute(platform.database.db)
    expect(rows[0].n).toBe(0)
  })
})
