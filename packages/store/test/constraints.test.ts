import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type FormDefinition } from '@tessera/core'
import { Catalog, RecordService, type Database } from '../src/index.js'
import { databaseSuites } from '../src/testing.js'

const APP = 'settle-lab'

const money = (key: string, label: string) => ({ key, type: 'money' as const, label, required: true })

const receipt: FormDefinition = {
  key: 'receipt',
  label: '收款',
  fields: [{ key: 'number', type: 'text', label: '单号' }, money('amount', '收款金额')],
}
const invoice: FormDefinition = {
  key: 'invoice',
  label: '发票',
  fields: [
    { key: 'number', type: 'text', label: '单号' },
    money('amount', '发票金额'),
    { key: 'allocated', type: 'rollup', label: '已核销', form: 'allocation', link: 'invoice', agg: 'sum', field: 'amount' },
  ],
}
const allocation: FormDefinition = {
  key: 'allocation',
  label: '核销',
  fields: [
    { key: 'receipt', type: 'link', form: 'receipt', label: '收款', required: true },
    { key: 'invoice', type: 'link', form: 'invoice', label: '发票', required: true },
    money('amount', '核销金额'),
  ],
  constraints: [
    { key: 'within_receipt', per: 'receipt', sum: 'amount', max: 'amount',
      message: { 'zh-CN': '核销总额不能超过收款金额', en: 'Allocations cannot exceed the receipt' } },
    { key: 'within_invoice', per: 'invoice', sum: 'amount', max: 'amount',
      message: { 'zh-CN': '核销总额不能超过发票金额', en: 'Allocations cannot exceed the invoice' } },
  ],
}

describe.each(databaseSuites())('cross-record constraints on $name', (suite) => {
  let database: Database
  let records: RecordService

  const create = (form: string, values: Record<string, unknown>, locale: 'en' | 'zh-CN' = 'en') =>
    records.create(SYSTEM_ACTOR, APP, form, values, { locale })
  const total = async (column: 'receipt_id' | 'invoice_id', id: number) => {
    const { rows } = await sql<{ total: string }>`
      select coalesce(sum(amount), 0)::text as total from settle_lab.allocation
      where ${sql.ref(column)} = ${id}`.execute(database.db)
    return rows[0].total
  }

  beforeAll(async () => {
    database = await suite.open()
    const catalog = new Catalog(database)
    records = new RecordService(database, catalog)
    await catalog.saveApp({ key: APP, label: '核销实验' })
    for (const form of [receipt, invoice, allocation]) await catalog.saveDraft(APP, form)
    await catalog.publish(APP, ['receipt', 'invoice', 'allocation'], SYSTEM_ACTOR)
  })
  afterAll(() => database?.close())

  it('refuses an allocation above what is left, naming the limit and the total', async () => {
    const r = await create('receipt', { amount: '100' })
    const i = await create('invoice', { amount: '80' })
    await create('allocation', { receipt: r.id, invoice: i.id, amount: '60' })
    const attempt = create('allocation', { receipt: r.id, invoice: i.id, amount: '30' })
    await expect(attempt).rejects.toMatchObject({
      code: 'conflict.constraint',
      issues: [{
        field: 'amount',
        rule: 'constraint',
        // 60.00 was allocated already: 20.00 was left for this one.
        message: `Allocations cannot exceed the invoice (发票 #${i.id}: total 90.00, limit 80.00, 20.00 was left)`,
        expected: { constraint: 'within_invoice', record: i.id, max: '80.00' },
        received: '90.00',
      }],
    })
    expect(await total('invoice_id', i.id)).toBe('60.00')
  })

  it('checks both limits, and an update that raises the amount', async () => {
    const r = await create('receipt', { amount: '50' })
    const i = await create('invoice', { amount: '40' })
    const error = await create('allocation', { receipt: r.id, invoice: i.id, amount: '70' }, 'zh-CN')
      .catch((caught) => caught)
    expect(error.issues.map((issue: { expected: { constraint: string } }) => issue.expected.constraint))
      .toEqual(['within_receipt', 'within_invoice'])
    expect(error.issues[0].message).toBe(`核销总额不能超过收款金额（收款 #${r.id}：合计 70.00，上限 50.00，此前尚余 50.00）`)

    const ok = await create('allocation', { receipt: r.id, invoice: i.id, amount: '40' })
    const raise = records.update(SYSTEM_ACTOR, APP, 'allocation', ok.id, {
      version: ok.version, values: { amount: '40.01' },
    })
    await expect(raise).rejects.toMatchObject({ code: 'conflict.constraint' })
    const invoiceNow = await records.get(SYSTEM_ACTOR, APP, 'invoice', i.id)
    expect(invoiceNow.values.allocated).toBe('40.00')
  })

  it('refuses lowering a receipt below what is allocated from it', async () => {
    const r = await create('receipt', { amount: '100' })
    const i = await create('invoice', { amount: '100' })
    await create('allocation', { receipt: r.id, invoice: i.id, amount: '75' })
    const lower = records.update(SYSTEM_ACTOR, APP, 'receipt', r.id, {
      version: r.version, values: { amount: '70' },
    }, { locale: 'en' })
    await expect(lower).rejects.toMatchObject({
      code: 'conflict.constraint',
      issues: [{ field: 'amount', expected: { constraint: 'within_receipt' }, received: '75.00' }],
    })
    const fine = await records.update(SYSTEM_ACTOR, APP, 'receipt', r.id, {
      version: r.version, values: { amount: '75' },
    })
    expect(fine.values.amount).toBe('75.00')
  })

  it('lets 100 parallel writers never over-allocate a receipt', async () => {
    const r = await create('receipt', { amount: '1000' })
    const invoices = []
    for (let index = 0; index < 100; index += 1) invoices.push(await create('invoice', { amount: '50' }))

    const results = await Promise.allSettled(invoices.map((i) =>
      create('allocation', { receipt: r.id, invoice: i.id, amount: '30' })))
    const failed = results.filter((result) => result.status === 'rejected')
    expect(failed.every((result) => (result.reason as { code: string }).code === 'conflict.constraint'))
      .toBe(true)
    expect(results.length - failed.length).toBe(33)
    expect(await total('receipt_id', r.id)).toBe('990.00')
  })

  it('lets 100 parallel writers never over-allocate an invoice, and keeps its rollup exact', async () => {
    const i = await create('invoice', { amount: '100' })
    const receipts = []
    for (let index = 0; index < 100; index += 1) receipts.push(await create('receipt', { amount: '10' }))

    const results = await Promise.allSettled(receipts.map((r) =>
      create('allocation', { receipt: r.id, invoice: i.id, amount: '7' })))
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(14)
    expect(await total('invoice_id', i.id)).toBe('98.00')
    expect((await records.get(SYSTEM_ACTOR, APP, 'invoice', i.id)).values.allocated).toBe('98.00')
  })
})
