import { Readable } from 'node:stream'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, todayIn, type FormDefinition } from '@tessera/core'
import { Catalog, RecordService, type Database } from '@tessera/store'
import { databaseSuites } from '@tessera/store/testing'
import { importForm, runImport } from '../src/index.js'

const APP = 'import-lab'

const order: FormDefinition = {
  key: 'purchase',
  label: '采购单',
  fields: [
    { key: 'number', type: 'autonumber', label: '单号', pattern: 'PO-{YYYY}-{000}' },
    { key: 'ref', type: 'text', label: '外部单号', required: true, unique: true },
    { key: 'ordered', type: 'date', label: '下单日期', required: true },
    { key: 'due', type: 'date', label: '交货日期' },
    { key: 'qty', type: 'number', label: '数量', integer: true, required: true },
    { key: 'price', type: 'money', label: '单价', required: true },
    { key: 'total', type: 'formula', label: '金额', result: 'money',
      expression: { 'dec*': [{ var: 'qty' }, { var: 'price' }] } },
  ],
  rules: [{
    key: 'due_after_order',
    assert: { 'date>=': [{ var: 'due' }, { var: 'ordered' }] },
    message: { 'zh-CN': '交货日期不能早于下单日期', en: 'Due before ordered' },
    fields: ['due'],
  }],
}

const mapping = {
  key: 'purchases',
  label: '采购单导入',
  format: 'csv',
  columns: {
    Ref: { type: 'text', required: true },
    Ordered: { type: 'date', required: true },
    Due: { type: 'date' },
    Qty: { type: 'integer', required: true },
    Price: { type: 'decimal', required: true },
  },
  records: [{
    as: 'purchase', form: 'purchase', key: ['ref'],
    values: {
      ref: { var: 'row.Ref' }, ordered: { var: 'row.Ordered' }, due: { var: 'row.Due' },
      qty: { var: 'row.Qty' }, price: { var: 'row.Price' },
    },
  }],
}

// Numbered by the day each row ships, not the day of the import.
const shipment: FormDefinition = {
  key: 'shipment',
  label: '发货单',
  fields: [
    { key: 'number', type: 'autonumber', label: '发货单号', pattern: 'SH-{YYYY}{MM}-{00}', dateField: 'shipped' },
    { key: 'ref', type: 'text', label: '外部单号', required: true, unique: true },
    { key: 'shipped', type: 'date', label: '发货日期', required: true },
  ],
}
const shipments = {
  key: 'shipments', label: '发货单导入', format: 'csv',
  columns: { Ref: { type: 'text', required: true }, Shipped: { type: 'date', required: true } },
  records: [{ as: 'shipment', form: 'shipment', key: ['ref'], values: { ref: { var: 'row.Ref' }, shipped: { var: 'row.Shipped' } } }],
}

const csv = (...lines: string[]) => Readable.from(['Ref,Ordered,Due,Qty,Price\n' + lines.join('\n')])

describe.each(databaseSuites())('imports through form logic on $name', (suite) => {
  let database: Database
  let context: { database: Database; catalog: Catalog; records: RecordService }
  let year: string

  beforeAll(async () => {
    database = await suite.open()
    const catalog = new Catalog(database)
    context = { database, catalog, records: new RecordService(database, catalog) }
    await catalog.saveApp({ key: APP, label: '导入实验' })
    await catalog.saveDraft(APP, order)
    await catalog.saveDraft(APP, shipment)
    await catalog.publish(APP, ['purchase', 'shipment'], SYSTEM_ACTOR)
    await catalog.putMeta(APP, 'import', 'purchases', mapping, SYSTEM_ACTOR)
    await catalog.putMeta(APP, 'import', 'shipments', shipments, SYSTEM_ACTOR)
    year = todayIn('Asia/Shanghai').slice(0, 4)
  })
  afterAll(() => database?.close())

  it('numbers new rows, computes formulas, and renumbers nothing on a re-run', async () => {
    const file = () => csv('A-1,2025-03-01,2025-03-10,3,1.10', 'A-2,2025-03-02,,2,0.35')
    const first = await runImport(context, APP, 'purchases', file(), { actor: SYSTEM_ACTOR })
    expect(first).toMatchObject({ status: 'succeeded', forms: { purchase: { created: 2 } } })

    const second = await runImport(context, APP, 'purchases', csv(
      'A-1,2025-03-01,2025-03-10,3,1.10', 'A-3,2025-03-03,,1,9.99',
    ), { actor: SYSTEM_ACTOR })
    expect(second.forms.purchase).toEqual({ created: 1, updated: 0, unchanged: 1 })

    const { rows } = await sql<{ ref: string; number: string; total: string }>`
      select ref, number, total from import_lab.purchase order by ref`.execute(database.db)
    expect(rows).toEqual([
      { ref: 'A-1', number: `PO-${year}-001`, total: '3.30' },
      { ref: 'A-2', number: `PO-${year}-002`, total: '0.70' },
      { ref: 'A-3', number: `PO-${year}-003`, total: '9.99' },
    ])
  })

  it('numbers each new row by its own date field when the pattern names one, month by month', async () => {
    const file = Readable.from(['Ref,Shipped\nS-1,2025-11-28\nS-2,2025-12-02\nS-3,2025-11-30\n'])
    const result = await runImport(context, APP, 'shipments', file, { actor: SYSTEM_ACTOR })
    expect(result).toMatchObject({ status: 'succeeded', forms: { shipment: { created: 3 } } })
    // A form import without a key takes the other way in (all rows new).
    const form = await context.catalog.getForm(APP, 'shipment')
    const plain = await importForm(context, form, Readable.from(['外部单号,发货日期\nS-4,2025-12-31\n']), {
      actor: SYSTEM_ACTOR, format: 'csv', spec: { columns: { 外部单号: 'ref', 发货日期: 'shipped' } },
    })
    expect(plain).toMatchObject({ status: 'succeeded', forms: { shipment: { created: 1 } } })
    const { rows } = await sql<{ ref: string; number: string }>`
      select ref, number from import_lab.shipment order by ref`.execute(database.db)
    expect(rows).toEqual([
      { ref: 'S-1', number: 'SH-202511-01' },
      { ref: 'S-2', number: 'SH-202512-01' },
      { ref: 'S-3', number: 'SH-202511-02' },
      { ref: 'S-4', number: 'SH-202512-02' },
    ])
  })

  it('rejects rows breaking a form rule, by line, and takes no number', async () => {
    const result = await runImport(context, APP, 'purchases', csv(
      'B-1,2025-03-01,2025-03-10,1,1', 'B-2,2025-03-05,2025-03-01,1,1',
    ), { actor: SYSTEM_ACTOR, locale: 'en' })
    expect(result.status).toBe('rejected')
    expect(result.errors).toEqual([
      { line: 3, column: 'purchase.due', value: '2025-03-01', message: 'Due before ordered' },
    ])

    const after = await runImport(context, APP, 'purchases', csv('B-1,2025-03-01,,1,1'), {
      actor: SYSTEM_ACTOR,
    })
    expect(after.status).toBe('succeeded')
    const { rows } = await sql<{ number: string }>`
      select number from import_lab.purchase where ref = 'B-1'`.execute(database.db)
    expect(rows[0].number).toBe(`PO-${year}-004`)
  })
})
