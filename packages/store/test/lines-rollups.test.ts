import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type FormDefinition } from '@tessera/core'
import { Catalog, recomputeDerived, RecordService, type Database } from '../src/index.js'
import { databaseSuites } from '../src/testing.js'

const APP = 'sales-lab'

const customer: FormDefinition = {
  key: 'customer',
  label: '客户',
  titleField: 'name',
  fields: [
    { key: 'name', type: 'text', label: '名称', required: true },
    { key: 'region', type: 'region', label: '地区' },
    { key: 'open_total', type: 'rollup', label: '未收合计', form: 'quote', link: 'customer',
      agg: 'sum', field: 'open' },
  ],
}

const quote: FormDefinition = {
  key: 'quote',
  label: '报价单',
  fields: [
    { key: 'customer', type: 'link', form: 'customer', label: '客户', required: true },
    { key: 'items', type: 'lines', label: { 'zh-CN': '明细', en: 'Items' }, fields: [
      { key: 'item', type: 'text', label: '品名', required: true },
      { key: 'qty', type: 'number', label: '数量', integer: true },
      { key: 'price', type: 'money', label: '单价', required: true },
      { key: 'delivery', type: 'date', label: '交期' },
      { key: 'amount', type: 'formula', label: '金额', result: 'money',
        expression: { 'dec*': [{ var: 'qty' }, { var: 'price' }] } },
    ] },
    { key: 'total', type: 'rollup', label: '合计', lines: 'items', agg: 'sum', field: 'amount' },
    { key: 'lines', type: 'rollup', label: '行数', lines: 'items', agg: 'count' },
    { key: 'last', type: 'rollup', label: '最晚交期', lines: 'items', agg: 'max', field: 'delivery' },
    { key: 'paid', type: 'rollup', label: '已收', form: 'receipt', link: 'quote', agg: 'sum', field: 'amount' },
    { key: 'receipts', type: 'rollup', label: '收款笔数', form: 'receipt', link: 'quote', agg: 'count' },
    { key: 'open', type: 'formula', label: '未收', result: 'money',
      expression: { 'dec-': [{ var: 'total' }, { var: 'paid' }] } },
    { key: 'region', type: 'lookup', label: '客户地区', link: 'customer', field: 'region' },
  ],
}

const receipt: FormDefinition = {
  key: 'receipt',
  label: '收款',
  fields: [
    { key: 'quote', type: 'link', form: 'quote', label: '报价单', required: true },
    { key: 'amount', type: 'money', label: '金额', required: true },
  ],
}

const line = (item: string, qty: number, price: string, delivery?: string) => ({ item, qty, price, delivery })

describe.each(databaseSuites())('line items, rollups and lookups on $name', (suite) => {
  let database: Database
  let catalog: Catalog
  let records: RecordService
  let acme: number

  const create = (form: string, values: Record<string, unknown>) =>
    records.create(SYSTEM_ACTOR, APP, form, values)
  const read = (form: string, id: number) => records.get(SYSTEM_ACTOR, APP, form, id)

  beforeAll(async () => {
    database = await suite.open()
    catalog = new Catalog(database)
    records = new RecordService(database, catalog)
    await catalog.saveApp({ key: APP, label: '销售实验' })
    for (const form of [customer, quote, receipt]) await catalog.saveDraft(APP, form)
    await catalog.publish(APP, ['customer', 'quote', 'receipt'], SYSTEM_ACTOR)
    acme = (await create('customer', { name: 'Acme', region: '上海/浦东新区' })).id
  })
  afterAll(() => database?.close())

  it('stores line items in a child table deleted with the record', async () => {
    const { rows } = await sql<{ column_name: string }>`
      select column_name from information_schema.columns
      where table_schema = 'sales_lab' and table_name = 'quote__items' order by ordinal_position`
      .execute(database.db)
    expect(rows.map((r) => r.column_name))
      .toEqual(['id', 'parent_id', 'position', 'item', 'qty', 'price', 'delivery', 'amount'])
    const { rows: fks } = await sql<{ rule: string }>`
      select delete_rule as rule from information_schema.referential_constraints
      where constraint_schema = 'sales_lab' and constraint_name like 'quote__items%'`.execute(database.db)
    expect(fks.map((fk) => fk.rule)).toContain('CASCADE')
  })

  it('computes line formulas and rollups over the lines at write, and reads the lines back', async () => {
    const created = await create('quote', {
      customer: acme,
      items: [line('A', 3, '0.10', '2025-03-01'), line('B', 1, '0.20', '2025-04-01'), line('C', 2, '1')],
    })
    expect(created.values).toMatchObject({
      total: '2.50', lines: 3, last: '2025-04-01', paid: '0.00', receipts: 0, open: '2.50',
      region: '上海市/浦东新区',
    })
    expect(created.values.items).toEqual([
      { item: 'A', qty: 3, price: '0.10', delivery: '2025-03-01', amount: '0.30' },
      { item: 'B', qty: 1, price: '0.20', delivery: '2025-04-01', amount: '0.20' },
      { item: 'C', qty: 2, price: '1.00', delivery: null, amount: '2.00' },
    ])

    const listed = await records.list(SYSTEM_ACTOR, APP, 'quote', {})
    expect(listed.items[0].values).not.toHaveProperty('items')
    expect(listed.items[0].values.region).toBe('上海市/浦东新区')
  })

  it('replaces the lines on update, and keeps them when the update leaves them out', async () => {
    const created = await create('quote', { customer: acme, items: [line('A', 1, '5')] })
    const kept = await records.update(SYSTEM_ACTOR, APP, 'quote', created.id, {
      version: created.version, values: { customer: acme },
    })
    expect(kept.values).toMatchObject({ total: '5.00', items: [{ item: 'A' }] })
    const replaced = await records.update(SYSTEM_ACTOR, APP, 'quote', kept.id, {
      version: kept.version, values: { items: [line('X', 2, '2'), line('Y', 1, '1')] },
    })
    expect(replaced.values).toMatchObject({ total: '5.00', lines: 2, open: '5.00' })
    expect((replaced.values.items as { item: string }[]).map((row) => row.item)).toEqual(['X', 'Y'])

    await records.delete(SYSTEM_ACTOR, APP, 'quote', created.id)
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from sales_lab.quote__items where parent_id = ${created.id}`.execute(database.db)
    expect(rows[0].n).toBe(0)
  })

  it('takes a record sent back as it was as no change: no new version, no history line', async () => {
    const created = await create('quote', { customer: acme, items: [line('A', 3, '0.10', '2025-03-01'), line('B', 1, '2')] })
    // What a form sends on save: every value as it was read, computed ones too.
    const same = await records.update(SYSTEM_ACTOR, APP, 'quote', created.id, {
      version: created.version, values: { customer: acme, items: created.values.items },
    })
    expect(same.version).toBe(created.version)
    expect(same.values).toEqual(created.values)
    const history = async () => (await records.history(SYSTEM_ACTOR, APP, 'quote', created.id)).map((row) => row.action)
    expect(await history()).toEqual(['record.create'])

    // One changed line is a change.
    const items = (created.values.items as Record<string, unknown>[]).map((row, index) => index === 1 ? { ...row, qty: 2 } : row)
    const changed = await records.update(SYSTEM_ACTOR, APP, 'quote', created.id, { version: created.version, values: { items } })
    expect(changed.version).toBe(created.version + 1)
    expect(changed.values.total).toBe('4.30')
    expect(await history()).toEqual(['record.create', 'record.update'])
  })

  it('refuses a bad line with the row and field in the path', async () => {
    const attempt = records.create(SYSTEM_ACTOR, APP, 'quote', {
      customer: acme, items: [line('A', 1, '1'), { item: 'B', price: 'abc' }],
    }, { locale: 'en' })
    await expect(attempt).rejects.toMatchObject({
      code: 'validation.failed',
      issues: [{ field: 'items[1].price', rule: 'format' }],
    })
  })

  it('keeps rollups over another form current on create, update, move and delete', async () => {
    const first = await create('quote', { customer: acme, items: [line('A', 10, '10')] })
    const second = await create('quote', { customer: acme, items: [line('B', 1, '50')] })
    const r1 = await create('receipt', { quote: first.id, amount: '30.25' })
    await create('receipt', { quote: first.id, amount: '9.75' })
    expect((await read('quote', first.id)).values).toMatchObject({ paid: '40.00', receipts: 2, open: '60.00' })

    const moved = await records.update(SYSTEM_ACTOR, APP, 'receipt', r1.id, {
      version: r1.version, values: { quote: second.id, amount: '20' },
    })
    expect((await read('quote', first.id)).values).toMatchObject({ paid: '9.75', receipts: 1, open: '90.25' })
    expect((await read('quote', second.id)).values).toMatchObject({ paid: '20.00', open: '30.00' })

    await records.delete(SYSTEM_ACTOR, APP, 'receipt', moved.id)
    expect((await read('quote', second.id)).values).toMatchObject({ paid: '0.00', receipts: 0, open: '50.00' })
  })

  it('carries a change on through a rollup of a formula of a rollup', async () => {
    const beta = (await create('customer', { name: 'Beta' })).id
    const q = await create('quote', { customer: beta, items: [line('A', 1, '100')] })
    expect((await read('customer', beta)).values.open_total).toBe('100.00')
    await create('receipt', { quote: q.id, amount: '35.50' })
    expect((await read('customer', beta)).values.open_total).toBe('64.50')
  })

  it('reads a lookup through the link as the linked record is now', async () => {
    const q = await create('quote', { customer: acme, items: [line('A', 1, '1')] })
    const customerRecord = await read('customer', acme)
    await records.update(SYSTEM_ACTOR, APP, 'customer', acme, {
      version: customerRecord.version, values: { region: '江苏/苏州市' },
    })
    expect((await read('quote', q.id)).values.region).toBe('江苏省/苏州市')
  })

  it('sums 30 parallel receipts of one quote exactly', async () => {
    const q = await create('quote', { customer: acme, items: [line('A', 1, '1000')] })
    await Promise.all(Array.from({ length: 30 }, (_, index) =>
      create('receipt', { quote: q.id, amount: `${index + 1}.01` })))
    expect((await read('quote', q.id)).values).toMatchObject({ paid: '465.30', receipts: 30, open: '534.70' })
  })

  it('fills a rollup and a formula added later for the records already there', async () => {
    const q = await create('quote', { customer: acme, items: [line('A', 2, '3'), line('B', 1, '4')] })
    const next: FormDefinition = {
      ...quote,
      fields: [
        ...quote.fields,
        { key: 'smallest', type: 'rollup', label: '最小金额', lines: 'items', agg: 'min', field: 'amount' },
        { key: 'doubled', type: 'formula', label: '两倍', result: 'money',
          expression: { 'dec*': [{ var: 'total' }, 2] } },
      ],
    }
    await catalog.saveDraft(APP, next)
    await catalog.publish(APP, ['quote'], SYSTEM_ACTOR)
    expect((await read('quote', q.id)).values).toMatchObject({ smallest: '4.00', doubled: '20.00' })

    // A new expression (and a new aggregate) for kept columns: the records already there follow.
    const redefined: FormDefinition = {
      ...next,
      fields: next.fields.map((field) => {
        if (field.key === 'doubled') return { ...field, expression: { 'dec*': [{ var: 'total' }, 3] } }
        if (field.key === 'smallest') return { ...field, agg: 'max' as const }
        return field
      }),
    }
    await catalog.saveDraft(APP, redefined)
    await catalog.publish(APP, ['quote'], SYSTEM_ACTOR)
    expect((await read('quote', q.id)).values).toMatchObject({ smallest: '6.00', doubled: '30.00' })
  })

  it('computes every stored rollup and formula afresh after rows were changed with SQL', async () => {
    const buyer = (await create('customer', { name: 'Bolt' })).id
    const q = await create('quote', { customer: buyer, items: [line('A', 2, '3.00'), line('B', 1, '4.00')] })
    await create('receipt', { quote: q.id, amount: '1.00' })
    await create('receipt', { quote: q.id, amount: '2.00' })
    expect((await read('quote', q.id)).values).toMatchObject({ total: '10.00', paid: '3.00', open: '7.00' })
    expect((await read('customer', buyer)).values).toMatchObject({ open_total: '7.00' })

    // Around the engine: receipts changed and one added with SQL, a line's
    // computed amount overwritten (its formula says 1 × 4.00); the stored
    // figures of the quote and its customer stay behind.
    await sql`update sales_lab.receipt set amount = amount + 0.50 where quote_id = ${q.id}`.execute(database.db)
    await sql`insert into sales_lab.receipt (quote_id, amount, _created_by, _updated_by)
      values (${q.id}, 0.25, 'sql', 'sql')`.execute(database.db)
    await sql`update sales_lab.quote__items set amount = 5.00 where parent_id = ${q.id} and item = 'B'`.execute(database.db)
    expect((await read('quote', q.id)).values).toMatchObject({ paid: '3.00', open: '7.00' })

    const done = await database.transaction((trx) => recomputeDerived(trx, APP))
    // Children before the forms that sum them: quotes (their lines first), then customers.
    expect(done.forms.map((one) => one.form)).toEqual([`${APP}/quote`, `${APP}/customer`])
    const fixed = (await read('quote', q.id)).values
    expect(fixed).toMatchObject({ total: '10.00', paid: '4.25', receipts: 3, open: '5.75' })
    expect((fixed.items as { amount: string }[]).map((item) => item.amount)).toEqual(['6.00', '4.00'])
    expect((await read('customer', buyer)).values).toMatchObject({ open_total: '5.75' })

    const again = await database.transaction((trx) => recomputeDerived(trx, APP))
    expect(again.forms).toEqual(done.forms)
    expect((await read('customer', buyer)).values).toMatchObject({ open_total: '5.75' })
    await expect(database.transaction((trx) => recomputeDerived(trx, 'no-such-app')))
      .rejects.toMatchObject({ code: 'not_found' })
    expect(again.formulaFailures).toEqual([])

    // A formula that divides by the total: a quote whose lines were zeroed with
    // SQL cannot have it computed, which the recompute says (the value is left empty).
    const current = (await catalog.getForm(APP, 'quote')).definition
    await catalog.saveDraft(APP, { ...current, fields: [...current.fields,
      { key: 'paid_share', type: 'formula', label: '已收占比', result: 'number', scale: 4,
        expression: { 'dec/': [{ var: 'paid' }, { var: 'total' }] } }] })
    await catalog.publish(APP, ['quote'], SYSTEM_ACTOR)
    await sql`update sales_lab.quote__items set price = 0, amount = 0 where parent_id = ${q.id}`.execute(database.db)
    const zeroed = await database.transaction((trx) => recomputeDerived(trx, APP))
    expect(zeroed.formulaFailures).toEqual([{ form: `${APP}/quote`, records: 1 }])
    expect((await read('quote', q.id)).values).toMatchObject({ total: '0.00', paid_share: null })
  })
})
