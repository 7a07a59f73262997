import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type FormDefinition, type RoleSpec } from '@tessera/core'
import { Platform } from '@tessera/platform'
import { databaseSuites } from '@tessera/store/testing'
import { createTestServer, type SignedIn, type TestServer } from './support.js'

const APP = 'ledger-app'
const VIEWS = `/api/apps/${APP}/forms/bill/views`
const RECORDS = `/api/apps/${APP}/forms/bill/records`

const bill: FormDefinition = {
  key: 'bill',
  label: '账单',
  titleField: 'code',
  fields: [
    { key: 'code', type: 'text', label: '编号', required: true },
    { key: 'amount', type: 'money', label: '金额' },
    { key: 'note', type: 'text', label: '备注' },
  ],
}

const roles: RoleSpec[] = [
  { key: 'clerk', label: '会计', forms: { bill: { actions: ['read', 'create'] } } },
  { key: 'no_amounts', label: '不看金额', forms: { bill: { actions: ['read'], fields: { amount: 'hidden' } } } },
]

const spec = {
  filter: { startsWith: [{ var: 'code' }, 'B-1'] },
  sort: '-amount',
  columns: ['code', 'amount'],
  pageSize: 5,
}

describe.each(databaseSuites())('list view routes on $name', (suite) => {
  let platform: Platform
  let server: TestServer
  let wang: SignedIn
  let li: SignedIn
  let outsider: SignedIn

  beforeAll(async () => {
    platform = new Platform(await suite.open())
    await platform.catalog.saveApp({ key: APP, label: '账务' })
    await platform.catalog.saveDraft(APP, bill)
    await platform.catalog.publish(APP, ['bill'], SYSTEM_ACTOR)
    for (const role of roles) await platform.roles.save(SYSTEM_ACTOR, APP, role)
    server = await createTestServer(platform)
    wang = await server.createUser({ username: 'wang', roles: [`${APP}/clerk`] })
    li = await server.createUser({ username: 'li', roles: [`${APP}/clerk`] })
    outsider = await server.createUser({ username: 'zhao', roles: [] })
    for (let i = 1; i <= 30; i++) {
      await platform.records.create(SYSTEM_ACTOR, APP, 'bill', { code: `B-${i}`, amount: `${i % 7}.00` })
    }
  })
  afterAll(async () => {
    await server?.close()
    await platform?.close()
  })

  it('keeps personal views to their owner and shows shared ones to every reader', async () => {
    const mine = await wang.inject({ method: 'POST', url: VIEWS, payload: { name: ' 我的账单 ', spec } })
    expect(mine.statusCode).toBe(201)
    expect(mine.json()).toMatchObject({ name: '我的账单', shared: false, mine: true, isDefault: false, ...spec })
    const shared = await server.inject({ method: 'POST', url: VIEWS, payload: { name: '全部', shared: true, spec: {} } })
    expect(shared.statusCode).toBe(201)

    const wangSees = (await wang.inject(VIEWS)).json()
    expect(wangSees.map((v: { name: string }) => v.name)).toEqual(['全部', '我的账单'])
    const liSees = (await li.inject(VIEWS)).json()
    expect(liSees).toEqual([expect.objectContaining({ name: '全部', shared: true, mine: false })])

    const id = mine.json().id
    for (const request of [
      { method: 'PATCH' as const, url: `${VIEWS}/${id}`, payload: { name: '偷看' } },
      { method: 'DELETE' as const, url: `${VIEWS}/${id}` },
      { method: 'PUT' as const, url: `${VIEWS}/default`, payload: { view: id } },
    ]) {
      const refused = await li.inject(request)
      expect(refused.statusCode).toBe(404)
      expect(refused.json().error.code).toBe('not_found')
    }
    // Not even an admin sees another user's personal view.
    expect((await server.inject(VIEWS)).json().map((v: { name: string }) => v.name)).toEqual(['全部'])
  })

  it('lets only admins make or change shared views', async () => {
    const refused = await wang.inject({ method: 'POST', url: VIEWS, payload: { name: '团队', shared: true } })
    expect(refused.statusCode).toBe(403)
    expect(refused.json().error.code).toBe('auth.forbidden')
    const shared = (await wang.inject(VIEWS)).json().find((v: { shared: boolean }) => v.shared)
    const rename = await wang.inject({ method: 'PATCH', url: `${VIEWS}/${shared.id}`, payload: { name: 'x' } })
    expect(rename.statusCode).toBe(403)
    const sharedFlip = await server.inject({ method: 'PATCH', url: `${VIEWS}/${shared.id}`, payload: { shared: false } })
    expect(sharedFlip.statusCode).toBe(400)
  })

  it('renames, replaces the spec, sets the default and deletes', async () => {
    const created = (await wang.inject({ method: 'POST', url: VIEWS, payload: { name: '临时', spec } })).json()
    const renamed = await wang.inject({
      method: 'PATCH', url: `${VIEWS}/${created.id}`, payload: { name: '大额', spec: { sort: 'amount' } },
    })
    expect(renamed.json()).toMatchObject({ name: '大额', sort: 'amount' })
    expect(renamed.json().filter).toBeUndefined()
    const duplicate = await wang.inject({ method: 'POST', url: VIEWS, payload: { name: '大额' } })
    expect(duplicate.statusCode).toBe(409)
    // Another user may use the same name for their own view.
    expect((await li.inject({ method: 'POST', url: VIEWS, payload: { name: '大额' } })).statusCode).toBe(201)

    expect((await wang.inject({ method: 'PUT', url: `${VIEWS}/default`, payload: { view: created.id } })).statusCode).toBe(204)
    const listed = (await wang.inject(VIEWS)).json()
    expect(listed.filter((v: { isDefault: boolean }) => v.isDefault).map((v: { id: number }) => v.id)).toEqual([created.id])
    expect((await li.inject(VIEWS)).json().some((v: { isDefault: boolean }) => v.isDefault)).toBe(false)

    expect((await wang.inject({ method: 'DELETE', url: `${VIEWS}/${created.id}` })).statusCode).toBe(204)
    expect((await wang.inject(VIEWS)).json().some((v: { id: number }) => v.id === created.id)).toBe(false)
  })

  it('offers a reader no view that filters or sorts by a field hidden from them, and no column of one', async () => {
    const sun = await server.createUser({ username: 'sun', roles: [`${APP}/no_amounts`] })
    const big = await server.inject({ method: 'POST', url: VIEWS, payload: {
      name: '大额账单', shared: true, spec: { filter: { '>': [{ var: 'amount' }, '5'] }, columns: ['code', 'amount'] },
    } })
    const plain = await server.inject({ method: 'POST', url: VIEWS, payload: {
      name: '全部账单', shared: true, spec: { filter: { startsWith: [{ var: 'code' }, 'B-'] }, columns: ['code', 'amount', 'note'] },
    } })
    const listed = (await sun.inject(VIEWS)).json() as Array<{ id: number; name: string; columns?: string[]; filter?: unknown }>
    expect(listed.find((view) => view.name === '大额账单')).toBeUndefined()
    expect(JSON.stringify(listed)).not.toContain('"5"')
    expect(listed.find((view) => view.name === '全部账单')?.columns).toEqual(['code', 'note'])
    expect((await sun.inject({ method: 'PUT', url: `${VIEWS}/default`, payload: { view: big.json().id } })).statusCode).toBe(404)
    expect((await sun.inject({ method: 'PUT', url: `${VIEWS}/default`, payload: { view: plain.json().id } })).statusCode).toBe(204)
    // The administrator still sees both as made.
    const all = (await server.inject(VIEWS)).json() as Array<{ name: string; columns?: string[] }>
    expect(all.find((view) => view.name === '全部账单')?.columns).toEqual(['code', 'amount', 'note'])

    for (const refused of [{ sort: '-amount' }, { filter: { '>': [{ var: 'amount' }, '1'] } }, { columns: ['code', 'amount'] }]) {
      const response = await sun.inject({ method: 'POST', url: VIEWS, payload: { name: '我的', spec: refused } })
      expect(response.statusCode, JSON.stringify(refused)).toBe(400)
      expect(response.json().error).toMatchObject({
        code: 'request.invalid',
        message: '视图不能使用对你不可见的字段 「金额」',
        issues: [{ field: 'spec.amount', rule: 'hidden' }],
      })
    }
    for (const response of [big, plain]) {
      await server.inject({ method: 'DELETE', url: `${VIEWS}/${response.json().id}` })
    }
  })

  it('checks a view against the form and the reader', async () => {
    const cases: [unknown, string][] = [
      [{ name: '' }, 'name'],
      [{ name: 'a', spec: { filter: { '==': [{ var: 'nope' }, 1] } } }, 'nope'],
      [{ name: 'a', spec: { sort: 'nope' } }, 'nope'],
      [{ name: 'a', spec: { columns: ['code', 'ghost'] } }, 'ghost'],
      [{ name: 'a', spec: { pageSize: 0 } }, 'spec.pageSize'],
      [{ name: 'a', spec: { colour: 'red' } }, 'spec.colour'],
    ]
    for (const [payload, named] of cases) {
      const response = await wang.inject({ method: 'POST', url: VIEWS, payload: payload as object })
      expect(response.statusCode, JSON.stringify(payload)).toBe(400)
      expect(response.body).toContain(named)
    }
    expect((await outsider.inject(VIEWS)).statusCode).toBe(403)
    expect((await server.anonymous(VIEWS)).statusCode).toBe(401)
    expect((await wang.inject(`/api/apps/${APP}/forms/ghost/views`)).statusCode).toBe(404)
  })

  it('pages records by cursor and says whether the total is exact', async () => {
    const first = await wang.inject(`${RECORDS}?pageSize=7&sort=amount`)
    expect(first.statusCode).toBe(200)
    const page = first.json()
    expect(page).toMatchObject({ total: 30, totalExact: true, totalKind: 'exact', prev: null })
    const second = (await wang.inject(`${RECORDS}?pageSize=7&sort=amount&after=${page.next}`)).json()
    expect(second.items).toHaveLength(7)
    expect(second.items[0].values.amount >= page.items[6].values.amount).toBe(true)
    const back = (await wang.inject(`${RECORDS}?pageSize=7&sort=amount&before=${second.prev}`)).json()
    expect(back.items.map((r: { id: number }) => r.id)).toEqual(page.items.map((r: { id: number }) => r.id))
    const bad = await wang.inject(`${RECORDS}?after=garbage`)
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message).toContain('after')
  })
})
