import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '@tessera/core'
import { Catalog, RecordService, type Database } from '../src/index.js'
import { databaseSuites } from '../src/testing.js'
import { task, team } from './fixtures.js'

// Regression: a process that had not yet read a linked form loaded it with the
// outer handle from inside the write transaction; on PGlite that failed with
// db.wrong_handle (a 500 on the first create after "tessera serve").
describe.each(databaseSuites())('a cold catalogue cache on $name', (suite) => {
  let database: Database

  beforeAll(async () => {
    database = await suite.open()
    const catalog = new Catalog(database)
    await catalog.saveApp({ key: 'work-plan', label: '工作计划' })
    await catalog.saveDraft('work-plan', team)
    await catalog.saveDraft('work-plan', task)
    await catalog.publish('work-plan', ['team', 'task'], SYSTEM_ACTOR)
    await new RecordService(database, catalog).create(SYSTEM_ACTOR, 'work-plan', 'team', { name: '一组' })
  })
  afterAll(() => database?.close())

  it('creates a record linking to a form this process has not read yet', async () => {
    const records = new RecordService(database, new Catalog(database))
    const created = await records.create(SYSTEM_ACTOR, 'work-plan', 'task', { code: 'C-1', team: 1 })
    expect(created.titles?.team).toBe('一组')
  })
})
