import { Readable } from 'node:stream'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type FormDefinition, type PublishedForm } from '@tessera/core'
import { Catalog, RecordService, type Database } from '@tessera/store'
import { databaseSuites } from '@tessera/store/testing'
import { importableLineFields, importForm, suggestColumns } from '../src/index.js'

const APP = 'lines-lab'

const order: FormDefinition = {
  key: 'order',
  label: '订单',
  titleField: 'number',
  fields: [
    { key: 'number', type: 'text', label: '单号', required: true, unique: true },
    { key: 'buyer', type: 'text', label: '客户', required: true },
    { key: 'items', type: 'lines', label: '明细', required: true, fields: [
      { key: 'product', type: 'text', label: '品名', required: true },
      { key: 'quantity', type: 'number', label: '数量', integer: true, min: 1 },
      { key: 'price', type: 'money', label: '单价', required: true },
      { key: 'amount', type: 'formula', label: '金额', result: 'money',
        expression: { 'dec*': [{ var: 'quantity' }, { var: 'price' }] } },
    ] },
    { key: 'total', type: 'rollup', label: '合计', lines: 'items', agg: 'sum', field: 'amount' },
  ],
}

const columns = { 单号: 'number', 客户: 'buyer', 品名: 'items.product', 数量: 'items.quantity', 单价: 'items.price' }
const file = (...lines: string[]) => Readable.from([`单号,客户,品名,数量,单价\n${lines.join('\n')}\n`])

describe.each(databaseSuites())('importing line items on $name', (suite) => {
  let database: Database
  let catalog: Catalog
  let form: PublishedForm
  let context: { database: Database; catalog: Catalog; records: RecordService }

  const run = (input: Readable, spec: unknown = { columns, key: ['number'] }) =>
    importForm(context, form, input, { actor: SYSTEM_ACTOR, format: 'csv', spec })
  const stored = async () => (await sql<{ number: string; buyer: string; total: string; lines: string }>`
    select o.number, o.buyer, o.total::text,
      (select string_agg(i.product || '×' || i.quantity || '@' || i.price || '=' || i.amount, '; ' order by i.position)
       from lines_lab.order__items i where i.parent_id = o.id) as lines
    from lines_lab."order" o order by o.number`.execute(database.db)).rows

  beforeAll(async () => {
    database = await suite.open()
    catalog = new Catalog(database)
    context = { database, catalog, records: new RecordService(database, catalog) }
    await catalog.saveApp({ key: APP, label: '明细导入' })
    await catalog.saveDraft(APP, order)
    await catalog.publish(APP, ['order'], SYSTEM_ACTOR)
    form = await catalog.getForm(APP, 'order')
  })
  afterAll(() => database?.close())

  it('offers a lines field\'s own fields and guesses them from their labels', () => {
    expect(importableLineFields(form).map((line) => line.key)).toEqual(['items.product', 'items.quantity', 'items.price'])
    expect(suggestColumns(form, Object.keys(columns))).toEqual(columns)
  })

  it('makes one record of consecutive rows with the same key, one line per row', async () => {
    const result = await run(file(
      'SO-1,甲公司,螺栓,2,1.50',
      'SO-1,,螺母,3,0.20',
      'SO-2,乙公司,垫片,10,0.05',
    ))
    expect(result.errors).toEqual([])
    expect(result).toMatchObject({ status: 'succeeded', rows: 3, forms: { order: { created: 2 } } })
    expect(await stored()).toEqual([
      { number: 'SO-1', buyer: '甲公司', total: '3.60', lines: '螺栓×2@1.50=3.00; 螺母×3@0.20=0.60' },
      { number: 'SO-2', buyer: '乙公司', total: '0.50', lines: '垫片×10@0.05=0.50' },
    ])
  })

  it('replaces a record\'s lines when the file is imported again with other lines', async () => {
    const result = await run(file('SO-1,甲公司,螺栓,4,1.50'))
    expect(result.status).toBe('succeeded')
    expect((await stored())[0]).toEqual({ number: 'SO-1', buyer: '甲公司', total: '6.00', lines: '螺栓×4@1.50=6.00' })
  })

  it('counts, versions and records a change of the lines alone', async () => {
    const listed = await context.records.list(SYSTEM_ACTOR, APP, 'order', { q: 'SO-2' })
    const before = listed.items[0]
    // The same amounts under another name: the record's own row (its total too) stays as it was.
    const result = await run(file('SO-2,乙公司,垫圈,10,0.05'))
    expect(result).toMatchObject({ status: 'succeeded', forms: { order: { created: 0, updated: 1, unchanged: 0 } } })
    const after = await context.records.get(SYSTEM_ACTOR, APP, 'order', before.id)
    expect(after.version).toBe(before.version + 1)
    const [last] = (await context.records.history(SYSTEM_ACTOR, APP, 'order', before.id)).slice(-1)
    expect(last).toMatchObject({ action: 'record.update',
      before: { items: [expect.objectContaining({ product: '垫片' })] },
      after: { items: [expect.objectContaining({ product: '垫圈' })] } })
    // The same file again changes nothing.
    expect(await run(file('SO-2,乙公司,垫圈,10,0.05'))).toMatchObject({ forms: { order: { updated: 0, unchanged: 1 } } })
  })

  it('puts a bad line on its own file line and column, and writes nothing', async () => {
    const before = await stored()
    const result = await run(file(
      'SO-3,丙公司,钢板,1,100.00',
      'SO-3,,钢管,0,20.00',
      'SO-3,丁公司,角钢,1,5.00',
    ))
    expect(result.status).toBe('rejected')
    expect(result.errors).toEqual(expect.arrayContaining([
      expect.objectContaining({ line: 3, column: '数量' }),
      expect.objectContaining({ line: 4, column: '客户' }),
    ]))
    expect(await stored()).toEqual(before)
  })

  it('refuses line columns without a key to group the rows by', async () => {
    await expect(run(file('SO-9,某公司,螺栓,1,1.00'), { columns })).rejects.toMatchObject({
      code: 'import.invalid',
      issues: [expect.objectContaining({ field: 'key' })],
    })
  })
})
