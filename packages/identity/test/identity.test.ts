import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, TesseraError, type Actor, type FormDefinition } from '@tessera/core'
import { Catalog, type Database } from '@tessera/store'
import { databaseSuites } from '@tessera/store/testing'
import { Identity } from '../src/index.js'

const note: FormDefinition = {
  key: 'note',
  label: { 'zh-CN': '便签', en: 'Note' },
  titleField: 'title',
  fields: [{ key: 'title', type: 'text', label: { 'zh-CN': '标题', en: 'Title' }, required: true }],
}

const PASSWORD = 'first-admin-2026'
const web = { ip: '10.1.0.1', userAgent: 'vitest' }

describe.each(databaseSuites())('identity on $name', (suite) => {
  let database: Database
  let identity: Identity
  let now = Date.parse('2026-12-01T01:00:00Z')
  let admin: Actor

  const lastAuditId = async () => {
    const { rows } = await sql<{ id: number | null }>`select max(id)::int as id from tessera.audit`
      .execute(database.db)
    return rows[0].id ?? 0
  }
  const auditSince = async (id: number) => {
    const { rows } = await sql<{ action: string; actor: string; context: { ip: string } }>`
      select action, actor, context from tessera.audit where id > ${id} order by id`
      .execute(database.db)
    return rows
  }

  beforeAll(async () => {
    database = await suite.open()
    identity = new Identity(database, { now: () => new Date(now), rateLimit: { capacity: 1000, perMinute: 1000 } })
    const catalog = new Catalog(database)
    await catalog.saveApp({ key: 'crm', label: 'CRM' })
    await catalog.saveDraft('crm', note)
    await catalog.publish('crm', ['note'], SYSTEM_ACTOR)
  })
  afterAll(async () => {
    await database?.close()
  })

  it('sets up the first administrator once, with no default password', async () => {
    expect(await identity.setupNeeded()).toBe(true)
    await expect(identity.login('admin', 'admin')).rejects.toMatchObject({ code: 'auth.invalid' })
    await expect(identity.setup({ username: 'root', password: 'short-1' }, { locale: 'en' }))
      .rejects.toMatchObject({ code: 'validation.failed', issues: [expect.objectContaining({ field: 'password' })] })
    // Worded wholly in the reader's language, each problem on its field.
    const refused = await identity.setup({ username: '!', password: 'harbour-admin-!!' }, { locale: 'zh-CN' })
      .catch((error: TesseraError) => error)
    expect((refused as TesseraError).messageIn('zh-CN'))
      .toBe('无法创建用户「!」：用户名为 2 到 64 个字母、数字或 . _ @ -，以字母或数字开头')
    const named = await identity.setup({ username: 'admin', password: 'xadmin-2026-harbour' }, { locale: 'zh-CN' })
      .catch((error: TesseraError) => error)
    expect((named as TesseraError).messageIn('zh-CN')).toBe('无法创建用户「admin」：密码不能包含用户名')

    const first = await identity.setup({ username: ' Root ', displayName: '系统管理员', password: PASSWORD }, web)
    expect(first.user).toMatchObject({ username: 'root', displayName: '系统管理员', admin: true })
    expect(first.session.token).not.toBe(first.session.id)
    admin = first.actor
    expect(await identity.setupNeeded()).toBe(false)
    await expect(identity.setup({ username: 'other', password: PASSWORD + 'x' }, web))
      .rejects.toMatchObject({ code: 'auth.setup_closed' })

    const { rows } = await sql<{ password_hash: string }>`select password_hash from tessera.account`
      .execute(database.db)
    expect(rows).toHaveLength(1)
    expect(rows[0].password_hash).toMatch(/^scrypt\$/)
  })

  it('signs in by username in any case and resolves the session to an actor', async () => {
    const since = await lastAuditId()
    const signIn = await identity.login('ROOT', PASSWORD, web)
    const resolved = await identity.actorOfSession(signIn.session.token)
    expect(resolved?.actor).toMatchObject({ id: String(signIn.user.id), name: '系统管理员', admin: true, roles: [] })
    expect(resolved?.session.csrfToken).toBe(signIn.session.csrfToken)
    expect(await identity.actorOfSession(signIn.session.id)).toBeUndefined()
    expect(await identity.actorOfSession('nothing')).toBeUndefined()

    await expect(identity.login('root', 'wrong-password-1', web)).rejects.toMatchObject({ code: 'auth.invalid' })
    await expect(identity.login('nobody', 'wrong-password-1', web)).rejects.toMatchObject({
      code: 'auth.invalid', message: 'the username or password is not right',
    })
    const audit = await auditSince(since)
    expect(audit.map((a) => a.action)).toEqual(['auth.login', 'auth.login_failed', 'auth.login_failed'])
    expect(audit[0].context.ip).toBe('10.1.0.1')
    expect(audit[2].actor).toBe('anonymous')
  })

  it('keeps departments as a tree with materialized paths, moving subtrees whole', async () => {
    const head = await identity.departments.create(admin, { name: '总部' })
    const sales = await identity.departments.create(admin, { name: '销售部', parentId: head.id })
    const east = await identity.departments.create(admin, { name: '华东', parentId: sales.id })
    expect(east.path).toBe(`/${head.id}/${sales.id}/${east.id}/`)
    await expect(identity.departments.create(admin, { name: '销售部', parentId: head.id }))
      .rejects.toMatchObject({ code: 'conflict.unique' })
    // A slash would read as two departments in an import's 华东/销售部.
    await expect(identity.departments.create(admin, { name: '华东/销售', parentId: head.id }))
      .rejects.toMatchObject({ code: 'validation.failed', issues: [{ field: 'name', rule: 'pattern' }] })

    const moved = await identity.departments.update(admin, sales.id, { parentId: null, name: '销售中心' })
    expect(moved).toMatchObject({ path: `/${sales.id}/`, name: '销售中心' })
    expect((await identity.departments.get(east.id)).path).toBe(`/${sales.id}/${east.id}/`)
    await expect(identity.departments.update(admin, sales.id, { parentId: east.id }))
      .rejects.toMatchObject({ code: 'request.invalid' })
    expect((await identity.departments.list()).map((d) => d.name)).toEqual(['总部', '销售中心', '华东'])
  })

  it('creates users with department and roles, and only for administrators', async () => {
    const [, sales] = await identity.departments.list()
    const user = await identity.users.create(admin, {
      username: 'Li.Na', displayName: '李娜', password: 'li-na-secret-1', departmentId: sales.id,
      roles: ['crm/sales'],
    })
    expect(user).toMatchObject({ username: 'li.na', roles: ['crm/sales'], department: { id: sales.id, path: sales.path } })

    const signIn = await identity.login('li.na', 'li-na-secret-1', web)
    expect(signIn.actor).toEqual({
      id: String(user.id), name: '李娜', admin: false, roles: ['crm/sales'],
      department: { id: sales.id, path: sales.path },
    })
    await expect(identity.users.create(signIn.actor, { username: 'x2', password: 'x-password-2' }))
      .rejects.toMatchObject({ code: 'auth.forbidden' })
    await expect(identity.users.create(admin, { username: 'li.na', password: 'another-pass-1' }))
      .rejects.toMatchObject({ code: 'conflict.unique', issues: [{ field: 'username', message: '用户名「li.na」已被占用，请换一个' }],
        messages: { 'zh-CN': '用户名「li.na」已被占用，请换一个' } })
    await expect(identity.users.create(admin, { username: 'li.na', password: 'another-pass-1' }, { locale: 'en' }))
      .rejects.toMatchObject({ issues: [{ field: 'username', message: '"li.na" is taken' }] })
    await expect(identity.users.setRoles(admin, user.id, ['nowhere/sales']))
      .rejects.toMatchObject({ code: 'validation.failed' })
    await expect(identity.users.setRoles(admin, user.id, ['CRM sales']))
      .rejects.toMatchObject({ code: 'validation.failed' })

    const changed = await identity.users.setRoles(admin, user.id, ['crm/clerk', 'crm/sales'])
    expect(changed.roles).toEqual(['crm/clerk', 'crm/sales'])
    const { rows } = await sql<{ before: unknown; after: unknown }>`
      select before, after from tessera.audit where action = 'user.roles_changed'`.execute(database.db)
    expect(rows).toEqual([{ before: { roles: ['crm/sales'] }, after: { roles: ['crm/clerk', 'crm/sales'] } }])
  })

  it('locks an account after five wrong passwords and lets it in after fifteen minutes', async () => {
    await identity.users.create(admin, { username: 'wang', password: 'harbour-lights-7' })
    for (let attempt = 1; attempt <= 5; attempt++) {
      await expect(identity.login('wang', `wrong-${attempt}-pass`, web)).rejects.toMatchObject({ code: 'auth.invalid' })
    }
    const lockedAt = new Date(now)
    const refused = identity.login('wang', 'harbour-lights-7', web)
    await expect(refused).rejects.toMatchObject({
      code: 'auth.locked', details: { until: new Date(lockedAt.getTime() + 15 * 60_000).toISOString() },
    })

    now += 14 * 60_000
    await expect(identity.login('wang', 'harbour-lights-7', web)).rejects.toMatchObject({ code: 'auth.locked' })
    now += 60_000
    expect((await identity.login('wang', 'harbour-lights-7', web)).user.username).toBe('wang')
    // A success starts the count afresh: four more failures do not lock.
    for (let attempt = 1; attempt <= 4; attempt++) {
      await expect(identity.login('wang', `wrong-${attempt}-pass`, web)).rejects.toMatchObject({ code: 'auth.invalid' })
    }
    await identity.login('wang', 'harbour-lights-7', web)
    const locks = await sql<{ n: number }>`select count(*)::int as n from tessera.audit where action = 'auth.locked'`
      .execute(database.db)
    expect(locks.rows[0].n).toBe(1)
  })

  it('ends idle sessions, and a disabled user loses every session', async () => {
    const signIn = await identity.login('wang', 'harbour-lights-7', web)
    now += 7 * 60 * 60_000
    expect(await identity.actorOfSession(signIn.session.token)).toBeDefined()
    now += 7 * 60 * 60_000
    expect(await identity.actorOfSession(signIn.session.token)).toBeDefined()
    now += 8 * 60 * 60_000 + 1
    expect(await identity.actorOfSession(signIn.session.token)).toBeUndefined()

    const again = await identity.login('wang', 'harbour-lights-7', web)
    await identity.users.update(admin, again.user.id, { disabled: true })
    expect(await identity.actorOfSession(again.session.token)).toBeUndefined()
    await expect(identity.login('wang', 'harbour-lights-7', web)).rejects.toMatchObject({ code: 'auth.invalid' })
    await expect(identity.users.update(admin, Number(admin.id), { admin: false }))
      .rejects.toMatchObject({ code: 'request.invalid' })
  })

  it('changes a password, ending the other sessions, and lets an admin reset one', async () => {
    const [one, two] = [await identity.login('li.na', 'li-na-secret-1', web), await identity.login('li.na', 'li-na-secret-1', web)]
    await expect(identity.users.changePassword(one.user.id, { currentPassword: 'nope', newPassword: 'new-secret-22' }, one.session.id))
      .rejects.toMatchObject({ code: 'validation.failed', issues: [expect.objectContaining({ field: 'currentPassword' })] })
    await identity.users.changePassword(one.user.id, { currentPassword: 'li-na-secret-1', newPassword: 'new-secret-22' }, one.session.id)
    expect(await identity.actorOfSession(one.session.token)).toBeDefined()
    expect(await identity.actorOfSession(two.session.token)).toBeUndefined()
    await expect(identity.login('li.na', 'li-na-secret-1', web)).rejects.toMatchObject({ code: 'auth.invalid' })

    await identity.users.resetPassword(admin, one.user.id, 'reset-by-admin-3')
    expect(await identity.actorOfSession(one.session.token)).toBeUndefined()
    expect((await identity.login('li.na', 'reset-by-admin-3', web)).user.id).toBe(one.user.id)
  })

  it('issues API tokens once, stores only their hash, narrows them to scopes and revokes them', async () => {
    const created = await identity.tokens.create(admin, {
      name: 'ERP sync', scopes: [{ app: 'crm', form: 'note', actions: ['read', 'read'] }],
    })
    expect(created.secret).toMatch(/^tsr_[A-Za-z0-9_-]{43}$/)
    const stored = await sql<{ token_hash: string }>`select token_hash from tessera.api_token`.execute(database.db)
    expect(JSON.stringify(stored.rows)).not.toContain(created.secret.slice(4))

    const actor = await identity.actorOfToken(created.secret)
    expect(actor).toMatchObject({ id: admin.id, admin: true, scopes: [{ app: 'crm', form: 'note', actions: ['read'] }] })
    expect(await identity.tokens.list(admin)).toEqual([expect.objectContaining({ name: 'ERP sync', revokedAt: null })])
    expect(JSON.stringify(await identity.tokens.list(admin))).not.toContain(created.secret)
    await expect(identity.tokens.create(actor!, { name: 'x', scopes: [{ app: 'crm', form: 'note', actions: ['read'] }] }))
      .rejects.toMatchObject({ code: 'auth.forbidden' })

    for (const scopes of [[], [{ app: 'crm', form: 'nothing', actions: ['read'] }], [{ app: 'crm', form: 'note', actions: ['run'] }], [{ app: 'crm', form: 'note', report: 'x', actions: ['read'] }]]) {
      await expect(identity.tokens.create(admin, { name: 'bad', scopes })).rejects.toMatchObject({ code: 'validation.failed' })
    }

    await identity.tokens.revoke(admin, created.token.id)
    expect(await identity.actorOfToken(created.secret)).toBeUndefined()
    const lina = (await identity.login('li.na', 'reset-by-admin-3', web)).actor
    await expect(identity.tokens.revoke(lina, created.token.id)).rejects.toMatchObject({ code: 'not_found' })
  })
})
