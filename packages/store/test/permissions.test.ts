import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type Actor } from '@tessera/core'
import {
  Catalog,
  Permissions,
  RecordService,
  RoleDocuments,
  type Database,
} from '../src/index.js'
import { databaseSuites } from '../src/testing.js'
import { APP, client, order, payment, ROLES } from './access-fixtures.js'

const as = (id: string, role: string, extra: Partial<Actor> = {}): Actor =>
  ({ id, roles: [`${APP}/${role}`], ...extra })

describe.each(databaseSuites())('permissions on $name', (suite) => {
  let database: Database
  let records: RecordService
  let permissions: Permissions
  const ids: Record<string, number> = {}
  let accountA = ''

  const rep = as('101', 'rep')
  const viewer = as('200', 'viewer')
  const lead = as('300', 'lead', { department: { id: 2, path: '/1/2/' } })
  const alice = as('400', 'by_name', { name: 'Alice' })
  const stranger = as('500', 'not_my_dept')
  const nobody: Actor = { id: '600', roles: ['another-app/rep'] }

  const listKeys = async (actor: Actor, form: string, options = {}) =>
    (await records.list(actor, APP, form, { pageSize: 100, sort: [{ field: 'id', dir: 'asc' }], ...options }))
      .items.map((r) => r.id)

  beforeAll(async () => {
    database = await suite.open()
    const catalog = new Catalog(database)
    permissions = new Permissions(database, catalog)
    records = new RecordService(database, catalog, { permissions })
    await catalog.saveApp({ key: APP, label: '销售台账' })
    for (const form of [client, order, payment]) await catalog.saveDraft(APP, form)
    await catalog.publish(APP, ['client', 'order', 'payment'], SYSTEM_ACTOR)
    const roles = new RoleDocuments(database, catalog)
    for (const role of ROLES) await roles.save(SYSTEM_ACTOR, APP, role)

    await sql`insert into tessera.department (id, name, parent_id, path) values
      (1, '总部', null, '/1/'), (2, '华东', 1, '/1/2/'), (3, '上海', 2, '/1/2/3/'), (4, '华南', 1, '/1/4/')`
      .execute(database.db)
    const { rows } = await sql<{ id: number }>`
      insert into tessera.account (username, display_name, department_id)
      values ('a', 'A', 3) returning id`.execute(database.db)
    accountA = String(rows[0].id)

    const add = async (actor: Actor, form: string, name: string, values: Record<string, unknown>) => {
      ids[name] = (await records.create(actor, APP, form, values)).id
    }
    await add(SYSTEM_ACTOR, 'client', 'c1', { code: 'C1', name: '甲', owner: '101', dept: 2, secret_note: 'vip-one', limit: '100.00' })
    await add(SYSTEM_ACTOR, 'client', 'c2', { code: 'C2', name: '乙', owner: '101', dept: 3, limit: '200.00' })
    await add(SYSTEM_ACTOR, 'client', 'c3', { code: 'C3', name: '丙', owner: '102', dept: 4, secret_note: 'vip-three' })
    await add(SYSTEM_ACTOR, 'client', 'c4', { code: 'C4', name: 'Alice' })
    for (const [name, c] of [['o1', 'c1'], ['o2', 'c2'], ['o3', 'c3'], ['o4', 'c4']]) {
      await add(SYSTEM_ACTOR, 'order', name, { number: name.toUpperCase(), client: ids[c], amount: '10.00' })
    }
    await add(as(accountA, 'author'), 'order', 'o5', { number: 'O5', client: ids.c3, amount: '5.00' })
    await add(SYSTEM_ACTOR, 'payment', 'p1', { order: ids.o1, amount: '1.00' })
    await add(SYSTEM_ACTOR, 'payment', 'p3', { order: ids.o3, amount: '3.00' })
  })
  afterAll(() => database?.close())

  it('limits every read to the rows of the role: lists, records, pickers, linked forms', async () => {
    expect(await listKeys(rep, 'client')).toEqual([ids.c1, ids.c2])
    expect(await listKeys(rep, 'order')).toEqual([ids.o1, ids.o2])
    expect(await listKeys(rep, 'payment')).toEqual([ids.p1])
    const picker = await records.options(rep, APP, 'client', undefined, 100)
    expect(picker.map((o) => o.id).sort()).toEqual([ids.c1, ids.c2].sort())
    expect(await records.options(rep, APP, 'client', '丙')).toEqual([])
    await expect(records.get(rep, APP, 'client', ids.c3)).rejects.toMatchObject({ code: 'not_found' })
    await expect(records.get(rep, APP, 'payment', ids.p3)).rejects.toMatchObject({ code: 'not_found' })
    expect((await records.list(rep, APP, 'client', { q: '丙' })).total).toBe(0)
  })

  it('reaches departments and their subtrees, by a field or by the creator', async () => {
    expect(await listKeys(lead, 'client')).toEqual([ids.c1, ids.c2])
    expect(await listKeys(lead, 'order')).toEqual([ids.o5])
    const elsewhere = { ...lead, department: { id: 4, path: '/1/4/' } }
    expect(await listKeys(elsewhere, 'client')).toEqual([ids.c3])
    expect(await listKeys({ ...lead, department: undefined }, 'client')).toEqual([])
  })

  it('compiles custom rules with the user\'s own values, failing closed when one is missing', async () => {
    expect(await listKeys(alice, 'client')).toEqual([ids.c4])
    expect(await listKeys({ ...alice, name: undefined }, 'client')).toEqual([])
    // "dept is not my department" with no department is unknown, never true.
    expect(await listKeys(stranger, 'client')).toEqual([])
    expect(await listKeys({ ...stranger, department: { id: 4, path: '/1/4/' } }, 'client'))
      .toEqual([ids.c1, ids.c2])
  })

  it('refuses a form the actor holds no role for, naming form and action', async () => {
    // By the form's label in Chinese, by its key in English.
    await expect(records.list(nobody, APP, 'client')).rejects.toMatchObject({
      code: 'auth.forbidden', message: '你无权查看表单「客户」的记录',
    })
    const refused = records.list(nobody, APP, 'order', { locale: 'en' })
    await expect(refused).rejects.toThrow('you may not read records of form "order"')
    await expect(records.options(viewer, APP, 'payment')).rejects.toMatchObject({ code: 'auth.forbidden' })
    await expect(records.create(rep, APP, 'payment', { order: ids.o1, amount: '1' }))
      .rejects.toMatchObject({ code: 'auth.forbidden' })
    await expect(records.delete(rep, APP, 'client', ids.c1)).rejects.toMatchObject({ code: 'auth.forbidden' })
  })

  it('reads hidden fields as empty everywhere, so filters, sorts and searches learn nothing', async () => {
    const page = await records.list(viewer, APP, 'client', { pageSize: 100 })
    expect(page.total).toBe(4)
    for (const item of page.items) {
      expect(Object.keys(item.values)).not.toContain('secret_note')
      expect(Object.keys(item.values)).not.toContain('limit')
    }
    const probe = { '==': [{ var: 'secret_note' }, 'vip-one'] }
    expect((await records.list(viewer, APP, 'client', { filter: probe })).total).toBe(0)
    expect((await records.list(SYSTEM_ACTOR, APP, 'client', { filter: probe })).total).toBe(1)
    expect((await records.list(viewer, APP, 'client', { q: 'vip' })).total).toBe(0)
    const sorted = await records.list(viewer, APP, 'client', { sort: [{ field: 'limit', dir: 'desc' }] })
    expect(sorted.items.map((r) => r.id)).toEqual([ids.c4, ids.c3, ids.c2, ids.c1])

    const form = await new Catalog(database).getForm(APP, 'client')
    await permissions.prepare(APP)
    const { rows } = await sql<{ total: string | null; notes: number }>`
      select sum(t."limit")::text as total, count(t.secret_note)::int as notes
      from ${records.query.source(viewer, form, 't')}`.execute(database.db)
    expect(rows[0]).toEqual({ total: null, notes: 0 })
  })

  it('refuses read-only changes and any write of a hidden field, with field issues', async () => {
    const before = await records.get(rep, APP, 'client', ids.c1)
    expect(before.values.limit).toBe('100.00')
    const attempt = (values: Record<string, unknown>) =>
      records.update(rep, APP, 'client', ids.c1, { version: before.version, values }, { locale: 'en' })

    await expect(attempt({ limit: '999.00' })).rejects.toMatchObject({
      code: 'auth.forbidden', issues: [{ field: 'limit', rule: 'readonly' }],
    })
    await expect(attempt({ owner: '999' })).rejects.toMatchObject({ issues: [{ field: 'owner', rule: 'readonly' }] })
    await expect(attempt({ secret_note: 'vip-one' })).rejects.toMatchObject({
      issues: [{ field: 'secret_note', rule: 'hidden' }],
    })
    const saved = await attempt({ name: '甲公司', limit: '100.00' })
    expect(saved.values).toMatchObject({ name: '甲公司', limit: '100.00' })
    expect(saved.values).not.toHaveProperty('secret_note')
    const stored = await records.get(SYSTEM_ACTOR, APP, 'client', ids.c1)
    expect(stored.values).toMatchObject({ name: '甲公司', secret_note: 'vip-one', limit: '100.00' })
  })

  it('refuses writes to records out of reach, and writes that would leave the reach', async () => {
    await expect(records.update(rep, APP, 'client', ids.c3, { version: 1, values: { name: 'x' } }))
      .rejects.toMatchObject({ code: 'not_found' })

    const mine = await records.get(alice, APP, 'client', ids.c4)
    await expect(records.update(alice, APP, 'client', ids.c4, { version: mine.version, values: { name: 'Bob' } }))
      .rejects.toMatchObject({ code: 'auth.forbidden' })
    expect((await records.get(alice, APP, 'client', ids.c4)).values.name).toBe('Alice')

    await expect(records.create(alice, APP, 'client', { code: 'C9', name: 'Zed' }))
      .rejects.toMatchObject({ code: 'auth.forbidden' })
    expect((await records.list(SYSTEM_ACTOR, APP, 'client', { q: 'C9' })).total).toBe(0)
    const own = await records.create(alice, APP, 'client', { code: 'C8', name: 'Alice' })
    expect(own.values.name).toBe('Alice')
    await records.delete(SYSTEM_ACTOR, APP, 'client', own.id)
  })

  it('lets links point only at records the actor can read', async () => {
    await expect(records.create(rep, APP, 'order', { number: 'R-1', client: ids.c3, amount: '1' }))
      .rejects.toMatchObject({ code: 'conflict.reference', issues: [{ field: 'client', rule: 'reference' }] })
    const made = await records.create(rep, APP, 'order', { number: 'R-2', client: ids.c2, amount: '1' })
    expect(made.titles?.client).toBe('乙')
    await records.delete(SYSTEM_ACTOR, APP, 'order', made.id)
  })

  it('keeps own rows to their creator', async () => {
    const author = as(accountA, 'author')
    expect(await listKeys(author, 'order')).toEqual([ids.o5])
    await expect(records.delete(author, APP, 'order', ids.o1)).rejects.toMatchObject({ code: 'not_found' })
    const o5 = await records.get(author, APP, 'order', ids.o5)
    const changed = await records.update(author, APP, 'order', ids.o5, { version: o5.version, values: { amount: '6.00' } })
    expect(changed.values.amount).toBe('6.00')
  })

  it('records before and after in the audit trail and shows history without hidden fields', async () => {
    const current = await records.get(SYSTEM_ACTOR, APP, 'client', ids.c2)
    await records.update(rep, APP, 'client', ids.c2, { version: current.version, values: { name: '乙公司' } }, {
      origin: { ip: '10.1.2.3', userAgent: 'test' },
    })
    const { rows } = await sql<{ before: Record<string, unknown>; after: Record<string, unknown>; context: unknown }>`
      select before, after, context from tessera.audit
      where action = 'record.update' and form_key = 'client' and record_id = ${ids.c2}`.execute(database.db)
    expect(rows).toHaveLength(1)
    expect(rows[0].before).toMatchObject({ name: '乙', limit: '200.00', owner: '101' })
    expect(rows[0].after).toMatchObject({ name: '乙公司', limit: '200.00' })
    expect(rows[0].context).toEqual({ ip: '10.1.2.3', userAgent: 'test' })

    const seen = await records.history(viewer, APP, 'client', ids.c1)
    expect(seen.map((r) => r.action)).toEqual(['record.create', 'record.update'])
    for (const row of seen) {
      for (const values of [row.before, row.after]) {
        if (values) expect(Object.keys(values as object)).not.toContain('secret_note')
      }
    }
    const full = await records.history(SYSTEM_ACTOR, APP, 'client', ids.c1)
    expect(full[0].after).toMatchObject({ secret_note: 'vip-one' })
    await expect(records.history(rep, APP, 'client', ids.c3)).rejects.toMatchObject({ code: 'not_found' })
  })

  it('names the people and linked records in a history, as far as the reader may read them', async () => {
    const o5 = await records.get(SYSTEM_ACTOR, APP, 'order', ids.o5)
    await records.update(SYSTEM_ACTOR, APP, 'order', ids.o5, { version: o5.version, values: { client: ids.c1 } })

    // Other cases changed o5 and renamed c1 before; names are those of today.
    const c1 = (await records.get(SYSTEM_ACTOR, APP, 'client', ids.c1)).values.name
    const full = await records.history(SYSTEM_ACTOR, APP, 'order', ids.o5)
    const [first, last] = [full[0], full[full.length - 1]]
    expect([first.action, first.actor, first.actorName]).toEqual(['record.create', accountA, 'A'])
    expect([last.action, last.actor, last.actorName]).toEqual(['record.update', SYSTEM_ACTOR.id, undefined])
    expect(first.titles?.after.client).toBe('丙')
    expect(last.titles).toMatchObject({ before: { client: '丙' }, after: { client: c1 } })

    // The rep reads the order now (its client is theirs) but not the client it had before.
    const theirs = await records.history(rep, APP, 'order', ids.o5)
    expect(theirs[theirs.length - 1].titles).toMatchObject({ before: { client: `#${ids.c3}` }, after: { client: c1 } })
    expect(JSON.stringify(theirs)).not.toContain('丙')
  })

  it('keeps the audit trail append-only in the database', async () => {
    for (const statement of [
      sql`update tessera.audit set actor = 'someone else'`,
      sql`delete from tessera.audit`,
      sql`truncate tessera.audit`,
    ]) {
      await expect(statement.execute(database.db)).rejects.toThrow(/append-only/)
    }
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from tessera.audit`.execute(database.db)
    expect(rows[0].n).toBeGreaterThan(10)
  })

  it('audits role changes and lets only administrators make them', async () => {
    const roles = new RoleDocuments(database, new Catalog(database))
    const viewerRole = ROLES.find((r) => r.key === 'viewer')!
    const count = async () => (await sql<{ n: number }>`
      select count(*)::int as n from tessera.audit where action = 'role.save'`.execute(database.db)).rows[0].n
    const before = await count()
    await roles.save(SYSTEM_ACTOR, APP, viewerRole)
    expect(await count()).toBe(before)

    const changed = { ...viewerRole, forms: { ...viewerRole.forms, payment: { actions: ['read' as const] } } }
    await roles.save({ id: 'admin-1', admin: true }, APP, changed, { origin: { ip: '10.9.9.9' } })
    expect(await count()).toBe(before + 1)
    const { rows } = await sql<{ actor: string; before: unknown; after: unknown; context: unknown }>`
      select actor, before, after, context from tessera.audit
      where action = 'role.save' order by id desc limit 1`.execute(database.db)
    expect(rows[0]).toMatchObject({ actor: 'admin-1', before: viewerRole, after: changed })
    expect(rows[0].context).toEqual({ ip: '10.9.9.9', role: 'viewer' })
    expect(await listKeys(viewer, 'payment')).toEqual([ids.p1, ids.p3])

    await expect(roles.save(rep, APP, viewerRole)).rejects.toMatchObject({ code: 'auth.forbidden' })
    await expect(roles.save({ id: 't', admin: true, scopes: [] }, APP, viewerRole))
      .rejects.toMatchObject({ code: 'auth.forbidden' })
    await roles.save(SYSTEM_ACTOR, APP, viewerRole)
    await expect(records.list(viewer, APP, 'payment')).rejects.toMatchObject({ code: 'auth.forbidden' })
  })
})
