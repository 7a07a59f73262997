import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Actor } from '@tessera/core'
import { Catalog, type Database } from '@tessera/store'
import { databaseSuites } from '@tessera/store/testing'
import { Identity, SESSION_CACHE_TTL_MS } from '../src/index.js'

const web = { ip: '10.2.0.1', userAgent: 'vitest' }

describe.each(databaseSuites())('the session cache on $name', (suite) => {
  let database: Database
  let identity: Identity
  let now = Date.parse('2026-12-01T01:00:00Z')
  let admin: Actor
  let userId: number
  let counter = 0

  // A user of their own and a fresh session for each case.
  const signedIn = async () => {
    counter += 1
    const password = `cache-user-${counter}-2026`
    const user = await identity.users.create(admin, {
      username: `cache${counter}`, displayName: `缓存${counter}`, password, roles: ['crm/clerk'],
    })
    userId = user.id
    const { session } = await identity.login(`cache${counter}`, password, web)
    return session.token
  }
  const actorOf = async (token: string) => (await identity.actorOfSession(token))?.actor

  beforeAll(async () => {
    database = await suite.open()
    identity = new Identity(database, { now: () => new Date(now), rateLimit: { capacity: 1000, perMinute: 1000 } })
    const catalog = new Catalog(database)
    await catalog.saveApp({ key: 'crm', label: 'CRM' })
    admin = (await identity.setup({ username: 'root', password: 'cache-admin-2026' }, web)).actor
  })
  afterAll(() => database?.close())

  it('answers from memory for a moment, then reads what another process changed', async () => {
    const token = await signedIn()
    expect(await actorOf(token)).toMatchObject({ id: String(userId) })

    // Another process disables the account behind this one's back.
    await sql`update tessera.account set disabled = true where id = ${userId}`.execute(database.db)
    expect(await actorOf(token)).toMatchObject({ id: String(userId) })
    now += SESSION_CACHE_TTL_MS
    expect(await actorOf(token)).toBeUndefined()
  })

  it('forgets a session at once when this process disables, demotes or reassigns its user', async () => {
    const token = await signedIn()
    await actorOf(token)
    await identity.users.setRoles(admin, userId, ['crm/sales'])
    expect(await actorOf(token)).toMatchObject({ roles: ['crm/sales'] })

    const sales = await identity.departments.create(admin, { name: `销售部${counter}` })
    await identity.users.update(admin, userId, { departmentId: sales.id })
    expect(await actorOf(token)).toMatchObject({ department: { id: sales.id, path: sales.path } })

    const parent = await identity.departments.create(admin, { name: `总部${counter}` })
    const under = await identity.departments.update(admin, sales.id, { parentId: parent.id })
    expect(await actorOf(token)).toMatchObject({ department: { id: sales.id, path: under.path } })

    await identity.users.update(admin, userId, { disabled: true })
    expect(await actorOf(token)).toBeUndefined()
  })

  it('forgets a session at once on sign-out and on a password change or reset', async () => {
    const out = await signedIn()
    await actorOf(out)
    const session = await identity.actorOfSession(out)
    await identity.logout(session!.session.id, session!.actor, web)
    expect(await actorOf(out)).toBeUndefined()

    const reset = await signedIn()
    await actorOf(reset)
    await identity.users.resetPassword(admin, userId, 'a-new-secret-2026')
    expect(await actorOf(reset)).toBeUndefined()

    const first = await signedIn()
    const password = `cache-user-${counter}-2026`
    const { session: second } = await identity.login(`cache${counter}`, password, web)
    await actorOf(first)
    await actorOf(second.token)
    await identity.users.changePassword(userId, { currentPassword: password, newPassword: 'changed-secret-2026' }, second.id)
    expect(await actorOf(first)).toBeUndefined()
    expect(await actorOf(second.token)).toMatchObject({ id: String(userId) })
  })

  it('never answers for a session past its expiry, however fresh the entry', async () => {
    const patient = new Identity(database, {
      now: () => new Date(now), sessions: { idleMinutes: 1, maxHours: 1 }, sessionCacheMs: 3_600_000,
      rateLimit: { capacity: 1000, perMinute: 1000 },
    })
    await signedIn()
    const { session } = await patient.login(`cache${counter}`, `cache-user-${counter}-2026`, web)
    expect(await patient.actorOfSession(session.token)).toBeDefined()
    now += 61_000
    expect(await patient.actorOfSession(session.token)).toBeUndefined()
  })

  it('can be turned off', async () => {
    const fresh = new Identity(database, { now: () => new Date(now), sessionCacheMs: 0 })
    const token = await signedIn()
    expect(await fresh.actorOfSession(token)).toBeDefined()
    await sql`update tessera.account set disabled = true where id = ${userId}`.execute(database.db)
    expect(await fresh.actorOfSession(token)).toBeUndefined()
  })
})
