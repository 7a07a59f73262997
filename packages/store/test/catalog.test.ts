import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '@tessera/core'
import { Catalog, RecordService, type Database } from '../src/index.js'
import { databaseSuites } from '../src/testing.js'
import { task, team } from './fixtures.js'

describe.each(databaseSuites())('catalogue and publishing on $name', (suite) => {
  let database: Database
  let catalog: Catalog
  let records: RecordService

  beforeAll(async () => {
    database = await suite.open()
    catalog = new Catalog(database)
    records = new RecordService(database, catalog)
    await catalog.saveApp({ key: 'work-plan', label: '工作计划' })
    await catalog.saveDraft('work-plan', team)
    await catalog.saveDraft('work-plan', task)
  })
  afterAll(() => database?.close())

  it('publishes linked forms together into typed tables', async () => {
    const published = await catalog.publish('work-plan', ['task', 'team'], SYSTEM_ACTOR)
    expect(published.map((f) => [f.key, f.version]).sort()).toEqual([['task', 1], ['team', 1]])

    const { rows } = await sql<{ column_name: string; data_type: string; numeric_scale: number | null }>`
      select column_name, data_type, numeric_scale from information_schema.columns
      where table_schema = 'work_plan' and table_name = 'task' order by ordinal_position
    `.execute(database.db)
    expect(rows.map((r) => [r.column_name, r.data_type, r.numeric_scale])).toEqual([
      ['id', 'bigint', 0],
      ['_version', 'integer', 0],
      ['_created_at', 'timestamp with time zone', null],
      ['_created_by', 'text', null],
      ['_updated_at', 'timestamp with time zone', null],
      ['_updated_by', 'text', null],
      ['code', 'text', null],
      ['team_id', 'bigint', 0],
      ['budget', 'numeric', 2],
      ['hours', 'numeric', null],
      ['due', 'date', null],
      ['state', 'text', null],
    ])

    const { rows: fks } = await sql<{ n: number }>`
      select count(*)::int as n from information_schema.table_constraints
      where table_schema = 'work_plan' and table_name = 'task' and constraint_type = 'FOREIGN KEY'
    `.execute(database.db)
    expect(fks[0].n).toBe(1)
  })

  it('makes no new version when nothing changed', async () => {
    const again = await catalog.publish('work-plan', ['task', 'team'], SYSTEM_ACTOR)
    expect(again).toEqual([])
    expect((await catalog.getForm('work-plan', 'task')).version).toBe(1)
  })

  it('adds and retires fields without losing records written earlier', async () => {
    const crew = await records.create(SYSTEM_ACTOR, 'work-plan', 'team', { name: '一组' })
    const first = await records.create(SYSTEM_ACTOR, 'work-plan', 'task', {
      code: 'T-1', team: crew.id, budget: '100.50', state: 'open',
    })

    const next = structuredClone(task)
    next.fields = next.fields.filter((f) => f.key !== 'hours')
    next.fields.push({ key: 'note', type: 'text', label: '备注' })
    await catalog.saveDraft('work-plan', next)
    const [v2] = await catalog.publish('work-plan', ['task'], SYSTEM_ACTOR)
    expect(v2.version).toBe(2)
    expect(v2.definition.fields.find((f) => f.key === 'note')?.column).toBe('note')

    const read = await records.get(SYSTEM_ACTOR, 'work-plan', 'task', first.id)
    expect(read.values).toMatchObject({ code: 'T-1', budget: '100.50', note: null })
    expect(read.values).not.toHaveProperty('hours')

    // A field brought back under the old key gets a fresh column: the
    // retired column keeps its data and its name.
    next.fields.push({ key: 'hours', type: 'number', label: '工时', integer: true })
    await catalog.saveDraft('work-plan', next)
    const [v3] = await catalog.publish('work-plan', ['task'], SYSTEM_ACTOR)
    expect(v3.definition.fields.find((f) => f.key === 'hours')?.column).toBe('hours_2')
  })

  it('refuses a type change that would rewrite a column, naming the field', async () => {
    const changed = structuredClone((await catalog.getForm('work-plan', 'task')).definition)
    const budget = changed.fields.findIndex((f) => f.key === 'budget')
    changed.fields[budget] = { key: 'budget', type: 'date', label: '预算', column: 'budget' }
    await catalog.saveDraft('work-plan', changed)
    await expect(catalog.publish('work-plan', ['task'], SYSTEM_ACTOR)).rejects.toMatchObject({
      code: 'metadata.invalid',
      message: expect.stringContaining('field "budget" of form "task"'),
    })
    expect((await catalog.getForm('work-plan', 'task')).version).toBe(3)
  })

  it('stores other metadata documents by kind and key', async () => {
    await catalog.putMeta('work-plan', 'report', 'by_team', { key: 'by_team', label: '按团队' }, SYSTEM_ACTOR)
    await catalog.putMeta('work-plan', 'report', 'by_team', { key: 'by_team', label: '按团队' }, SYSTEM_ACTOR)
    expect(await catalog.listMeta('work-plan', 'report')).toEqual([
      { key: 'by_team', label: '按团队', version: 1 },
    ])
    await expect(catalog.getMeta('work-plan', 'dashboard', 'nope')).rejects.toMatchObject({ code: 'not_found' })
  })

  it('saves several documents all or none, and deletes one only when nothing depends on it', async () => {
    const board = { key: 'team_board', widgets: [{ report: 'by_team' }] }
    // A required document that is missing refuses the whole save.
    await expect(catalog.putMetaItems('work-plan', [
      { kind: 'report', key: 'by_owner', spec: { key: 'by_owner' } },
      { kind: 'dashboard', key: 'team_board', spec: board },
    ], SYSTEM_ACTOR, [{ kind: 'report', key: 'by_nobody' }])).rejects.toMatchObject({ code: 'not_found' })
    expect(await catalog.findMeta('work-plan', 'report', 'by_owner')).toBeUndefined()
    expect(await catalog.findMeta('work-plan', 'dashboard', 'team_board')).toBeUndefined()

    await catalog.putMetaItems('work-plan', [{ kind: 'dashboard', key: 'team_board', spec: board }], SYSTEM_ACTOR,
      [{ kind: 'report', key: 'by_team' }])
    const refusal = new Error('shown on team_board')
    await expect(catalog.deleteMeta('work-plan', 'report', 'by_team', (items) => {
      if (items.some((item) => item.kind === 'dashboard')) throw refusal
    })).rejects.toBe(refusal)
    expect(await catalog.findMeta('work-plan', 'report', 'by_team')).toBeDefined()
    expect(await catalog.deleteMeta('work-plan', 'dashboard', 'team_board')).toBe(true)
    expect(await catalog.deleteMeta('work-plan', 'dashboard', 'team_board')).toBe(false)

    // A change started from an older version is refused rather than overwriting the newer one.
    await catalog.putMeta('work-plan', 'dashboard', 'plan_board', { key: 'plan_board', widgets: [] }, SYSTEM_ACTOR)
    const read = await catalog.getMetaVersioned('work-plan', 'dashboard', 'plan_board')
    await catalog.putMetaItems('work-plan', [{ kind: 'dashboard', key: 'plan_board', spec: { key: 'plan_board', widgets: [1] },
      baseVersion: read.version }], SYSTEM_ACTOR)
    await expect(catalog.putMetaItems('work-plan', [{ kind: 'dashboard', key: 'plan_board',
      spec: { key: 'plan_board', widgets: [2] }, baseVersion: read.version }], SYSTEM_ACTOR))
      .rejects.toMatchObject({ code: 'conflict.version', details: { expected: read.version, current: read.version + 1 } })
    expect((await catalog.getMetaVersioned('work-plan', 'dashboard', 'plan_board')).spec).toEqual({ key: 'plan_board', widgets: [1] })

    // A save that needs the document while it is being deleted waits for the delete, then is refused.
    // (PostgreSQL only: embedded PGlite has one connection, and a query started from inside a
    // transaction on the outer handle is refused as such.)
    if (suite.name !== 'postgres') return
    let racing: Promise<unknown> | undefined
    expect(await catalog.deleteMeta('work-plan', 'report', 'by_team', () => {
      racing = catalog.putMetaItems('work-plan', [{ kind: 'dashboard', key: 'team_board', spec: board }], SYSTEM_ACTOR,
        [{ kind: 'report', key: 'by_team' }])
      racing.catch(() => {})
    })).toBe(true)
    await expect(racing).rejects.toMatchObject({ code: 'not_found' })
    expect(await catalog.findMeta('work-plan', 'dashboard', 'team_board')).toBeUndefined()
  })

  it('creates a document only while its key is free, also against one created meanwhile', async () => {
    const first = { key: 'new_board', widgets: [] }
    expect(await catalog.putMetaItems('work-plan', [{ kind: 'dashboard', key: 'new_board', spec: first, create: true }], SYSTEM_ACTOR))
      .toEqual({ 'dashboard/new_board': 1 })
    await expect(catalog.putMetaItems('work-plan', [{ kind: 'dashboard', key: 'new_board', spec: { ...first, widgets: [1] },
      create: true }], SYSTEM_ACTOR)).rejects.toMatchObject({ code: 'conflict.unique', details: { kind: 'dashboard', key: 'new_board' } })
    // The same spec again is no exception.
    await expect(catalog.putMetaItems('work-plan', [{ kind: 'dashboard', key: 'new_board', spec: first, create: true }], SYSTEM_ACTOR))
      .rejects.toMatchObject({ code: 'conflict.unique' })
    expect(await catalog.getMetaVersioned('work-plan', 'dashboard', 'new_board')).toEqual({ spec: first, version: 1 })

    // Created by another transaction after the check found the key free: that one stays, this one is refused.
    // (PostgreSQL only: two transactions at once need two connections.)
    if (suite.name !== 'postgres') return
    let racing: Promise<unknown> | undefined
    await database.transaction(async (trx) => {
      await sql`insert into tessera.meta_item (app_key, kind, key, spec, updated_by)
        values ('work-plan', 'dashboard', 'raced_board', ${JSON.stringify({ key: 'raced_board', widgets: ['theirs'] })}, 'someone')`
        .execute(trx)
      racing = catalog.putMetaItems('work-plan', [{ kind: 'dashboard', key: 'raced_board',
        spec: { key: 'raced_board', widgets: ['mine'] }, create: true }], SYSTEM_ACTOR)
      racing.catch(() => {})
      // Long enough for the other save to find no row and wait on the key.
      await new Promise((resolve) => setTimeout(resolve, 300))
    })
    await expect(racing).rejects.toMatchObject({ code: 'conflict.unique' })
    expect((await catalog.getMetaVersioned('work-plan', 'dashboard', 'raced_board')).spec)
      .toEqual({ key: 'raced_board', widgets: ['theirs'] })
  })
})
