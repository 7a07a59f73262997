import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type Actor } from '@tessera/core'
import { Catalog, RecordService, type Database } from '../src/index.js'
import { databaseSuites } from '../src/testing.js'
import { task, team } from './fixtures.js'

const clerk: Actor = { id: 'clerk-1' }

describe.each(databaseSuites())('records on $name', (suite) => {
  let database: Database
  let records: RecordService
  let teamA: number
  let teamB: number

  beforeAll(async () => {
    database = await suite.open()
    const catalog = new Catalog(database)
    records = new RecordService(database, catalog)
    await catalog.saveApp({ key: 'work-plan', label: '工作计划' })
    await catalog.saveDraft('work-plan', team)
    await catalog.saveDraft('work-plan', task)
    await catalog.publish('work-plan', ['team', 'task'], SYSTEM_ACTOR)
    teamA = (await records.create(clerk, 'work-plan', 'team', { name: '华东组', region: '上海' })).id
    teamB = (await records.create(clerk, 'work-plan', 'team', { name: '华南组', region: '深圳' })).id
    for (let i = 1; i <= 12; i++) {
      await records.create(clerk, 'work-plan', 'task', {
        code: `T-${String(i).padStart(2, '0')}`,
        team: i % 3 === 0 ? teamB : teamA,
        budget: `${i * 100}.25`,
        hours: i / 2,
        due: `2026-01-${String(i).padStart(2, '0')}`,
        state: i % 2 ? 'open' : 'done',
      })
    }
  })
  afterAll(() => database?.close())

  it('creates a record with exact money, dates, links and its title', async () => {
    const created = await records.create(clerk, 'work-plan', 'task', {
      code: 'X-1', team: teamB, budget: '0.1', due: '2024-02-29',
    })
    expect(created).toMatchObject({
      version: 1,
      createdBy: 'clerk-1',
      values: { code: 'X-1', team: teamB, budget: '0.10', hours: null, due: '2024-02-29', state: null },
      titles: { team: '华南组' },
    })
    const { rows } = await sql<{ action: string; actor: string }>`
      select action, actor from tessera.audit where form_key = 'task' and record_id = ${created.id}
    `.execute(database.db)
    expect(rows).toEqual([{ action: 'record.create', actor: 'clerk-1' }])
  })

  it('rejects bad values field by field and writes nothing', async () => {
    const before = await records.list(clerk, 'work-plan', 'task', { pageSize: 1 })
    const attempt = records.create(clerk, 'work-plan', 'task', {
      team: teamA, budget: '-5', due: '2025-02-30', state: 'lost',
    })
    await expect(attempt).rejects.toMatchObject({ code: 'validation.failed' })
    const error = await attempt.catch((e) => e)
    const fields = error.issues.map((i: { field: string }) => i.field).sort()
    expect(fields).toEqual(['budget', 'code', 'due', 'state'])
    expect(error.issues.find((i: { field: string }) => i.field === 'budget').message).toContain('预算')

    const after = await records.list(clerk, 'work-plan', 'task', { pageSize: 1 })
    expect(after.total).toBe(before.total)
  })

  it('reports a duplicate as a field issue from the unique index', async () => {
    const attempt = records.create(clerk, 'work-plan', 'task', { code: 'T-01', team: teamA }, { locale: 'en' })
    await expect(attempt).rejects.toMatchObject({
      code: 'conflict.unique',
      issues: [{ field: 'code', rule: 'unique', message: '"Code" "T-01" is already used by another record' }],
    })
  })

  it('reports a link to a missing record on the link field', async () => {
    const attempt = records.create(clerk, 'work-plan', 'task', { code: 'Y-1', team: 999999 })
    await expect(attempt).rejects.toMatchObject({
      code: 'conflict.reference',
      issues: [{ field: 'team', rule: 'reference' }],
    })
  })

  it('updates with the version read and refuses a stale one', async () => {
    const page = await records.list(clerk, 'work-plan', 'task', { filter: { '==': [{ var: 'code' }, 'T-05'] } })
    const record = page.items[0]
    const updated = await records.update(clerk, 'work-plan', 'task', record.id, {
      version: record.version, values: { budget: '999.9' },
    })
    expect(updated.version).toBe(record.version + 1)
    expect(updated.values.budget).toBe('999.90')
    expect(updated.values.code).toBe('T-05')

    const stale = records.update(clerk, 'work-plan', 'task', record.id, {
      version: record.version, values: { budget: '1' },
    })
    await expect(stale).rejects.toMatchObject({ code: 'conflict.version' })
  })

  it('filters, sorts, searches and pages through one query layer', async () => {
    const open = await records.list(clerk, 'work-plan', 'task', {
      filter: { and: [{ '==': [{ var: 'state' }, 'open'] }, { '>=': [{ var: 'budget' }, '500'] }] },
      sort: [{ field: 'budget', dir: 'desc' }],
      pageSize: 3,
    })
    expect(open.total).toBe(4)
    // T-05's budget became 999.90 in the update test above.
    expect(open.items.map((r) => r.values.code)).toEqual(['T-11', 'T-05', 'T-09'])

    const second = await records.list(clerk, 'work-plan', 'task', {
      filter: { in: [{ var: 'code' }, ['T-01', 'T-02', 'T-03']] },
      sort: [{ field: 'code', dir: 'asc' }],
      pageSize: 2,
      page: 2,
    })
    expect(second.items.map((r) => r.values.code)).toEqual(['T-03'])

    const searched = await records.list(clerk, 'work-plan', 'team', { q: '华南' })
    expect(searched.items.map((r) => r.values.name)).toEqual(['华南组'])

    const options = await records.options(clerk, 'work-plan', 'team', '华')
    expect(options.map((o) => o.title)).toEqual(['华东组', '华南组'])
  })

  it('treats filter and sort input as values, never as SQL', async () => {
    const injected = await records.list(clerk, 'work-plan', 'task', {
      filter: { '==': [{ var: 'code' }, "T-01' or '1'='1"] },
    })
    expect(injected.total).toBe(0)
    await expect(records.list(clerk, 'work-plan', 'task', {
      filter: { '==': [{ var: 'code; drop table x' }, 'a'] },
    })).rejects.toMatchObject({ code: 'request.invalid' })
    await expect(records.list(clerk, 'work-plan', 'task', {
      sort: [{ field: 'code desc; drop table tessera.audit', dir: 'asc' }],
    })).rejects.toMatchObject({ code: 'request.invalid' })
  })

  it('deletes a record unless another still links to it', async () => {
    const blocked = records.delete(clerk, 'work-plan', 'team', teamA)
    await expect(blocked).rejects.toMatchObject({ code: 'conflict.reference' })
    // Named: which forms link to it and how many of their records, a line item's link counting
    // the record holding the line.
    const catalog = new Catalog(database)
    await catalog.saveDraft('work-plan', {
      key: 'roster', label: { 'zh-CN': '排班', en: 'Roster' }, fields: [
        { key: 'week', type: 'text', label: '周' },
        { key: 'shifts', type: 'lines', label: '班次', fields: [
          { key: 'crew', type: 'link', form: 'team', label: '班组' },
          { key: 'hours', type: 'number', label: '小时' },
        ] },
      ],
    })
    await catalog.publish('work-plan', ['roster'], SYSTEM_ACTOR)
    const service = new RecordService(database, catalog)
    await service.create(clerk, 'work-plan', 'roster', { week: 'W1', shifts: [{ crew: teamA, hours: 8 }, { crew: teamA, hours: 4 }] })
    await service.create(clerk, 'work-plan', 'roster', { week: 'W2', shifts: [{ crew: teamB, hours: 8 }] })
    const tasksOfA = (await service.list(clerk, 'work-plan', 'task', { filter: { '==': [{ var: 'team' }, teamA] } })).total
    await expect(service.delete(clerk, 'work-plan', 'team', teamA)).rejects.toMatchObject({
      code: 'conflict.reference',
      message: `该团队记录仍被 1 条「排班」、${tasksOfA} 条「任务」记录引用，请先解除引用`,
      details: { form: 'team', linkedFrom: [{ form: 'roster', count: 1 }, { form: 'task', count: tasksOfA }] },
    })
    await expect(service.delete(clerk, 'work-plan', 'team', teamA, { locale: 'en' })).rejects.toMatchObject({
      message: `this Team record is still linked from 1 Roster record and ${tasksOfA} Task records; remove those links first`,
    })
    const lone = await records.create(clerk, 'work-plan', 'team', { name: '临时组' })
    await records.delete(clerk, 'work-plan', 'team', lone.id)
    await expect(records.get(clerk, 'work-plan', 'team', lone.id)).rejects.toMatchObject({ code: 'not_found' })
  })
})
