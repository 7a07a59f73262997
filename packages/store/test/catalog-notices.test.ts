import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type FormDefinition } from '@tessera/core'
import { Catalog, migrate, openDatabase, RecordService, type Database } from '../src/index.js'
import { createTestPostgresUrl } from '../src/testing.js'

/**
 * Two processes on one PostgreSQL database, played by two pools with a
 * catalogue each: one publishes, the other must serve the new version
 * without a restart, and its prepared statements must not fail on the
 * changed table.
 */
const APP = 'two_servers'

const item: FormDefinition = {
  key: 'item',
  label: '物品',
  titleField: 'name',
  fields: [
    { key: 'name', type: 'text', label: '名称', required: true },
    { key: 'code', type: 'text', label: '编码' },
  ],
}

/** Waits until `check` holds, for at most `ms`; the assertion after it says what did not happen. */
async function eventually(check: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const until = Date.now() + ms
  while (Date.now() < until) {
    if (await check()) return
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

describe('several processes on one PostgreSQL database', () => {
  let drop: () => Promise<void>
  let first: { database: Database; catalog: Catalog; records: RecordService }
  let second: { database: Database; catalog: Catalog; records: RecordService }

  const open = async (url: string) => {
    const database = await openDatabase({ url, poolSize: 2 })
    const catalog = new Catalog(database)
    return { database, catalog, records: new RecordService(database, catalog) }
  }
  const versionSeenBySecond = async () => (await second.catalog.getForm(APP, 'item')).version

  beforeAll(async () => {
    const made = await createTestPostgresUrl()
    drop = made.drop
    first = await open(made.url)
    await migrate(first.database)
    await first.catalog.saveApp({ key: APP, label: '两个进程' })
    await first.catalog.saveDraft(APP, item)
    await first.catalog.publish(APP, ['item'], SYSTEM_ACTOR)
    second = await open(made.url)
  })
  afterAll(async () => {
    await first?.database.close()
    await second?.database.close()
    await drop?.()
  })

  it('serves the version another process published, and writes its new field', async () => {
    const made = await second.records.create(SYSTEM_ACTOR, APP, 'item', { name: '螺栓', code: '12' })
    await second.records.get(SYSTEM_ACTOR, APP, 'item', made.id)
    expect(await versionSeenBySecond()).toBe(1)

    // Published by the first: "code" becomes a number (every value is
    // digits) and a field is added.
    await first.catalog.saveDraft(APP, {
      ...item,
      fields: [
        item.fields[0],
        { key: 'code', type: 'number', label: '编码', integer: true },
        { key: 'note', type: 'text', label: '备注' },
      ],
    })
    await first.catalog.publish(APP, ['item'], SYSTEM_ACTOR)

    await eventually(async () => (await versionSeenBySecond()) === 2)
    expect(await versionSeenBySecond()).toBe(2)
    expect((await second.records.get(SYSTEM_ACTOR, APP, 'item', made.id)).values).toMatchObject({ code: 12 })
    const noted = await second.records.create(SYSTEM_ACTOR, APP, 'item', { name: '垫片', code: 7, note: '新字段' })
    expect((await first.records.get(SYSTEM_ACTOR, APP, 'item', noted.id)).values).toMatchObject({ code: 7, note: '新字段' })
  })

  it('drops everything it cached when its listening connection was lost, and listens again', async () => {
    expect(await versionSeenBySecond()).toBe(2)
    const { rows } = await sql<{ pid: number }>`
      select pid from pg_stat_activity
      where datname = current_database() and query like 'listen %' and pid <> pg_backend_pid()`
      .execute(first.database.db)
    // Two catalogues listen, one per process.
    expect(rows).toHaveLength(2)
    for (const { pid } of rows) await sql`select pg_terminate_backend(${pid})`.execute(first.database.db)

    // Published while nobody listens: the notice is lost.
    await first.catalog.saveDraft(APP, {
      ...item,
      fields: [item.fields[0], { key: 'code', type: 'number', label: '编码', integer: true }, { key: 'size', type: 'number', label: '尺寸' }],
    })
    await first.catalog.publish(APP, ['item'], SYSTEM_ACTOR)

    await eventually(async () => (await versionSeenBySecond()) === 3)
    expect(await versionSeenBySecond()).toBe(3)
    const sized = await second.records.create(SYSTEM_ACTOR, APP, 'item', { name: '弹簧', size: 5 })
    expect((await first.records.get(SYSTEM_ACTOR, APP, 'item', sized.id)).values).toMatchObject({ size: 5 })
  })
})
