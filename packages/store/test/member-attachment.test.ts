import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createHash } from 'node:crypto'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type Actor, type FormDefinition, type RoleSpec } from '@tessera/core'
import {
  Catalog,
  FileStore,
  FOLDER_OWNER_FILE,
  databaseIdentity,
  Permissions,
  RecordService,
  RoleDocuments,
  type Database,
} from '../src/index.js'
import { databaseSuites } from '../src/testing.js'

const APP = 'people-lab'

const ticket: FormDefinition = {
  key: 'ticket',
  label: { 'zh-CN': '工单', en: 'Ticket' },
  titleField: 'title',
  fields: [
    { key: 'title', type: 'text', label: '标题', required: true },
    { key: 'owner', type: 'member', label: { 'zh-CN': '负责人', en: 'Owner' }, required: true, default: '$me' },
    { key: 'watchers', type: 'member', multiple: true, label: '关注人' },
    { key: 'team', type: 'department', label: { 'zh-CN': '部门', en: 'Team' }, default: '$me' },
    { key: 'teams', type: 'department', multiple: true, label: '协办部门' },
    { key: 'files', type: 'attachment', multiple: true, label: { 'zh-CN': '附件', en: 'Files' },
      accept: ['.pdf', 'image/*'], maxSize: 1000 },
    { key: 'note', type: 'text', label: '备注' },
  ],
}

const ownRole: RoleSpec = {
  key: 'assignee',
  label: '经办人',
  forms: { ticket: { actions: ['read', 'update'], rows: { kind: 'own', field: 'owner' } } },
}
const watcherRole: RoleSpec = {
  key: 'watcher',
  label: '关注人',
  forms: { ticket: { actions: ['read'], rows: { kind: 'own', field: 'watchers' } } },
}

describe.each(databaseSuites())('member, department and attachment fields on $name', (suite) => {
  let database: Database
  let records: RecordService
  let catalog: Catalog
  let files: FileStore
  const users: Record<string, number> = {}
  const actor = (name: string, extra: Partial<Actor> = {}): Actor =>
    ({ id: String(users[name]), name, ...extra })

  beforeAll(async () => {
    database = await suite.open()
    catalog = new Catalog(database)
    const permissions = new Permissions(database, catalog)
    records = new RecordService(database, catalog, { permissions })
    files = new FileStore(database, mkdtempSync(join(tmpdir(), 'tessera-files-test-')))
    await catalog.saveApp({ key: APP, label: '人员实验' })
    await catalog.saveDraft(APP, ticket)
    await catalog.publish(APP, ['ticket'], SYSTEM_ACTOR)
    const roles = new RoleDocuments(database, catalog)
    for (const role of [ownRole, watcherRole]) await roles.save(SYSTEM_ACTOR, APP, role)

    await sql`insert into tessera.department (id, name, parent_id, path) values
      (1, '总部', null, '/1/'), (2, '销售部', 1, '/1/2/'), (3, '财务部', 1, '/1/3/')`.execute(database.db)
    for (const [username, name, department, disabled] of [
      ['wang', '王芳', 2, false], ['li', '李雷', 3, false], ['gone', '离职者', 2, true],
    ] as const) {
      const { rows } = await sql<{ id: number }>`
        insert into tessera.account (username, display_name, department_id, disabled)
        values (${username}, ${name}, ${department}, ${disabled}) returning id`.execute(database.db)
      users[username] = Number(rows[0].id)
    }
  })
  afterAll(() => database?.close())

  const upload = (by: Actor, name: string, type: string, bytes = 'x') =>
    files.save(Readable.from([Buffer.from(bytes)]), { name, mimeType: type, createdBy: by.id, maxSize: 1000 })

  it('stores members and departments as bigint (lists as bigint[]) and files as jsonb', async () => {
    const { rows } = await sql<{ column_name: string; data_type: string }>`
      select column_name, data_type from information_schema.columns
      where table_schema = 'people_lab' and table_name = 'ticket' order by ordinal_position`
      .execute(database.db)
    const types = Object.fromEntries(rows.map((row) => [row.column_name, row.data_type]))
    expect(types).toMatchObject({
      owner: 'bigint', watchers: 'ARRAY', team: 'bigint', teams: 'ARRAY', files: 'jsonb',
    })
    const { rows: fks } = await sql<{ name: string; target: string }>`
      select c.conname as name, c.confrelid::regclass::text as target from pg_constraint c
      where c.conrelid = 'people_lab.ticket'::regclass and c.contype = 'f' order by c.conname`
      .execute(database.db)
    expect(fks).toEqual([
      { name: 'ticket_owner_fk', target: 'tessera.account' },
      { name: 'ticket_team_fk', target: 'tessera.department' },
    ])
  })

  it('writes ids, reads them back with names, and fills "$me" on create', async () => {
    const wang = actor('wang', { admin: true, department: { id: 2, path: '/1/2/' } })
    const scan = await upload(wang, 'scan.pdf', 'application/pdf', 'pdf bytes')
    const created = await records.create(wang, APP, 'ticket', {
      title: '对账', watchers: [users.li, users.wang], teams: [3, 1], files: [{ id: scan.id }],
    })
    expect(created.values).toMatchObject({
      owner: users.wang, watchers: [users.li, users.wang], team: 2, teams: [3, 1],
      files: [{ id: scan.id, name: 'scan.pdf', size: 9, type: 'application/pdf' }],
    })
    expect(created.titles).toMatchObject({
      owner: '王芳', watchers: '李雷、王芳', team: '销售部', teams: '财务部、总部',
    })

    const listed = await records.list(SYSTEM_ACTOR, APP, 'ticket', {})
    expect(listed.items[0].titles).toMatchObject({ owner: '王芳', team: '销售部' })
  })

  it('refuses unknown or disabled users, unknown departments and foreign files, per field', async () => {
    const li = actor('li', { admin: true })
    const wangFile = await upload(actor('wang'), 'w.pdf', 'application/pdf')
    const attempt = records.create(li, APP, 'ticket', {
      title: 'x', owner: users.gone, watchers: [users.li, 99999], team: 77, files: [{ id: wangFile.id }],
    })
    await expect(attempt).rejects.toMatchObject({ code: 'validation.failed' })
    const error = await attempt.catch((e) => e)
    const byField = Object.fromEntries(error.issues.map((i: { field: string; message: string }) => [i.field, i.message]))
    expect(byField.owner).toBe(`「负责人」中的用户 #${users.gone} 不存在或已停用`)
    expect(byField.watchers).toBe('「关注人」中的用户 #99999 不存在或已停用')
    expect(byField.team).toBe('「部门」中的部门 #77 不存在')
    // li is an administrator here, so the file is refused only for not existing.
    expect(byField.files).toBeUndefined()

    const plain = actor('li')
    const rejected = await records.create({ ...plain, admin: true }, APP, 'ticket', {
      title: 'y', files: [{ id: 123456 }],
    }).catch((e) => e)
    expect(rejected.issues).toEqual([expect.objectContaining({ field: 'files', rule: 'reference' })])

    const total = await sql<{ n: number }>`select count(*)::int as n from people_lab.ticket`.execute(database.db)
    expect(total.rows[0].n).toBe(1)
  })

  it('refuses a file uploaded by someone else, and one that does not fit the field', async () => {
    const wang = actor('wang', { roles: [`${APP}/assignee`] })
    const li = actor('li', { admin: true })
    const theirs = await upload(li, 'li.pdf', 'application/pdf')
    const text = await upload(wang, 'notes.txt', 'text/plain')
    const mine = await upload(wang, 'photo.png', 'image/png')
    const created = await records.create(li, APP, 'ticket', { title: '分派', owner: users.wang })

    const steal = await records.update(wang, APP, 'ticket', created.id, {
      version: created.version, values: { files: [{ id: theirs.id }] },
    }).catch((e) => e)
    expect(steal.issues[0]).toMatchObject({ field: 'files', rule: 'reference' })
    expect(steal.issues[0].message).toContain(`#${theirs.id}`)

    const wrong = await records.update(wang, APP, 'ticket', created.id, {
      version: created.version, values: { files: [{ id: text.id }] },
    }).catch((e) => e)
    expect(wrong.issues[0].message).toBe(`「附件」中的文件 #${text.id} 不符合该字段的类型或大小限制`)

    const ok = await records.update(wang, APP, 'ticket', created.id, {
      version: created.version, values: { files: [{ id: mine.id, name: 'renamed.exe', size: 1 }] },
    })
    // Name and size come from the file's own row, whatever the client sent.
    expect(ok.values.files).toEqual([{ id: mine.id, name: 'photo.png', size: 1, type: 'image/png' }])
  })

  it('keeps a user disabled since on the records that already name them', async () => {
    const admin = actor('li', { admin: true })
    const created = await records.create(admin, APP, 'ticket', { title: '旧单', owner: users.wang })
    await sql`update tessera.account set disabled = true where id = ${users.wang}`.execute(database.db)
    try {
      const updated = await records.update(admin, APP, 'ticket', created.id, {
        version: created.version, values: { owner: users.wang, note: '改备注' },
      })
      expect(updated.values.owner).toBe(users.wang)
    } finally {
      await sql`update tessera.account set disabled = false where id = ${users.wang}`.execute(database.db)
    }
  })

  it('filters by a member, by a member of a list, and by having files', async () => {
    const ids = async (filter: unknown) =>
      (await records.list(SYSTEM_ACTOR, APP, 'ticket', { filter, pageSize: 100 })).items.map((r) => r.values.title)
    expect(await ids({ '==': [{ var: 'owner' }, users.li] })).toEqual([])
    expect(await ids({ '==': [{ var: 'watchers' }, users.li] })).toEqual(['对账'])
    expect(await ids({ '!=': [{ var: 'watchers' }, users.li] })).not.toContain('对账')
    expect(await ids({ '==': [{ var: 'teams' }, 1] })).toEqual(['对账'])
    expect((await ids({ '!=': [{ var: 'files' }, null] })).sort()).toEqual(['分派', '对账'])
    await expect(ids({ '==': [{ var: 'files' }, 3] })).rejects.toMatchObject({ code: 'request.invalid' })
    // Files give records no order: a sort by them is refused by name.
    const sorted = records.list(SYSTEM_ACTOR, APP, 'ticket', { sort: [{ field: 'files', dir: 'asc' }] })
    await expect(sorted).rejects.toMatchObject({ code: 'request.invalid', messages: { 'zh-CN': expect.stringContaining('不能按「附件」排序：明细与附件各含多项') } })
  })

  it('lets an "own" row rule name a member field, single or multiple', async () => {
    const li = actor('li', { roles: [`${APP}/assignee`] })
    const wangWatcher = actor('wang', { roles: [`${APP}/watcher`] })
    const mine = await records.create(SYSTEM_ACTOR, APP, 'ticket', { title: '李的单', owner: users.li })
    const seen = await records.list(li, APP, 'ticket', { pageSize: 100 })
    expect(seen.items.map((r) => r.id)).toEqual([mine.id])
    const watched = await records.list(wangWatcher, APP, 'ticket', { pageSize: 100 })
    expect(watched.items.map((r) => r.values.title)).toEqual(['对账'])
    await expect(records.get(wangWatcher, APP, 'ticket', mine.id)).rejects.toMatchObject({ code: 'not_found' })
  })

  it('converts a member to text or to a list, and refuses other types becoming members', async () => {
    const draft = (change: Partial<Record<string, unknown>>) => ({
      ...ticket,
      fields: ticket.fields.map((field) => (field.key in change ? { ...field, ...(change[field.key] as object) } : field)),
    }) as FormDefinition

    await catalog.saveDraft(APP, draft({ note: { type: 'member' } }))
    await expect(catalog.publish(APP, ['ticket'], SYSTEM_ACTOR)).rejects.toMatchObject({
      code: 'metadata.invalid',
      message: expect.stringContaining('cannot change from text to member'),
    })

    await catalog.saveDraft(APP, draft({ owner: { multiple: true } }))
    await catalog.publish(APP, ['ticket'], SYSTEM_ACTOR)
    const listed = await records.list(SYSTEM_ACTOR, APP, 'ticket', { filter: { '==': [{ var: 'title' }, '李的单'] } })
    expect(listed.items[0].values.owner).toEqual([users.li])

    await catalog.saveDraft(APP, {
      ...ticket,
      fields: ticket.fields.map((field) => (field.key === 'owner' ? { key: 'owner', type: 'text', label: '负责人' } : field)),
    })
    await catalog.publish(APP, ['ticket'], SYSTEM_ACTOR)
    const asText = await records.list(SYSTEM_ACTOR, APP, 'ticket', { filter: { '==': [{ var: 'title' }, '李的单'] } })
    expect(asText.items[0].values.owner).toBe(String(users.li))

    await catalog.saveDraft(APP, draft({ owner: { type: 'member' } }))
    await expect(catalog.publish(APP, ['ticket'], SYSTEM_ACTOR)).rejects.toMatchObject({ code: 'metadata.invalid' })
    await catalog.saveDraft(APP, ticket)
  })

  it('streams files to disk with their hash, and keeps nothing of one over the limit', async () => {
    const body = 'a'.repeat(600)
    const saved = await files.save(Readable.from([Buffer.from(body.slice(0, 300)), Buffer.from(body.slice(300))]), {
      name: '../../etc/report.pdf', mimeType: 'application/pdf', createdBy: '1', maxSize: 1000,
    })
    expect(saved).toMatchObject({ name: 'report.pdf', size: 600 })
    const stored = await files.find(saved.id)
    expect(stored?.sha256).toBe(createHash('sha256').update(body).digest('hex'))
    expect(readFileSync(join(files.dir, String(saved.id)), 'utf8')).toBe(body)

    const before = readdirSync(files.dir).length
    const big = files.save(Readable.from([Buffer.alloc(700), Buffer.alloc(700)]), {
      name: 'big.pdf', mimeType: 'application/pdf', createdBy: '1', maxSize: 1000,
      field: { key: 'files', label: '附件' },
    })
    await expect(big).rejects.toMatchObject({ code: 'file.too_large', details: { field: 'files', maxSize: 1000 } })
    expect(readdirSync(files.dir)).toHaveLength(before)
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from tessera.attachment where name = 'big.pdf'`.execute(database.db)
    expect(rows[0].n).toBe(0)
    expect(existsSync(join(files.dir, String(saved.id + 1)))).toBe(false)
  })

  it('keeps a files folder to one database, and never writes a file over another', async () => {
    const save = (store: FileStore, body: string) => store.save(Readable.from([Buffer.from(body)]), {
      name: 'scan.pdf', mimeType: 'application/pdf', createdBy: '1', maxSize: 1000,
    })
    const mine = await save(files, 'first')
    expect(readFileSync(join(files.dir, FOLDER_OWNER_FILE), 'utf8').trim()).toBe(await databaseIdentity(database))

    // Another database (embedded beside a server, say) pointed at the same folder is refused before it writes.
    const other = await suite.open()
    try {
      const before = readdirSync(files.dir).sort()
      await expect(save(new FileStore(other, files.dir), 'other')).rejects.toMatchObject({ code: 'file.folder_conflict' })
      await expect(new FileStore(other, files.dir).open(mine.id)).rejects.toMatchObject({ code: 'file.folder_conflict' })
      expect(readdirSync(files.dir).sort()).toEqual(before)
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from tessera.attachment`.execute(other.db)
      expect(rows[0].n).toBe(0)
    } finally {
      await other.close()
    }

    // A copy of this database sharing the folder took the next names: the upload is refused, their bytes stay.
    for (let id = mine.id + 1; id <= mine.id + 5; id += 1) writeFileSync(join(files.dir, String(id)), `copy ${id}`)
    await expect(save(new FileStore(database, files.dir), 'second')).rejects.toMatchObject({ code: 'file.folder_conflict' })
    expect(readFileSync(join(files.dir, String(mine.id + 1)), 'utf8')).toBe(`copy ${mine.id + 1}`)
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from tessera.attachment where id > ${mine.id}`.execute(database.db)
    expect(rows[0].n).toBe(0)
    // Bytes of another length under a file's name are not that file.
    writeFileSync(join(files.dir, String(mine.id)), 'bytes of a copy')
    await expect(files.open(mine.id)).rejects.toMatchObject({ code: 'file.folder_conflict' })
  })
})
