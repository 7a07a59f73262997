import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type FormDefinition } from '@tessera/core'
import { Catalog, migrate, openDatabase, RecordService, type Database } from '../src/index.js'
import { createTestPostgresUrl } from '../src/testing.js'

/**
 * The statements of record writes and reads by id are prepared once per
 * PostgreSQL connection (see prepared-statements.ts). One connection in the
 * pool, so that every call below runs in the same server session and sees
 * its prepared statements.
 */
const APP = 'prepared_lab'

const item: FormDefinition = {
  key: 'item',
  label: '物品',
  titleField: 'name',
  fields: [
    { key: 'name', type: 'text', label: '名称', required: true },
    { key: 'code', type: 'text', label: '编码' },
    { key: 'price', type: 'money', label: '价格' },
  ],
}

describe('prepared statements on PostgreSQL', () => {
  let database: Database
  let drop: () => Promise<void>
  let catalog: Catalog
  let records: RecordService

  const prepared = async () => {
    const { rows } = await sql<{ statement: string }>`
      select statement from pg_prepared_statements`.execute(database.db)
    return rows.map((row) => row.statement)
  }

  beforeAll(async () => {
    const made = await createTestPostgresUrl()
    drop = made.drop
    database = await openDatabase({ url: made.url, poolSize: 1 })
    await migrate(database)
    catalog = new Catalog(database)
    records = new RecordService(database, catalog)
    await catalog.saveApp({ key: APP, label: '预备语句' })
    await catalog.saveDraft(APP, item)
    await catalog.publish(APP, ['item'], SYSTEM_ACTOR)
  })
  afterAll(async () => {
    await database?.close()
    await drop?.()
  })

  it('prepares the marked statements of a write once, and nothing else', async () => {
    const first = await records.create(SYSTEM_ACTOR, APP, 'item', { name: '螺栓', code: '12', price: '1.50' })
    const afterOne = await prepared()
    expect(afterOne.some((text) => text.includes('insert into "prepared_lab"."item"'))).toBe(true)
    expect(afterOne.some((text) => text.includes('insert into tessera.audit'))).toBe(true)

    for (let n = 0; n < 5; n += 1) {
      await records.create(SYSTEM_ACTOR, APP, 'item', { name: `螺母${n}`, code: String(n), price: '0.20' })
    }
    await records.get(SYSTEM_ACTOR, APP, 'item', first.id)
    await records.update(SYSTEM_ACTOR, APP, 'item', first.id, { version: 1, values: { price: '1.60' } })
    await records.list(SYSTEM_ACTOR, APP, 'item', { filter: { '==': [{ var: 'code' }, '12'] } })
    const afterMany = await prepared()
    // Five more creates reuse the statements the first one prepared.
    expect(afterMany.filter((text) => text.includes('insert into "prepared_lab"."item"'))).toHaveLength(1)
    // Lists (whose plans depend on their filters) are never prepared.
    for (const text of afterMany) expect(text).toMatch(/^\s*\/\* prepare \*\//)
    expect((await records.get(SYSTEM_ACTOR, APP, 'item', first.id)).values.price).toBe('1.60')
  })

  it('keeps working on the same connection after a publish adds a field and changes a type', async () => {
    const kept = await records.create(SYSTEM_ACTOR, APP, 'item', { name: '垫片', code: '42', price: '3.00' })
    await records.get(SYSTEM_ACTOR, APP, 'item', kept.id)

    // "code" holds only digits, so text → number converts; the read by id
    // selects t.*, whose columns now differ in number and type.
    await catalog.saveDraft(APP, {
      ...item,
      fields: [
        ...item.fields.filter((field) => field.key !== 'code'),
        { key: 'code', type: 'number', label: '编码', integer: true },
        { key: 'note', type: 'text', label: '备注' },
      ],
    })
    await catalog.publish(APP, ['item'], SYSTEM_ACTOR)

    const read = await records.get(SYSTEM_ACTOR, APP, 'item', kept.id)
    expect(read.values).toMatchObject({ name: '垫片', code: 42, price: '3.00' })
    const made = await records.create(SYSTEM_ACTOR, APP, 'item', { name: '弹簧', code: 7, note: '新字段' })
    expect((await records.get(SYSTEM_ACTOR, APP, 'item', made.id)).values).toMatchObject({ code: 7, note: '新字段' })
  })

  it('prepares again at once when a table is altered behind its back', async () => {
    const one = await records.create(SYSTEM_ACTOR, APP, 'item', { name: '铆钉' })
    await records.get(SYSTEM_ACTOR, APP, 'item', one.id)
    // A column added by hand with SQL, not by publishing (as another
    // process's publish looks to this one): the prepared read by id now
    // returns other columns, which PostgreSQL refuses. Outside a
    // transaction the read is prepared and sent again.
    await sql`alter table prepared_lab.item add column extra_by_hand text`.execute(database.db)
    expect((await records.get(SYSTEM_ACTOR, APP, 'item', one.id)).values.name).toBe('铆钉')

    // Inside a write's transaction the refusal aborts it; the write runs again whole.
    await records.update(SYSTEM_ACTOR, APP, 'item', one.id, { version: 1, values: { price: '2.00' } })
    await sql`alter table prepared_lab.item add column more_by_hand text`.execute(database.db)
    const updated = await records.update(SYSTEM_ACTOR, APP, 'item', one.id, { version: 2, values: { price: '2.50' } })
    expect(updated.values.price).toBe('2.50')
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from tessera.audit where form_key = 'item' and record_id = ${one.id}`.execute(database.db)
    expect(rows[0].n).toBe(3)
  })
})
