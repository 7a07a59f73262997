import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type FormDefinition } from '@tessera/core'
import { Catalog, RecordService, type Database } from '../src/index.js'
import { databaseSuites } from '../src/testing.js'

/**
 * A limit that is a formula (what may still be allocated) is read-only:
 * when a write to its record breaks it, the refusal is shown on the field
 * the user changed, and the figures are written as amounts.
 */
const APP = 'blame-lab'

const bill: FormDefinition = {
  key: 'bill', label: '账单', titleField: 'number',
  fields: [
    { key: 'number', type: 'text', label: '单号', required: true },
    { key: 'amount', type: 'money', label: '金额', required: true },
    { key: 'discount', type: 'money', label: '折让', required: true },
    { key: 'payable', type: 'formula', label: '应付', result: 'money',
      expression: { 'dec-': [{ var: 'amount' }, { var: 'discount' }] } },
  ],
}
const payment: FormDefinition = {
  key: 'payment', label: '付款',
  fields: [
    { key: 'bill', type: 'link', form: 'bill', label: '账单', required: true },
    { key: 'amount', type: 'money', label: '金额', required: true },
  ],
  constraints: [{ key: 'within_bill', per: 'bill', sum: 'amount', max: 'payable',
    message: { 'zh-CN': '付款合计不能超过账单应付金额', en: 'Payments cannot exceed what the bill asks' } }],
}

describe.each(databaseSuites())('where a broken formula limit is shown, on $name', (suite) => {
  let database: Database
  let records: RecordService

  beforeAll(async () => {
    database = await suite.open()
    const catalog = new Catalog(database)
    records = new RecordService(database, catalog)
    await catalog.saveApp({ key: APP, label: '限额' })
    for (const form of [bill, payment]) await catalog.saveDraft(APP, form)
    await catalog.publish(APP, ['bill', 'payment'], SYSTEM_ACTOR)
  })
  afterAll(() => database?.close())

  it('on the amount lowered, not on the computed limit', async () => {
    const one = await records.create(SYSTEM_ACTOR, APP, 'bill', { number: 'B-1', amount: '100', discount: '0' })
    await records.create(SYSTEM_ACTOR, APP, 'payment', { bill: one.id, amount: '80' })
    await expect(records.update(SYSTEM_ACTOR, APP, 'bill', one.id, { version: one.version, values: { amount: '50' } }))
      .rejects.toMatchObject({
        code: 'conflict.constraint',
        issues: [expect.objectContaining({
          field: 'amount',
          message: '付款合计不能超过账单应付金额（账单「B-1」：合计 80.00，上限 50.00）',
        })],
      })
    // The discount raised instead: shown there.
    await expect(records.update(SYSTEM_ACTOR, APP, 'bill', one.id, { version: one.version, values: { discount: '30' } }))
      .rejects.toMatchObject({ issues: [expect.objectContaining({ field: 'discount' })] })
    expect((await records.get(SYSTEM_ACTOR, APP, 'bill', one.id)).values.amount).toBe('100.00')
  })

  it('a sum of nothing is written as an amount too', async () => {
    await expect(records.create(SYSTEM_ACTOR, APP, 'bill', { number: 'B-2', amount: '10', discount: '20' }))
      .rejects.toMatchObject({
        issues: [expect.objectContaining({
          field: 'amount',
          message: '付款合计不能超过账单应付金额（账单「B-2」：合计 0.00，上限 -10.00）',
        })],
      })
  })
})
