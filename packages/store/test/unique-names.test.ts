import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type FormDefinition } from '@tessera/core'
import { Catalog, RecordService, type Database } from '../src/index.js'
import { databaseSuites } from '../src/testing.js'

const APP = 'visit-lab'

const client: FormDefinition = {
  key: 'client', label: '客户', titleField: 'name',
  fields: [{ key: 'name', type: 'text', label: '名称', required: true }],
}
const visit: FormDefinition = {
  key: 'visit', label: '拜访',
  fields: [
    { key: 'client', type: 'link', form: 'client', label: { 'zh-CN': '客户', en: 'Client' }, required: true },
    { key: 'day', type: 'date', label: { 'zh-CN': '日期', en: 'Day' }, required: true },
    { key: 'note', type: 'text', label: '备注' },
  ],
  uniques: [['client', 'day']],
}

describe.each(databaseSuites())('a refused duplicate names linked records on $name', (suite) => {
  let database: Database
  let records: RecordService
  let acme: number
  let other: number

  beforeAll(async () => {
    database = await suite.open()
    const catalog = new Catalog(database)
    records = new RecordService(database, catalog)
    await catalog.saveApp({ key: APP, label: '拜访' })
    for (const form of [client, visit]) await catalog.saveDraft(APP, form)
    await catalog.publish(APP, ['client', 'visit'], SYSTEM_ACTOR)
    acme = (await records.create(SYSTEM_ACTOR, APP, 'client', { name: '甲公司' })).id
    other = (await records.create(SYSTEM_ACTOR, APP, 'client', { name: '乙公司' })).id
    await records.create(SYSTEM_ACTOR, APP, 'visit', { client: acme, day: '2026-03-10' })
  })
  afterAll(() => database?.close())

  it('by title, not by id, on a create and on an update, and writes nothing', async () => {
    await expect(records.create(SYSTEM_ACTOR, APP, 'visit', { client: acme, day: '2026-03-10', note: '再访' }))
      .rejects.toMatchObject({
        code: 'conflict.unique',
        message: '「客户、日期」为 「甲公司」, "2026-03-10" 的记录已存在',
        issues: [expect.objectContaining({ field: 'client' }), expect.objectContaining({ field: 'day' })],
      })
    const moved = await records.create(SYSTEM_ACTOR, APP, 'visit', { client: other, day: '2026-03-10' })
    // Only the client changes: the message still names both values the record would hold.
    await expect(records.update(SYSTEM_ACTOR, APP, 'visit', moved.id, { version: moved.version, values: { client: acme } },
      { locale: 'en' })).rejects.toMatchObject({
      code: 'conflict.unique',
      message: '"Client, Day" "甲公司", "2026-03-10" is already used by another record',
    })
    expect((await records.get(SYSTEM_ACTOR, APP, 'visit', moved.id)).values.client).toBe(other)
    expect((await records.list(SYSTEM_ACTOR, APP, 'visit')).total).toBe(2)
  })
})
