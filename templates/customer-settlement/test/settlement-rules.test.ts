import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { SYSTEM_ACTOR } from '@tessera/core'
import { Platform } from '@tessera/platform'
import { databaseSuites } from '@tessera/store/testing'

const TEMPLATE = resolve(__dirname, '..')
const APP = 'customer-settlement'

/** A file of the template's ledger mapping (its header, then `rows`), in a folder of its own. */
function ledgerFile(name: string, ...rows: string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tessera-rules-')), name)
  writeFileSync(file, [
    'countryCode,customerID,PaperlessDate,invoiceNumber,InvoiceDate,DueDate,InvoiceAmount,Disputed,SettledDate,PaperlessBill,DaysToSettle,DaysLate',
    ...rows,
  ].join('\n'))
  return file
}

/*
 * Customers are told apart by name in the reports (aging by customer, top
 * overdue customers, the dashboard's customer filter), so two customers
 * may not share one. Money cannot settle an invoice before the invoice exists, nor be applied
 * before it was received: an allocation dated before its invoice would
 * count in no period's collections (the collection rate reads invoices
 * dated up to the period's end), so the template's agreements refuse it.
 */
describe.each(databaseSuites())('the template\'s settlement rules on $name', (suite) => {
  let platform: Platform
  const ids: Record<string, number> = {}

  beforeAll(async () => {
    platform = new Platform(await suite.open())
    await platform.installTemplate(TEMPLATE, SYSTEM_ACTOR)
    const create = async (form: string, values: Record<string, unknown>) =>
      (await platform.records.create(SYSTEM_ACTOR, APP, form, values)).id
    ids.customer = await create('customer', { code: 'D001', name: '日期测试有限公司', payment_terms: 30 })
    ids.invoice = await create('invoice', {
      number: 'INV-D-1', customer: ids.customer, invoice_date: '2026-03-10', due_date: '2026-04-09', amount: '1000.00',
    })
    ids.receipt = await create('receipt', { number: 'RC-D-1', customer: ids.customer, date: '2026-03-05', amount: '600.00' })
  })
  afterAll(() => platform?.close())

  const allocations = async () => (await platform.records.list(SYSTEM_ACTOR, APP, 'allocation', {})).items.length

  it('refuses an allocation dated before its invoice or its receipt, on the date, and keeps nothing', async () => {
    const allocate = (date: string) => platform.records.create(SYSTEM_ACTOR, APP, 'allocation',
      { receipt: ids.receipt, invoice: ids.invoice, date, amount: '100.00' })
    await expect(allocate('2026-03-08')).rejects.toMatchObject({
      code: 'validation.failed',
      issues: [{ field: 'date', rule: 'agreement', message: '核销日期不能早于发票的开票日期',
        expected: { agreement: 'after_invoice', paths: ['invoice.invoice_date', 'date'] } }],
    })
    await expect(allocate('2026-03-04')).rejects.toMatchObject({
      issues: [
        expect.objectContaining({ field: 'date', expected: expect.objectContaining({ agreement: 'after_invoice' }) }),
        expect.objectContaining({ field: 'date', message: '核销日期不能早于收款日期' }),
      ],
    })
    expect(await allocations()).toBe(0)

    // The invoice's own day is early enough.
    const kept = await allocate('2026-03-10')
    expect(kept.values.date).toBe('2026-03-10')
    expect(await allocations()).toBe(1)
  })

  it('refuses a write-off dated before its invoice', async () => {
    const writeOff = (date: string) => platform.records.create(SYSTEM_ACTOR, APP, 'write_off',
      { invoice: ids.invoice, date, amount: '10.00', reason: Object.keys({ bad_debt: 1 })[0] })
    await expect(writeOff('2026-03-09')).rejects.toMatchObject({
      issues: [expect.objectContaining({ field: 'date', rule: 'agreement', message: '冲减日期不能早于发票的开票日期' })],
    })
  })

  it('keeps a rounding write-off small: a whole invoice written off as 尾差 is refused, on the amount', async () => {
    const writeOff = (amount: string, reason: string) => platform.records.create(SYSTEM_ACTOR, APP, 'write_off',
      { invoice: ids.invoice, date: '2026-03-20', amount, reason })
    await expect(writeOff('100.01', 'rounding')).rejects.toMatchObject({
      code: 'validation.failed',
      issues: [{ field: 'amount', rule: 'rule', message: '尾差冲减每笔不能超过 100.00；更大的差额请选坏账或折让' }],
    })
    const small = await writeOff('100.00', 'rounding')
    const large = await writeOff('150.00', 'discount')
    for (const made of [small, large]) await platform.records.delete(SYSTEM_ACTOR, APP, 'write_off', made.id, { version: made.version })
  })

  it('refuses moving an invoice or a receipt to a day after money already applied to it', async () => {
    const [allocation] = (await platform.records.list(SYSTEM_ACTOR, APP, 'allocation', {})).items
    const invoice = await platform.records.get(SYSTEM_ACTOR, APP, 'invoice', ids.invoice)
    await expect(platform.records.update(SYSTEM_ACTOR, APP, 'invoice', ids.invoice,
      { version: invoice.version, values: { invoice_date: '2026-03-11' } })).rejects.toMatchObject({
      issues: [expect.objectContaining({ field: 'invoice_date', rule: 'agreement',
        message: `已有核销 #${allocation.id} 与此不符：核销日期不能早于发票的开票日期` })],
    })
    const receipt = await platform.records.get(SYSTEM_ACTOR, APP, 'receipt', ids.receipt)
    await expect(platform.records.update(SYSTEM_ACTOR, APP, 'receipt', ids.receipt,
      { version: receipt.version, values: { date: '2026-03-12' } })).rejects.toMatchObject({
      issues: [expect.objectContaining({ field: 'date', message: expect.stringContaining('核销日期不能早于收款日期') })],
    })
    expect((await platform.records.get(SYSTEM_ACTOR, APP, 'invoice', ids.invoice)).values.invoice_date).toBe('2026-03-10')
    expect((await platform.records.get(SYSTEM_ACTOR, APP, 'receipt', ids.receipt)).values.date).toBe('2026-03-05')
  })

  it('refuses a second customer of the same name, which the reports could not tell apart', async () => {
    await expect(platform.records.create(SYSTEM_ACTOR, APP, 'customer', { code: 'D002', name: '日期测试有限公司' }))
      .rejects.toMatchObject({ issues: [expect.objectContaining({ field: 'name' })] })
    const customers = await platform.records.list(SYSTEM_ACTOR, APP, 'customer', {})
    expect(customers.items.map((item) => item.values.code)).toEqual(['D001'])
  })

  it('rejects a ledger import whose settlement predates its invoice, naming the line and column, and writes nothing', async () => {
    const file = ledgerFile('ledger.csv',
      '391,RULES-1,4/6/2013,R-0001,1/2/2013,2/1/2013,55.94,No,1/15/2013,Paper,13,0',
      // Settled a month before it was invoiced.
      '391,RULES-1,4/6/2013,R-0002,3/1/2013,4/1/2013,100.00,No,2/1/2013,Electronic,0,0',
    )
    const result = await platform.runImport(APP, 'ledger', file, { actor: SYSTEM_ACTOR })
    expect(result.status).toBe('rejected')
    expect(result.errors).toEqual([
      { line: 3, column: 'SettledDate', value: '2013-02-01', message: '核销日期不能早于发票的开票日期' },
    ])
    const invoices = await platform.records.list(SYSTEM_ACTOR, APP, 'invoice', { filter: { in: [{ var: 'number' }, ['R-0001', 'R-0002']] } })
    expect(invoices.items).toHaveLength(0)
  })

  it('rejects a ledger import whose new customer takes a name another customer has, naming the line', async () => {
    const file = ledgerFile('names.csv',
      // The ledger names a customer by its ID: this one is D001's name.
      '391,日期测试有限公司,4/6/2013,N-0001,1/2/2013,2/1/2013,55.94,No,,Paper,0,0',
    )
    const result = await platform.runImport(APP, 'ledger', file, { actor: SYSTEM_ACTOR })
    expect(result.status).toBe('rejected')
    expect(result.errors).toEqual([
      expect.objectContaining({ line: 2, message: '「客户名称」为 "日期测试有限公司" 的记录已存在' }),
    ])
    const customers = await platform.records.list(SYSTEM_ACTOR, APP, 'customer', {})
    expect(customers.items.map((item) => item.values.code)).toEqual(['D001'])
  })

  it('names a refused field and a broken rule together, not one after the other', async () => {
    const both = platform.records.create(SYSTEM_ACTOR, APP, 'invoice', {
      number: 'INV-D-BAD', customer: ids.customer, invoice_date: '2026-03-10', due_date: '2026-03-01', amount: '-5.00',
    })
    await expect(both).rejects.toMatchObject({
      code: 'validation.failed',
      issues: [
        expect.objectContaining({ field: 'amount', rule: 'min' }),
        expect.objectContaining({ field: 'due_date', rule: 'rule', message: '到期日不能早于开票日期' }),
      ],
    })
    // A rule reading the refused field is not run on it: a bad invoice date names only the date.
    const date = platform.records.create(SYSTEM_ACTOR, APP, 'invoice', {
      number: 'INV-D-BAD', customer: ids.customer, invoice_date: '2026-02-30', due_date: '2026-03-01', amount: '5.00',
    })
    await expect(date).rejects.toMatchObject({ issues: [expect.objectContaining({ field: 'invoice_date', rule: 'format' })] })
    const refused = await date.then(() => undefined, (error: { issues: unknown[] }) => error)
    expect(refused?.issues).toHaveLength(1)
  })

  it('names both for an update too, the rule read over the stored record', async () => {
    const invoice = await platform.records.get(SYSTEM_ACTOR, APP, 'invoice', ids.invoice)
    // Only the due date and the amount change: the rule compares the new due date with the stored invoice date.
    const both = platform.records.update(SYSTEM_ACTOR, APP, 'invoice', ids.invoice,
      { version: invoice.version, values: { due_date: '2026-03-01', amount: '-5.00' } })
    await expect(both).rejects.toMatchObject({
      code: 'validation.failed',
      issues: [
        expect.objectContaining({ field: 'amount', rule: 'min' }),
        expect.objectContaining({ field: 'due_date', rule: 'rule', message: '到期日不能早于开票日期' }),
      ],
    })
    // A due date that agrees with the stored invoice date leaves the amount alone in the answer.
    const amount = platform.records.update(SYSTEM_ACTOR, APP, 'invoice', ids.invoice,
      { version: invoice.version, values: { due_date: '2026-04-30', amount: '-5.00' } })
    await expect(amount).rejects.toMatchObject({ issues: [expect.objectContaining({ field: 'amount', rule: 'min' })] })
    expect(((await amount.catch((error: unknown) => error)) as { issues: unknown[] }).issues).toHaveLength(1)
    expect((await platform.records.get(SYSTEM_ACTOR, APP, 'invoice', ids.invoice)).values).toMatchObject({
      due_date: invoice.values.due_date, amount: invoice.values.amount,
    })
  })

  it('names both on the line of an import too', async () => {
    const file = ledgerFile('both.csv',
      '391,RULES-2,4/6/2013,B-0001,3/1/2013,2/1/2013,-5,No,,Paper,0,0',
    )
    const result = await platform.runImport(APP, 'ledger', file, { actor: SYSTEM_ACTOR })
    expect(result.status).toBe('rejected')
    expect(result.errors.map((error) => [error.line, error.column])).toEqual([[2, 'invoice.amount'], [2, 'invoice.due_date']])
    expect(result.errors[1].message).toBe('到期日不能早于开票日期')
  })

  it('takes a ledger row again with a later settlement, moving the receipt and its allocation together', async () => {
    const ledger = (settled: string, invoiced = '1/10/2026', amount = '500.00') =>
      ledgerFile('ledger.csv', `391,MOVE-1,4/6/2013,M-0001,${invoiced},2/10/2026,${amount},No,${settled},Paper,0,0`)
    expect((await platform.runImport(APP, 'ledger', ledger('1/20/2026'), { actor: SYSTEM_ACTOR })).status).toBe('succeeded')
    // The receipt's date moves past the allocation's old date; the same row moves the allocation.
    const later = await platform.runImport(APP, 'ledger', ledger('1/28/2026'), { actor: SYSTEM_ACTOR })
    expect(later).toMatchObject({ status: 'succeeded', errors: [] })
    // Both dates of the invoice and the settlement move past the old ones.
    const both = await platform.runImport(APP, 'ledger', ledger('2/5/2026', '1/30/2026'), { actor: SYSTEM_ACTOR })
    expect(both).toMatchObject({ status: 'succeeded', errors: [] })
    const [invoice] = (await platform.records.list(SYSTEM_ACTOR, APP, 'invoice', { filter: { '==': [{ var: 'number' }, 'M-0001'] } })).items
    const allocations = await platform.records.list(SYSTEM_ACTOR, APP, 'allocation', { filter: { '==': [{ var: 'invoice' }, invoice.id] } })
    expect(invoice.values.invoice_date).toBe('2026-01-30')
    expect(allocations.items.map((item) => item.values.date)).toEqual(['2026-02-05'])

    // A lower amount lowers the invoice, its receipt and its allocation together: the invoice's
    // limits are held by the whole row, not by the invoice written before its allocation.
    const lower = await platform.runImport(APP, 'ledger', ledger('2/5/2026', '1/30/2026', '400.00'), { actor: SYSTEM_ACTOR })
    expect(lower).toMatchObject({ status: 'succeeded', errors: [] })
    const [lowered] = (await platform.records.list(SYSTEM_ACTOR, APP, 'invoice', { filter: { '==': [{ var: 'number' }, 'M-0001'] } })).items
    expect(lowered.values).toMatchObject({ amount: '400.00', allocated_total: '400.00', open_amount: '0.00' })

    // A settlement moved before the invoice is still refused, on its line.
    const early = await platform.runImport(APP, 'ledger', ledger('1/29/2026', '1/30/2026'), { actor: SYSTEM_ACTOR })
    expect(early.status).toBe('rejected')
    expect(early.errors).toEqual([expect.objectContaining({ line: 2, column: 'SettledDate' })])
  })
  it('audits an invoice an import updates with its settled figures as stored, not as the row computed them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tessera-rules-'))
    const file = join(dir, 'invoices.csv')
    // INV-D-1 carries an allocation of 100.00 (above); the file moves its due date and raises its amount.
    writeFileSync(file, ['发票号,客户编号,开票日期,到期日,金额,合同号', 'INV-D-1,D001,2026-03-10,2026-04-30,1200.00,'].join('\n'))
    const result = await platform.runImport(APP, 'demo_invoices', file, { actor: SYSTEM_ACTOR })
    expect(result).toMatchObject({ status: 'succeeded', forms: { invoice: { updated: 1 } } })
    const [last] = (await platform.records.history(SYSTEM_ACTOR, APP, 'invoice', ids.invoice)).slice(-1)
    expect(last).toMatchObject({ action: 'record.update' })
    expect(last.after).toMatchObject({ due_date: '2026-04-30', amount: '1200.00', open_amount: '1100.00' })
    // The allocated total was not the file's to change: absent from the line, or as stored.
    expect((last.after as Record<string, unknown>).allocated_total ?? '100.00').toBe('100.00')
    expect((last.before as Record<string, unknown>).open_amount).toBe('900.00')
    const stored = await platform.records.get(SYSTEM_ACTOR, APP, 'invoice', ids.invoice)
    expect(stored.values).toMatchObject({ allocated_total: '100.00', open_amount: '1100.00', invoice_date: '2026-03-10' })
  })
})
