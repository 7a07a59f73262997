import { randomBytes } from 'node:crypto'
import { resolve } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '@tessera/core'
import { Identity } from '@tessera/identity'
import { Platform } from '@tessera/platform'
import { databaseSuites } from '@tessera/store/testing'
import { buildServer } from '../src/index.js'
import { createTestServer, TEST_ADMIN, TEST_PASSWORD, type TestServer } from './support.js'

const TEMPLATE = resolve(__dirname, '../../../templates/customer-settlement')
const APP = '/api/apps/customer-settlement'
const SECRET_KEY = randomBytes(32).toString('base64')

describe.each(databaseSuites())('sign-in, sessions and tokens on $name', (suite) => {
  let platform: Platform
  let server: TestServer
  // The injected clock starts at the real time: other servers in this file
  // run on the real clock, and their start sweeps expired sessions away.
  let now = Date.now()
  let address = 0
  const from = () => `192.0.2.${++address}`

  const login = (username: string, password: string, remoteAddress = from()) =>
    server.anonymous({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress })

  const auditRows = async (action: string) => {
    const { rows } = await sql<{ actor: string; context: Record<string, unknown>; before: unknown; after: unknown }>`
      select actor, context, before, after from tessera.audit where action = ${action} order by id`
      .execute(platform.database.db)
    return rows
  }

  beforeAll(async () => {
    platform = new Platform(await suite.open())
    await platform.installTemplate(TEMPLATE, SYSTEM_ACTOR)
  })
  afterAll(async () => {
    await server?.close()
    await platform?.close()
  })

  it('asks for the administrator on first run, once, and has no default password', async () => {
    const fresh = await buildServer(platform)
    try {
      expect((await fresh.inject('/api/auth/state')).json()).toEqual({ setupNeeded: true })
      expect((await fresh.inject('/api/health')).statusCode).toBe(200)
      for (const url of ['/api/apps', '/%61pi/apps', '/api/%61pps', '/api/settings', '/%61pi/settings', '/api/nothing']) {
        const closed = await fresh.inject(url)
        expect(closed.statusCode, url).toBe(401)
        expect(closed.json().error.code).toBe('auth.required')
      }
      for (const [username, password] of [['admin', 'admin'], ['admin', ''], ['root', 'root'], ['admin', 'password']]) {
        const attempt = await fresh.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password }, remoteAddress: from() })
        expect(attempt.statusCode).toBe(401)
      }

      const weak = await fresh.inject({ method: 'POST', url: '/api/auth/setup', payload: { username: 'admin', password: 'admin' } })
      expect(weak.statusCode).toBe(400)
      expect(weak.json().error.issues.map((i: { field: string }) => i.field)).toContain('password')

      const setup = await fresh.inject({ method: 'POST', url: '/api/auth/setup', payload: { ...TEST_ADMIN, displayName: '管理员' } })
      expect(setup.statusCode).toBe(201)
      expect(setup.json()).toMatchObject({ user: { username: 'admin', admin: true }, csrfToken: expect.any(String) })

      const again = await fresh.inject({ method: 'POST', url: '/api/auth/setup', payload: { username: 'mallory', password: 'mallory-2026-x' } })
      expect(again.statusCode).toBe(409)
      expect(again.json().error.code).toBe('auth.setup_closed')
      expect((await fresh.inject('/api/auth/state')).json()).toEqual({ setupNeeded: false })
      expect(await auditRows('auth.setup')).toHaveLength(1)
    } finally {
      await fresh.close()
    }

    server = await createTestServer(platform, {
      identityOptions: { now: () => new Date(now), secretKey: SECRET_KEY },
    })
  })

  it('signs in with an httpOnly SameSite=Lax cookie and signs out', async () => {
    const response = await login('ADMIN', TEST_ADMIN.password)
    expect(response.statusCode).toBe(200)
    const header = String(response.headers['set-cookie'])
    expect(header).toMatch(/^tessera_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax$/)
    const { csrfToken, user } = response.json()
    expect(user).toMatchObject({ username: 'admin', displayName: '管理员', admin: true, roles: [] })

    const cookie = header.split(';')[0]
    const state = await server.anonymous({ url: '/api/auth/state', headers: { cookie } })
    expect(state.json()).toEqual({ setupNeeded: false, user, csrfToken })
    expect(state.headers['cache-control']).toBe('no-store')
    expect((await server.anonymous({ url: '/api/apps', headers: { cookie } })).statusCode).toBe(200)

    const again = await server.anonymous({
      method: 'POST', url: '/api/auth/login', payload: TEST_ADMIN, remoteAddress: from(),
      headers: { cookie, 'x-csrf-token': csrfToken },
    })
    expect(again.statusCode).toBe(200)
    expect((await server.anonymous({ url: '/api/apps', headers: { cookie } })).statusCode).toBe(401)
    const replaced = String(again.headers['set-cookie']).split(';')[0]
    const next = again.json().csrfToken

    const logout = await server.anonymous({ method: 'POST', url: '/api/auth/logout', headers: { cookie: replaced, 'x-csrf-token': next } })
    expect(logout.statusCode).toBe(204)
    expect(String(logout.headers['set-cookie'])).toContain('Max-Age=0')
    const after = await server.anonymous({ url: '/api/apps', headers: { cookie: replaced } })
    expect(after.statusCode).toBe(401)
    expect(after.json().error.code).toBe('auth.required')

    const rows = await auditRows('auth.login')
    expect(rows.at(-1)?.context).toMatchObject({ ip: expect.stringMatching(/^192\.0\.2\./) })
  })

  it('marks the cookie Secure behind HTTPS, by option', async () => {
    const secure = await buildServer(platform, { secureCookies: true })
    try {
      const response = await secure.inject({ method: 'POST', url: '/api/auth/login', payload: TEST_ADMIN, remoteAddress: from() })
      expect(String(response.headers['set-cookie'])).toMatch(/; HttpOnly; Secure; SameSite=Lax$/)
    } finally {
      await secure.close()
    }
  })

  it('refuses a change without the CSRF token, and writes nothing', async () => {
    const count = async () => (await server.inject(`${APP}/forms/customer/records?pageSize=1`)).json().total
    const before = await count()
    const payload = { values: { code: 'CSRF-1', name: '跨站请求' } }
    const missing = await server.inject({ method: 'POST', url: `${APP}/forms/customer/records`, payload, headers: { 'x-csrf-token': '' } })
    expect(missing.statusCode).toBe(403)
    expect(missing.json().error.code).toBe('auth.csrf')
    const wrong = await server.inject({ method: 'POST', url: `${APP}/forms/customer/records`, payload, headers: { 'x-csrf-token': 'x'.repeat(43) } })
    expect(wrong.statusCode).toBe(403)
    expect(await count()).toBe(before)

    const right = await server.inject({ method: 'POST', url: `${APP}/forms/customer/records`, payload })
    expect(right.statusCode).toBe(201)
    expect(await count()).toBe(before + 1)
  })

  it('locks an account after five wrong passwords and opens it again after fifteen minutes', async () => {
    await server.createUser({ username: 'zhao', displayName: '赵敏' })
    for (let attempt = 0; attempt < 5; attempt++) {
      const wrong = await login('zhao', `not-it-${attempt}-x`)
      expect(wrong.statusCode).toBe(401)
      expect(wrong.json().error).toMatchObject({ code: 'auth.invalid', message: '用户名或密码不对' })
    }
    const unknown = await login('nobody-here', 'not-it-0-x')
    expect(unknown.json().error.message).toBe('用户名或密码不对')

    const locked = await login('zhao', TEST_PASSWORD)
    expect(locked.statusCode).toBe(423)
    expect(locked.json().error).toMatchObject({ code: 'auth.locked', details: { until: new Date(now + 15 * 60_000).toISOString() } })
    expect(locked.headers['retry-after']).toBe('900')

    now += 15 * 60_000 - 1000
    expect((await login('zhao', TEST_PASSWORD)).statusCode).toBe(423)
    now += 1000
    expect((await login('zhao', TEST_PASSWORD)).statusCode).toBe(200)
    expect((await auditRows('auth.locked')).map((r) => r.context.username)).toEqual(['zhao'])
  })

  it('limits sign-in attempts per client address', async () => {
    const address = '198.51.100.7'
    for (let attempt = 0; attempt < 10; attempt++) {
      expect((await login('nobody-here', 'whatever-123', address)).statusCode).toBe(401)
    }
    const limited = await login('admin', TEST_ADMIN.password, address)
    expect(limited.statusCode).toBe(429)
    expect(limited.json().error.code).toBe('auth.rate_limited')
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
    expect((await login('admin', TEST_ADMIN.password, '198.51.100.8')).statusCode).toBe(200)
    now += 6_000
    expect((await login('admin', TEST_ADMIN.password, address)).statusCode).toBe(200)
  })

  it('ends every other session when a user changes their password', async () => {
    const first = await server.createUser({ username: 'qian', displayName: '钱进' })
    const second = await server.as('qian', TEST_PASSWORD)
    const change = (password: string) => first.inject({
      method: 'POST', url: '/api/auth/password', payload: { currentPassword: password, newPassword: 'river-stone-9x' },
    })

    const wrong = await change('not-the-password')
    expect(wrong.statusCode).toBe(400)
    expect(wrong.json().error.issues[0].field).toBe('currentPassword')
    expect((await change(TEST_PASSWORD)).statusCode).toBe(204)

    expect((await first.inject('/api/auth/state')).json().user.username).toBe('qian')
    expect((await second.inject('/api/apps')).statusCode).toBe(401)
    expect((await login('qian', TEST_PASSWORD)).statusCode).toBe(401)
    expect((await login('qian', 'river-stone-9x')).statusCode).toBe(200)
    expect(await auditRows('auth.password_changed')).toHaveLength(1)
  })

  it('lets only an administrator manage users; a reset ends the user\'s sessions', async () => {
    const dept = await server.inject({ method: 'POST', url: '/api/admin/departments', payload: { name: '财务部' } })
    expect(dept.statusCode).toBe(201)
    const sub = await server.inject({ method: 'POST', url: '/api/admin/departments', payload: { name: '应收组', parentId: dept.json().id } })
    expect(sub.json().path).toBe(`/${dept.json().id}/${sub.json().id}/`)

    const sun = await server.createUser({
      username: 'sun', displayName: '孙丽', departmentId: sub.json().id, roles: ['customer-settlement/salesperson'],
    })
    const state = (await sun.inject('/api/auth/state')).json()
    expect(state.user).toMatchObject({
      roles: ['customer-settlement/salesperson'],
      department: { id: sub.json().id, path: sub.json().path, name: '应收组' },
    })

    for (const request of [
      { url: '/api/admin/users' },
      { method: 'POST' as const, url: '/api/admin/users', payload: { username: 'x1', password: TEST_PASSWORD } },
      { method: 'POST' as const, url: `/api/admin/users/${sun.user.id}/reset-password`, payload: { password: 'amber-field-31' } },
      { method: 'PUT' as const, url: `/api/admin/users/${sun.user.id}/roles`, payload: { roles: [] } },
      { url: '/api/admin/departments' },
      { url: '/api/admin/roles' },
      { url: '/api/admin/secrets' },
    ]) {
      const refused = await sun.inject(request)
      expect(refused.statusCode, request.url).toBe(403)
      expect(refused.json().error.code).toBe('auth.forbidden')
    }

    const reset = await server.inject({ method: 'POST', url: `/api/admin/users/${sun.user.id}/reset-password`, payload: { password: 'amber-field-31' } })
    expect(reset.statusCode).toBe(204)
    expect((await sun.inject('/api/apps')).statusCode).toBe(401)
    expect((await login('sun', 'amber-field-31')).statusCode).toBe(200)

    const roles = await server.inject({ method: 'PUT', url: `/api/admin/users/${sun.user.id}/roles`, payload: { roles: [] } })
    expect(roles.json().roles).toEqual([])
    expect((await auditRows('user.roles_changed')).at(-1)).toMatchObject({
      before: { roles: ['customer-settlement/salesperson'] }, after: { roles: [] },
    })

    const disabled = await server.inject({ method: 'PATCH', url: `/api/admin/users/${sun.user.id}`, payload: { disabled: true } })
    expect(disabled.json().disabled).toBe(true)
    expect((await login('sun', 'amber-field-31')).statusCode).toBe(401)
    const listed = (await server.inject('/api/admin/users')).json()
    expect(listed.map((u: { username: string }) => u.username)).toEqual(['admin', 'qian', 'sun', 'zhao'])
    expect(JSON.stringify(listed)).not.toContain('scrypt')
  })

  it('lets a salesperson\'s token read the invoices their session reads, with an invoice scope alone', async () => {
    const sales = await server.createUser({ username: 'token.sales', roles: ['customer-settlement/salesperson'] })
    const owned = await server.inject({ method: 'POST', url: `${APP}/forms/customer/records`,
      payload: { values: { code: 'TOK-C', name: '令牌客户', owner: String(sales.user.id) } } })
    const invoice = await server.inject({ method: 'POST', url: `${APP}/forms/invoice/records`, payload: { values: {
      number: 'TOK-INV-1', customer: owned.json().id, invoice_date: '2026-05-01', due_date: '2026-05-31', amount: '10.00',
    } } })
    expect(invoice.statusCode, invoice.body).toBe(201)
    const created = await sales.inject({ method: 'POST', url: '/api/tokens', payload: {
      name: '只读发票', scopes: [{ app: 'customer-settlement', form: 'invoice', actions: ['read'] }],
    } })
    expect(created.statusCode, created.body).toBe(201)
    const bearer = (url: string) =>
      server.anonymous({ url, headers: { authorization: `Bearer ${created.json().secret}` } })

    // The invoices' row rule goes through the customer ("via"): the token
    // reaches the user's customers without a customer scope of its own.
    const bySession = (await sales.inject(`${APP}/forms/invoice/records?pageSize=500`)).json()
    const byToken = await bearer(`${APP}/forms/invoice/records?pageSize=500`)
    expect(byToken.statusCode).toBe(200)
    expect(bySession.total).toBeGreaterThan(0)
    expect(byToken.json().items.map((item: { id: number }) => item.id))
      .toEqual(bySession.items.map((item: { id: number }) => item.id))
    expect((await bearer(`${APP}/forms/invoice/records/${invoice.json().id}`)).statusCode).toBe(200)
    expect((await bearer(`${APP}/forms/customer/records`)).statusCode).toBe(403)
  })

  it('shows an API token once, accepts it as Bearer within its scopes, and stops it when revoked', async () => {
    const created = await server.inject({
      method: 'POST', url: '/api/tokens',
      payload: { name: 'ERP 同步', scopes: [
        { app: 'customer-settlement', form: 'customer', actions: ['read', 'create'] },
        { app: 'customer-settlement', report: 'aging_buckets', actions: ['run'] },
      ] },
    })
    expect(created.statusCode).toBe(201)
    const { token, secret } = created.json()
    expect(secret).toMatch(/^tsr_/)
    const listed = await server.inject('/api/tokens')
    expect(listed.json()).toEqual([expect.objectContaining({ id: token.id, name: 'ERP 同步', revokedAt: null, lastUsedAt: null })])
    expect(listed.body).not.toContain(secret)
    const stored = await sql`select * from tessera.api_token`.execute(platform.database.db)
    expect(JSON.stringify(stored.rows)).not.toContain(secret)

    const bearer = (request: { method?: 'GET' | 'POST' | 'PATCH' | 'DELETE'; url: string; payload?: object }) =>
      server.anonymous({ ...request, headers: { authorization: `Bearer ${secret}` } })
    expect((await bearer({ url: `${APP}/forms/customer/records` })).statusCode).toBe(200)
    const customer = await server.inject({ method: 'POST', url: `${APP}/forms/customer/records`, payload: { values: { code: 'RPT-1', name: '报表客户' } } })
    const invoice = await server.inject({ method: 'POST', url: `${APP}/forms/invoice/records`, payload: { values: {
      number: 'RPT-INV-1', customer: customer.json().id, invoice_date: '2026-05-01', due_date: '2026-05-31', amount: '1234.50',
    } } })
    expect(invoice.statusCode, invoice.body).toBe(201)
    const run = await bearer({ url: `${APP}/reports/aging_buckets/run?asOf=2026-06-30` })
    expect(run.statusCode).toBe(200)
    // The report reads the invoices as the token's user does, though the
    // token itself may not list invoices.
    const direct = await server.inject(`${APP}/reports/aging_buckets/run?asOf=2026-06-30`)
    expect(run.json().rows).toEqual(direct.json().rows)
    expect(run.json().rows.some((row: { open: string }) => row.open !== '0.00')).toBe(true)
    const made = await bearer({ method: 'POST', url: `${APP}/forms/customer/records`, payload: { values: { code: 'TOKEN-1', name: '接口客户' } } })
    expect(made.statusCode).toBe(201)
    expect(made.json().createdBy).toBe(String(server.admin.user.id))

    for (const request of [
      { url: `${APP}/forms/invoice/records` },
      { method: 'DELETE' as const, url: `${APP}/forms/customer/records/${made.json().id}` },
      { method: 'PATCH' as const, url: `${APP}/forms/customer/records/${made.json().id}`, payload: { version: 1, values: { name: 'x' } } },
      { url: `${APP}/reports/aging/run?asOf=2026-06-30` },
      { url: `${APP}/dashboards/receivables` },
      { url: '/api/admin/users' },
      { url: '/api/tokens' },
      { method: 'POST' as const, url: '/api/auth/password', payload: { currentPassword: 'a', newPassword: 'b' } },
    ]) {
      const refused = await bearer(request)
      expect(refused.statusCode, `${request.method ?? 'GET'} ${request.url}`).toBe(403)
      expect(refused.json().error.code).toBe('auth.forbidden')
    }

    // An import mapping writes several forms: the token needs import on each.
    const csv = '编号,名称,区域,销售,账期\nIMP-1,导入客户,华东,王,30\n'
    const importAs = (key: string) => server.anonymous({
      method: 'POST', url: `${APP}/imports/demo_customers`, payload: csv,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' },
    })
    expect((await importAs(secret)).statusCode).toBe(403)
    const importOnly = (await server.inject({
      method: 'POST', url: '/api/tokens',
      payload: { name: 'import only', scopes: [{ app: 'customer-settlement', form: 'customer', actions: ['import'] }] },
    })).json()
    // An import by key reads, creates and updates: the import action alone is not enough.
    const refused = await importAs(importOnly.secret)
    expect(refused.statusCode).toBe(403)
    expect(refused.json().error.message).toContain('导入按键查找已有记录，需要能查看全部记录')
    const importer = (await server.inject({
      method: 'POST', url: '/api/tokens',
      payload: { name: 'import', scopes: [{ app: 'customer-settlement', form: 'customer', actions: ['import', 'read', 'create', 'update'] }] },
    })).json()
    const imported = await importAs(importer.secret)
    expect(imported.statusCode, imported.body).toBe(200)
    expect(imported.json().status).toBe('succeeded')
    expect((await bearer({ url: `${APP}/forms/customer/records?q=IMP-1` })).json().total).toBe(1)
    expect((await server.anonymous({ method: 'POST', url: `${APP}/imports/ledger`, payload: csv, headers: { authorization: `Bearer ${importer.secret}`, 'content-type': 'text/csv' } })).statusCode).toBe(403)

    expect((await server.inject({ method: 'DELETE', url: `/api/tokens/${token.id}` })).statusCode).toBe(204)
    const revoked = await bearer({ url: `${APP}/forms/customer/records` })
    expect(revoked.statusCode).toBe(401)
    expect(revoked.json().error.code).toBe('auth.required')
    expect((await server.anonymous({ url: '/api/apps', headers: { authorization: 'Bearer tsr_forged' } })).statusCode).toBe(401)
    expect((await auditRows('token.revoked')).map((r) => r.context.name)).toEqual(['ERP 同步'])
  })

  it('keeps secrets encrypted at rest and refuses clearly under a wrong or missing key', async () => {
    const put = await server.inject({ method: 'PUT', url: '/api/admin/secrets/smtp.password', payload: { value: 'Sm7p-Pa55word' } })
    expect(put.statusCode).toBe(204)
    const listed = await server.inject('/api/admin/secrets')
    expect(listed.json()).toEqual([{ key: 'smtp.password', updatedAt: expect.any(String) }])
    expect(listed.body).not.toContain('Sm7p')

    const { rows } = await sql<{ ciphertext: string }>`select ciphertext from tessera.secret`.execute(platform.database.db)
    expect(rows[0].ciphertext).toMatch(/^v1:/)
    expect(rows[0].ciphertext).not.toContain('Sm7p-Pa55word')
    expect(rows[0].ciphertext).not.toContain(Buffer.from('Sm7p-Pa55word').toString('base64').slice(0, 8))

    expect(await new Identity(platform.database, { secretKey: SECRET_KEY }).secrets.reveal('smtp.password')).toBe('Sm7p-Pa55word')
    const otherKey = new Identity(platform.database, { secretKey: randomBytes(32).toString('hex') })
    await expect(otherKey.secrets.reveal('smtp.password')).rejects.toMatchObject({
      code: 'secret.undecryptable', message: expect.stringContaining('TESSERA_SECRET_KEY'),
    })

    const keyless = await createTestServer(platform, { identityOptions: { secretKey: '' } })
    try {
      const refused = await keyless.inject({ method: 'PUT', url: '/api/admin/secrets/webhook.key', payload: { value: 'abc' } })
      expect(refused.statusCode).toBe(503)
      expect(refused.json().error).toMatchObject({ code: 'secret.key_missing', message: expect.stringContaining('TESSERA_SECRET_KEY') })
    } finally {
      await keyless.close()
    }
  })
})
