import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type FieldDefinition, type FormDefinition } from '@tessera/core'
import { Catalog, RecordService, type Database } from '../src/index.js'
import { databaseSuites } from '../src/testing.js'

const APP = 'life-lab'

const base: FormDefinition = {
  key: 'ticket',
  label: '工单',
  fields: [
    { key: 'code', type: 'text', label: '编号', required: true, unique: true },
    { key: 'hours', type: 'text', label: '工时' },
    { key: 'due', type: 'text', label: '到期' },
    { key: 'cost', type: 'money', label: '费用', scale: 4 },
    { key: 'count', type: 'number', label: '次数' },
    { key: 'flag', type: 'text', label: '标记' },
    { key: 'tag', type: 'select', label: '标签', options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }] },
  ],
}

/** The base form with some fields replaced (the column each already has is kept). */
function withFields(published: FormDefinition, changes: Record<string, Partial<FieldDefinition>>): FormDefinition {
  return {
    ...published,
    fields: published.fields.map((field) =>
      changes[field.key] ? ({ ...field, ...changes[field.key] } as FieldDefinition) : field),
  }
}

describe.each(databaseSuites())('publishing type changes on $name', (suite) => {
  let database: Database
  let catalog: Catalog
  let records: RecordService
  const ids: number[] = []

  const publish = async (definition: FormDefinition) => {
    await catalog.saveDraft(APP, definition)
    return catalog.publish(APP, ['ticket'], SYSTEM_ACTOR)
  }
  const current = async () => (await catalog.getForm(APP, 'ticket')).definition

  beforeAll(async () => {
    database = await suite.open()
    catalog = new Catalog(database)
    records = new RecordService(database, catalog)
    await catalog.saveApp({ key: APP, label: '生命周期' })
    await publish(base)
    const rows = [
      { code: 'T-1', hours: '12', due: '2025-03-14', cost: '1.5000', count: 3, flag: 'yes', tag: 'a' },
      { code: 'T-2', hours: ' 7.5 ', due: '2025-02-30', cost: '2.2500', count: 4.5, flag: 'no', tag: 'b' },
      { code: 'T-3', hours: 'many', due: null, cost: '3.1234', count: null, flag: 'maybe', tag: null },
    ]
    for (const values of rows) ids.push((await records.create(SYSTEM_ACTOR, APP, 'ticket', values)).id)
  })
  afterAll(() => database?.close())

  it('refuses text → number while a value is not a number, naming the record', async () => {
    const attempt = publish(withFields(await current(), { hours: { type: 'number' } as Partial<FieldDefinition> }))
    await expect(attempt).rejects.toMatchObject({
      code: 'metadata.invalid',
      message: expect.stringContaining(`1 record(s) hold values that do not convert without loss (ids ${ids[2]})`),
      details: { field: 'hours', from: 'text', to: 'number', blocking: [ids[2]], count: 1 },
    })
    expect((await catalog.getForm(APP, 'ticket')).version).toBe(1)
  })

  it('converts text → number once every value converts, keeping the data', async () => {
    const third = await records.get(SYSTEM_ACTOR, APP, 'ticket', ids[2])
    await records.update(SYSTEM_ACTOR, APP, 'ticket', ids[2], { version: third.version, values: { hours: '0' } })
    await publish(withFields(await current(), { hours: { type: 'number' } as Partial<FieldDefinition> }))
    const { rows } = await sql<{ hours: string; type: string }>`
      select hours::text as hours, pg_typeof(hours)::text as type from life_lab.ticket order by id`.execute(database.db)
    expect(rows.map((row) => row.hours)).toEqual(['12', '7.5', '0'])
    expect(rows[0].type).toBe('numeric')
    expect((await records.get(SYSTEM_ACTOR, APP, 'ticket', ids[1])).values.hours).toBe(7.5)
  })

  it('refuses text → date for an impossible date, and money to a smaller scale that would round', async () => {
    await expect(publish(withFields(await current(), { due: { type: 'date' } as Partial<FieldDefinition> })))
      .rejects.toMatchObject({ details: { field: 'due', blocking: [ids[1]] } })
    await expect(publish(withFields(await current(), { cost: { scale: 2 } as Partial<FieldDefinition> })))
      .rejects.toMatchObject({ details: { field: 'cost', blocking: [ids[2]] } })
  })

  it('refuses number → whole number for a fraction, and yes/no for other text', async () => {
    await expect(publish(withFields(await current(), { count: { integer: true } as Partial<FieldDefinition> })))
      .rejects.toMatchObject({ details: { field: 'count', blocking: [ids[1]] } })
    await expect(publish(withFields(await current(), { flag: { type: 'boolean' } as Partial<FieldDefinition> })))
      .rejects.toMatchObject({ details: { field: 'flag', blocking: [ids[2]] } })
  })

  it('widens money to a larger scale without a check', async () => {
    await publish(withFields(await current(), { cost: { scale: 6 } as Partial<FieldDefinition> }))
    expect((await records.get(SYSTEM_ACTOR, APP, 'ticket', ids[2])).values.cost).toBe('3.123400')
  })

  it('converts select → multiselect and anything → text', async () => {
    await publish(withFields(await current(), {
      tag: { type: 'multiselect' } as Partial<FieldDefinition>,
      count: { type: 'text' } as Partial<FieldDefinition>,
    }))
    const first = await records.get(SYSTEM_ACTOR, APP, 'ticket', ids[0])
    expect(first.values).toMatchObject({ tag: ['a'], count: '3' })
    expect((await records.get(SYSTEM_ACTOR, APP, 'ticket', ids[2])).values.tag).toBeNull()
  })

  it('renames a field whose draft keeps its column, keeping the data', async () => {
    const definition = await current()
    const renamed = {
      ...definition,
      fields: definition.fields.map((field) => (field.key === 'hours' ? { ...field, key: 'effort', label: '工作量' } : field)),
    }
    await publish(renamed)
    const record = await records.get(SYSTEM_ACTOR, APP, 'ticket', ids[0])
    expect(record.values.effort).toBe(12)
    expect(record.values).not.toHaveProperty('hours')
    expect((await catalog.getForm(APP, 'ticket')).definition.fields.find((f) => f.key === 'effort')?.column).toBe('hours')
  })
})

describe.each(databaseSuites())('publishing unique sets on $name', (suite) => {
  let database: Database
  let catalog: Catalog
  let records: RecordService

  const visit: FormDefinition = {
    key: 'visit',
    label: '拜访',
    fields: [
      { key: 'customer', type: 'text', label: '客户', required: true },
      { key: 'day', type: 'date', label: '日期', required: true },
      { key: 'code', type: 'text', label: '编号', unique: true },
    ],
    uniques: [['customer', 'day'], ['code']],
  }
  const publish = async (definition: FormDefinition) => {
    await catalog.saveDraft(APP, definition)
    return catalog.publish(APP, ['visit'], SYSTEM_ACTOR)
  }
  const create = (values: Record<string, unknown>) => records.create(SYSTEM_ACTOR, APP, 'visit', values)

  beforeAll(async () => {
    database = await suite.open()
    catalog = new Catalog(database)
    records = new RecordService(database, catalog)
    await catalog.saveApp({ key: APP, label: '生命周期' })
    await publish(visit)
  })
  afterAll(() => database?.close())

  it('refuses a repeated pair, keeps the index across a rename, and drops it with the set', async () => {
    await create({ customer: '甲', day: '2026-03-10', code: 'V-1' })
    await expect(create({ customer: '甲', day: '2026-03-10', code: 'V-2' }))
      .rejects.toMatchObject({ code: 'conflict.unique' })

    // Renaming a field of the set keeps the set (and its index) by column.
    const published = (await catalog.getForm(APP, 'visit')).definition
    const renamed: FormDefinition = {
      ...published,
      fields: published.fields.map((f) => (f.key === 'day' ? { ...f, key: 'visited_on' } : f)),
      uniques: [['customer', 'visited_on'], ['code']],
    }
    await publish(renamed)
    await expect(create({ customer: '甲', visited_on: '2026-03-10', code: 'V-3' }))
      .rejects.toMatchObject({ code: 'conflict.unique' })

    // Taking the set out lets the pair repeat; the code stays unique by its own flag.
    await publish({ ...renamed, uniques: [['code']] })
    const again = await create({ customer: '甲', visited_on: '2026-03-10', code: 'V-4' })
    expect(again.values.code).toBe('V-4')
    await expect(create({ customer: '乙', visited_on: '2026-03-11', code: 'V-4' }))
      .rejects.toMatchObject({ code: 'conflict.unique' })
  })
})
