import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, todayIn, type FormDefinition } from '@tessera/core'
import { Catalog, RecordService, type Database } from '../src/index.js'
import { databaseSuites } from '../src/testing.js'

const APP = 'logic-lab'

const request: FormDefinition = {
  key: 'request',
  label: { 'zh-CN': '开票申请', en: 'Invoice request' },
  titleField: 'number',
  fields: [
    { key: 'number', type: 'autonumber', label: '单号', pattern: 'RQ-{YYYY}-{0000}' },
    { key: 'invoice_date', type: 'date', label: '开票日期', required: true },
    { key: 'due_date', type: 'date', label: '到期日' },
    { key: 'net', type: 'money', label: '不含税金额', required: true },
    { key: 'tax_rate', type: 'percent', label: '税率', required: true },
    { key: 'tax', type: 'formula', label: '税额', result: 'money',
      expression: { 'dec*': [{ var: 'net' }, { var: 'tax_rate' }] } },
    { key: 'gross', type: 'formula', label: '价税合计', result: 'money',
      expression: { 'dec+': [{ var: 'net' }, { var: 'tax' }] } },
    { key: 'days', type: 'formula', label: '账期', result: 'number', scale: 0,
      expression: { days_between: [{ var: 'invoice_date' }, { var: 'due_date' }] } },
    { key: 'method', type: 'select', label: '方式', options: [
      { value: 'transfer', label: '转账' }, { value: 'acceptance', label: '承兑' },
    ] },
    { key: 'bill_number', type: 'text', label: { 'zh-CN': '票据号', en: 'Bill number' }, required: true,
      visibleWhen: { '==': [{ var: 'method' }, 'acceptance'] } },
  ],
  rules: [{
    key: 'due_after_invoice',
    assert: { 'date>=': [{ var: 'due_date' }, { var: 'invoice_date' }] },
    message: { 'zh-CN': '到期日不能早于开票日期', en: 'The due date cannot be before the invoice date' },
    fields: ['due_date'],
  }],
}

const valid = { invoice_date: '2025-03-01', due_date: '2025-03-31', net: '1000', tax_rate: '0.13' }

// Numbered by its own date, not the day it is entered.
const voucher: FormDefinition = {
  key: 'voucher', label: '凭证', titleField: 'number',
  fields: [
    { key: 'number', type: 'autonumber', label: '凭证号', pattern: 'V-{YYYY}{MM}-{000}', dateField: 'voucher_date' },
    { key: 'voucher_date', type: 'date', label: '凭证日期' },
  ],
}

describe.each(databaseSuites())('form logic on $name', (suite) => {
  let database: Database
  let records: RecordService
  let year: string

  beforeAll(async () => {
    database = await suite.open()
    const catalog = new Catalog(database)
    records = new RecordService(database, catalog)
    await catalog.saveApp({ key: APP, label: '逻辑实验' })
    await catalog.saveDraft(APP, request)
    await catalog.saveDraft(APP, voucher)
    await catalog.publish(APP, ['request', 'voucher'], SYSTEM_ACTOR)
    year = todayIn('Asia/Shanghai').slice(0, 4)
  })
  afterAll(() => database?.close())

  it('stores formulas in real columns and numbers the record', async () => {
    const created = await records.create(SYSTEM_ACTOR, APP, 'request', {
      ...valid, tax: '1.00', number: 'forged',
    })
    expect(created.values).toMatchObject({
      number: `RQ-${year}-0001`, tax: '130.00', gross: '1130.00', days: 30, bill_number: null,
    })
    const { rows } = await sql<{ number: string; tax: string; gross: string }>`
      select number, tax, gross from logic_lab.request where id = ${created.id}`.execute(database.db)
    expect(rows[0]).toEqual({ number: `RQ-${year}-0001`, tax: '130.00', gross: '1130.00' })
  })

  it('recomputes formulas on update and keeps the number', async () => {
    const created = await records.create(SYSTEM_ACTOR, APP, 'request', valid)
    const updated = await records.update(SYSTEM_ACTOR, APP, 'request', created.id, {
      version: created.version, values: { net: '200.50' },
    })
    expect(updated.values).toMatchObject({
      number: created.values.number, net: '200.50', tax: '26.07', gross: '226.57',
    })
  })

  it('refuses a broken cross-field rule with its message on the field', async () => {
    const attempt = records.create(SYSTEM_ACTOR, APP, 'request', {
      ...valid, due_date: '2025-02-01',
    }, { locale: 'en' })
    await expect(attempt).rejects.toMatchObject({
      code: 'validation.failed',
      issues: [{ field: 'due_date', rule: 'rule', message: 'The due date cannot be before the invoice date' }],
    })
  })

  it('checks the rule against the whole record on a partial update', async () => {
    const created = await records.create(SYSTEM_ACTOR, APP, 'request', valid)
    const attempt = records.update(SYSTEM_ACTOR, APP, 'request', created.id, {
      version: created.version, values: { invoice_date: '2025-04-15' },
    })
    await expect(attempt).rejects.toMatchObject({ issues: [{ field: 'due_date', rule: 'rule' }] })
  })

  it('requires a field only while it is visible, and stores a hidden one as null', async () => {
    const shown = records.create(SYSTEM_ACTOR, APP, 'request', { ...valid, method: 'acceptance' })
    await expect(shown).rejects.toMatchObject({ issues: [{ field: 'bill_number', rule: 'required' }] })

    const hidden = await records.create(SYSTEM_ACTOR, APP, 'request', {
      ...valid, method: 'transfer', bill_number: 'B-1',
    })
    expect(hidden.values.bill_number).toBeNull()

    const switched = await records.update(SYSTEM_ACTOR, APP, 'request', hidden.id, {
      version: hidden.version, values: { method: 'acceptance', bill_number: 'B-2' },
    })
    expect(switched.values.bill_number).toBe('B-2')
    const back = await records.update(SYSTEM_ACTOR, APP, 'request', hidden.id, {
      version: switched.version, values: { method: 'transfer' },
    })
    expect(back.values.bill_number).toBeNull()
  })

  it('numbers a record by its date field when the pattern names one, each month on its own counter', async () => {
    const number = async (voucher_date: string | null) =>
      (await records.create(SYSTEM_ACTOR, APP, 'voucher', { voucher_date })).values.number
    expect(await number('2025-11-08')).toBe('V-202511-001')
    expect(await number('2025-12-01')).toBe('V-202512-001')
    expect(await number('2025-11-30')).toBe('V-202511-002')
    // Without its date, the day it is entered.
    const month = todayIn('Asia/Shanghai').slice(0, 7).replace('-', '')
    expect(await number(null)).toBe(`V-${month}-001`)
  })

  it('numbers 50 parallel creates 1…50 with no gap and no duplicate, a failed one included', async () => {
    await sql`delete from tessera.autonumber where app_key = ${APP}`.execute(database.db)
    await sql`delete from logic_lab.request`.execute(database.db)

    const attempts = Array.from({ length: 51 }, (_, index) => {
      // One attempt breaks the rule after taking part in the race.
      const values = index === 25 ? { ...valid, due_date: '2025-01-01' } : valid
      return records.create(SYSTEM_ACTOR, APP, 'request', values)
    })
    const settled = await Promise.allSettled(attempts)
    expect(settled.filter((result) => result.status === 'rejected')).toHaveLength(1)

    const { rows } = await sql<{ number: string }>`
      select number from logic_lab.request order by number`.execute(database.db)
    const expected = Array.from({ length: 50 }, (_, index) =>
      `RQ-${year}-${String(index + 1).padStart(4, '0')}`)
    expect(rows.map((row) => row.number)).toEqual(expected)
  })
})
