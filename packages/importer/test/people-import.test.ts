import { Readable } from 'node:stream'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type FormDefinition } from '@tessera/core'
import { Catalog, RecordService, type Database } from '@tessera/store'
import { databaseSuites } from '@tessera/store/testing'
import { importableFields, importForm } from '../src/index.js'

const APP = 'duty-lab'

const duty: FormDefinition = {
  key: 'duty',
  label: '值班',
  fields: [
    { key: 'code', type: 'text', label: '编号', required: true, unique: true },
    { key: 'owner', type: 'member', label: '负责人' },
    { key: 'helpers', type: 'member', multiple: true, label: '协助人' },
    { key: 'team', type: 'department', label: '部门' },
    { key: 'files', type: 'attachment', label: '附件' },
  ],
}

const columns = { 编号: 'code', 负责人: 'owner', 协助人: 'helpers', 部门: 'team' }
const csv = (...lines: string[]) => Readable.from([`${Object.keys(columns).join(',')}\n${lines.join('\n')}`])

describe.each(databaseSuites())('importing members and departments on $name', (suite) => {
  let database: Database
  let context: { database: Database; catalog: Catalog; records: RecordService }
  const users: Record<string, number> = {}

  beforeAll(async () => {
    database = await suite.open()
    const catalog = new Catalog(database)
    context = { database, catalog, records: new RecordService(database, catalog) }
    await catalog.saveApp({ key: APP, label: '值班实验' })
    await catalog.saveDraft(APP, duty)
    await catalog.publish(APP, ['duty'], SYSTEM_ACTOR)
    // Two departments called 销售部, under different parents.
    await sql`insert into tessera.department (id, name, parent_id, path) values
      (1, '总部', null, '/1/'), (2, '华东', 1, '/1/2/'), (3, '销售部', 2, '/1/2/3/'),
      (4, '华南', 1, '/1/4/'), (5, '销售部', 4, '/1/4/5/'), (6, '财务部', 1, '/1/6/')`.execute(database.db)
    for (const [username, name, disabled] of [
      ['wangfang', '王芳', false], ['lilei', '李雷', false], ['zhang1', '张伟', false], ['zhang2', '张伟', false],
      ['gone', '赵离职', true],
    ] as const) {
      const { rows } = await sql<{ id: number }>`insert into tessera.account (username, display_name, disabled)
        values (${username}, ${name}, ${disabled}) returning id`.execute(database.db)
      users[username] = Number(rows[0].id)
    }
  })
  afterAll(() => database?.close())

  it('finds users by name, username or id, and departments by name or path', async () => {
    const form = await context.catalog.getForm(APP, 'duty')
    const result = await importForm(context, form, csv(
      'D-1,王芳,"李雷、zhang2",财务部',
      `D-2,${users.lilei},,华东/销售部`,
      'D-3,LILEI,王芳;李雷,总部 / 华南 / 销售部',
    ), { actor: SYSTEM_ACTOR, format: 'csv', spec: { columns, key: ['code'] } })
    expect(result.errors).toEqual([])
    const { rows } = await sql<Record<string, unknown>>`
      select code, owner, helpers, team from duty_lab.duty order by code`.execute(database.db)
    expect(rows.map((row) => ({ ...row, helpers: (row.helpers as unknown[] | null)?.map(Number) ?? null }))).toEqual([
      { code: 'D-1', owner: users.wangfang, helpers: [users.lilei, users.zhang2], team: 6 },
      { code: 'D-2', owner: users.lilei, helpers: null, team: 3 },
      { code: 'D-3', owner: users.lilei, helpers: [users.wangfang, users.lilei], team: 5 },
    ])
  })

  it('reports names that name no one, or two, on their column, and imports nothing', async () => {
    const form = await context.catalog.getForm(APP, 'duty')
    const result = await importForm(context, form, csv(
      'E-1,张伟,,销售部',
      'E-2,赵离职,无名氏,市场部',
    ), { actor: SYSTEM_ACTOR, format: 'csv', spec: { columns, key: ['code'] } })
    expect(result.status).toBe('rejected')
    const errors = result.errors.map((e) => [e.line, e.column, e.message])
    expect(errors.sort((a, b) => Number(a[0]) - Number(b[0]))).toEqual([
      [2, '负责人', '2 enabled users are called "张伟"; give the username or id instead'],
      [2, '部门', '2 departments are called "销售部"; give its path, such as "总部/销售部", or its id'],
      [3, '负责人', 'no enabled user is called "赵离职"'],
      [3, '协助人', 'no enabled user is called "无名氏"'],
      [3, '部门', 'no department is called "市场部"'],
    ])
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from duty_lab.duty where code like 'E-%'`.execute(database.db)
    expect(rows[0].n).toBe(0)
  })

  it('does not offer attachments to imports', async () => {
    const form = await context.catalog.getForm(APP, 'duty')
    expect(importableFields(form).map((field) => field.key)).toEqual(['code', 'owner', 'helpers', 'team'])
  })
})
