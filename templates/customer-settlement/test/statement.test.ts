import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Dec, SYSTEM_ACTOR } from '@tessera/core'
import { Platform, loadDemo } from '@tessera/platform'
import { databaseSuites } from '@tessera/store/testing'

const TEMPLATE = resolve(__dirname, '..')
const APP = 'customer-settlement'

/**
 * The customer statement (客户对账单): each customer's opening balance,
 * invoices, receipts and write-offs of a period, and the closing balance —
 * invoiced less received less written off, a receipt counting when it
 * arrives whether or not it is allocated yet.
 */
describe.each(databaseSuites())('the customer statement on $name', (suite) => {
  let platform: Platform
  const create = async (form: string, values: Record<string, unknown>) =>
    (await platform.records.create(SYSTEM_ACTOR, APP, form, values)).id
  const statement = async (period: string) =>
    (await platform.runReport(SYSTEM_ACTOR, APP, 'customer_statement', { period }, 'zh-CN')).rows

  beforeAll(async () => {
    platform = new Platform(await suite.open())
    await platform.installTemplate(TEMPLATE, SYSTEM_ACTOR)
  })
  afterAll(() => platform?.close())

  it('gives each customer\'s opening balance, movements and closing balance of a period, exactly', async () => {
    const east = await create('customer', { code: 'S001', name: '对账甲公司', payment_terms: 30 })
    const west = await create('customer', { code: 'S002', name: '对账乙公司', payment_terms: 30 })
    await create('customer', { code: 'S003', name: '对账丙公司（无往来）', payment_terms: 30 })
    const october = await create('invoice', {
      number: 'INV-S-1', customer: east, invoice_date: '2026-10-10', due_date: '2026-11-09', amount: '1000.10',
    })
    const november = await create('invoice', {
      number: 'INV-S-2', customer: east, invoice_date: '2026-11-03', due_date: '2026-12-03', amount: '500.00',
    })
    await create('invoice', {
      number: 'INV-S-3', customer: east, invoice_date: '2026-12-01', due_date: '2026-12-31', amount: '77.00',
    })
    const westInvoice = await create('invoice', {
      number: 'INV-S-4', customer: west, invoice_date: '2026-11-30', due_date: '2026-12-30', amount: '0.30',
    })
    // Paid in October in part, in November the rest; one receipt not yet allocated at all.
    const first = await create('receipt', { number: 'RC-S-1', customer: east, date: '2026-10-20', amount: '400.00' })
    await create('allocation', { receipt: first, invoice: october, date: '2026-10-20', amount: '400.00' })
    const second = await create('receipt', { number: 'RC-S-2', customer: east, date: '2026-11-15', amount: '600.00' })
    await create('allocation', { receipt: second, invoice: october, date: '2026-11-16', amount: '600.00' })
    await create('receipt', { number: 'RC-S-3', customer: east, date: '2026-11-28', amount: '123.45' })
    await create('write_off', { invoice: october, date: '2026-11-20', amount: '0.10', reason: 'rounding' })
    await create('write_off', { invoice: november, date: '2026-12-02', amount: '50.00', reason: 'discount' })
    await create('write_off', { invoice: westInvoice, date: '2026-11-30', amount: '0.30', reason: 'rounding' })

    expect(await statement('2026-11-01..2026-11-30')).toEqual([
      { code: 'S001', customer: '对账甲公司', opening: '600.10', invoiced: '500.00', received: '723.45', written_off: '0.10', closing: '376.55' },
      // Invoiced and written off within the month: movements, and nothing left.
      { code: 'S002', customer: '对账乙公司', opening: '0.00', invoiced: '0.30', received: '0.00', written_off: '0.30', closing: '0.00' },
    ])
    // The next month opens where November closed.
    expect(await statement('2026-12-01..2026-12-31')).toEqual([
      { code: 'S001', customer: '对账甲公司', opening: '376.55', invoiced: '77.00', received: '0.00', written_off: '50.00', closing: '403.55' },
    ])
    // Before any document: no customer has anything to state.
    expect(await statement('2026-09-01..2026-09-30')).toEqual([])

    // The ledger: the same month line by line, from the opening balance to the closing one.
    const ledger = async (customer: string, period: string) =>
      (await platform.runReport(SYSTEM_ACTOR, APP, 'customer_ledger', { customer, period }, 'zh-CN')).rows
    const line = (date: string, document: unknown, kind: string, debit: string, credit: string, balance: string) =>
      ({ date, document, kind, debit, credit, balance })
    // The opening line shows the balance only: its debit and credit are before the period, and left
    // out (0.00), so the columns' totals are the period's (the statement's invoiced, received and written off).
    // The movement the balance runs over (the opening line's is the opening balance) is no column:
    // a total of it would read as the period's net movement.
    const novemberLines = [
      { date: '2026-10-31', document: '期初余额', kind: '', debit: '0.00', credit: '0.00', balance: '600.10' },
      line('2026-11-03', 'INV-S-2', '发票', '500.00', '0.00', '1100.10'),
      line('2026-11-15', 'RC-S-2', '收款', '0.00', '600.00', '500.10'),
      line('2026-11-20', expect.stringMatching(/^WO-2026-\d{4}$/), '冲减', '0.00', '0.10', '500.00'),
      line('2026-11-28', 'RC-S-3', '收款', '0.00', '123.45', '376.55'),
    ]
    expect(await ledger('对账甲公司', '2026-11-01..2026-11-30')).toEqual(novemberLines)
    const { columns } = await platform.runReport(SYSTEM_ACTOR, APP, 'customer_ledger',
      { customer: '对账甲公司', period: '2026-11-01..2026-11-30' }, 'zh-CN')
    expect(columns.map((one) => one.key)).toEqual(['date', 'document', 'kind', 'debit', 'credit', 'balance'])
    // Its columns total as the statement's row: debits 500.00 invoiced, credits 723.45 received and 0.10 written off.
    const column = (key: 'debit' | 'credit') => novemberLines.reduce((sum, row) => sum.plus(row[key]), new Dec(0)).toFixed(2)
    expect([column('debit'), column('credit')]).toEqual(['500.00', '723.55'])
    // By name only: a code names no customer here (another customer may be named like it).
    expect(await ledger('S001', '2026-11-01..2026-11-30')).toEqual([])
    expect(await ledger('对账乙公司', '2026-11-01..2026-11-30')).toEqual([
      line('2026-11-30', 'INV-S-4', '发票', '0.30', '0.00', '0.30'),
      line('2026-11-30', expect.stringMatching(/^WO-2026-\d{4}$/), '冲减', '0.00', '0.30', '0.00'),
    ])
    expect(await ledger('没有这个客户', '2026-11-01..2026-11-30')).toEqual([])
    // In English its fixed texts are English.
    const english = (await platform.runReport(SYSTEM_ACTOR, APP, 'customer_ledger',
      { customer: '对账甲公司', period: '2026-11-01..2026-11-30' }, 'en')).rows
    expect(english.map((row) => [row.document, row.kind]).slice(0, 3))
      .toEqual([['Opening balance', ''], ['INV-S-2', 'Invoice'], ['RC-S-2', 'Receipt']])
    expect(english.map((row) => row.balance)).toEqual(novemberLines.map((row) => row.balance))
    // The customer is asked for: without one the ledger does not run.
    const missing = await platform.runReport(SYSTEM_ACTOR, APP, 'customer_ledger', { period: '2026-11-01..2026-11-30' }, 'zh-CN')
      .catch((error: unknown) => error)
    expect(missing).toMatchObject({ code: 'report.param_invalid' })
  })

  it('closes each customer at the open invoices less the unallocated receipts of the same day, on a generated ledger', async () => {
    await loadDemo(platform, TEMPLATE, {
      outDir: mkdtempSync(join(tmpdir(), 'tessera-statement-')), size: 300, end: '2026-06-30', actor: SYSTEM_ACTOR,
    })
    for (const [period, asOf] of [['2026-05-01..2026-05-31', '2026-05-31'], ['2026-06-01..2026-06-30', '2026-06-30']]) {
      const rows = await statement(period)
      const open = new Map<string, Dec>()
      for (const row of (await platform.runReport(SYSTEM_ACTOR, APP, 'aging', { asOf }, 'zh-CN')).rows) {
        const name = String(row.customer)
        open.set(name, (open.get(name) ?? new Dec(0)).plus(String(row.open)))
      }
      for (const row of (await platform.runReport(SYSTEM_ACTOR, APP, 'unallocated_receipts', { asOf }, 'zh-CN')).rows) {
        const name = String(row.customer)
        open.set(name, (open.get(name) ?? new Dec(0)).minus(String(row.unallocated)))
      }
      const expected = [...open].filter(([, amount]) => !amount.isZero())
        .map(([name, amount]) => [name, amount.toFixed(2)]).sort()
      const closing = rows.filter((row) => !new Dec(String(row.closing)).isZero())
        .map((row) => [String(row.customer), String(row.closing)]).sort()
      expect(closing.length).toBeGreaterThan(10)
      expect(closing).toEqual(expected)
      // Each row adds up: opening + invoiced − received − written off = closing.
      for (const row of rows) {
        const sum = new Dec(String(row.opening)).plus(String(row.invoiced)).minus(String(row.received))
          .minus(String(row.written_off))
        expect(sum.toFixed(2), String(row.customer)).toBe(row.closing)
      }
    }
    // Each customer's ledger ends at the statement's closing balance.
    for (const row of (await statement('2026-06-01..2026-06-30')).slice(0, 5)) {
      const lines = (await platform.runReport(SYSTEM_ACTOR, APP, 'customer_ledger',
        { customer: String(row.customer), period: '2026-06-01..2026-06-30' }, 'zh-CN')).rows
      expect(lines.at(-1)?.balance, String(row.customer)).toBe(row.closing)
    }
    // May's closing balances are June's opening ones.
    const may = new Map((await statement('2026-05-01..2026-05-31')).map((row) => [row.code, row.closing]))
    for (const row of await statement('2026-06-01..2026-06-30')) {
      expect(row.opening, String(row.customer)).toBe(may.get(row.code) ?? '0.00')
    }
  })
})
