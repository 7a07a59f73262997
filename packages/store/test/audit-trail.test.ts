import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate, openDatabase, searchAudit, writeAudit, type Database } from '../src/index.js'
import { createTestPostgresUrl, databaseSuites } from '../src/testing.js'

describe.each(databaseSuites())('the audit trail on $name', (suite) => {
  let database: Database

  beforeAll(async () => {
    database = await suite.open()
    const lines = [
      { actor: '1', action: 'record.create', app: 'a', form: 'invoice', recordId: 7 },
      { actor: '1', action: 'record.update', app: 'a', form: 'invoice', recordId: 7 },
      { actor: '2', action: 'record.update', app: 'a', form: 'customer', recordId: 3 },
      { actor: '2', action: 'role.save', app: 'a' },
      { actor: '3', action: 'auth.login' },
    ]
    for (const line of lines) await writeAudit(database.db, { ...line, context: { ip: '10.0.0.1' } })
    await sql`insert into tessera.audit (at, actor, action) values
      ('2026-03-01T15:59:59Z', '9', 'old.before'), ('2026-03-01T16:00:00Z', '9', 'old.after')`
      .execute(database.db)
  })
  afterAll(() => database?.close())

  const actions = async (query: Parameters<typeof searchAudit>[1]) =>
    (await searchAudit(database.db, query)).items.map((row) => row.action)

  it('filters by actor, action (or prefix), app, form and record, newest first', async () => {
    expect(await actions({ actor: '1' })).toEqual(['record.update', 'record.create'])
    expect(await actions({ action: 'record.*', form: 'invoice' })).toEqual(['record.update', 'record.create'])
    expect(await actions({ action: 'role.save', app: 'a' })).toEqual(['role.save'])
    expect(await actions({ form: 'customer', recordId: 3 })).toEqual(['record.update'])
    expect(await actions({ action: 'record.%' })).toEqual([])
  })

  it('reads dates as whole days in the company time zone', async () => {
    // 16:00 UTC on March 1 is midnight of March 2 in Shanghai.
    expect(await actions({ actor: '9', to: '2026-03-01', timeZone: 'Asia/Shanghai' })).toEqual(['old.before'])
    expect(await actions({ actor: '9', from: '2026-03-02', to: '2026-03-02', timeZone: 'Asia/Shanghai' }))
      .toEqual(['old.after'])
    expect(await actions({ actor: '9', from: '2026-03-01T16:00:00Z' })).toEqual(['old.after'])
    await expect(searchAudit(database.db, { from: 'yesterday' })).rejects.toMatchObject({ code: 'request.invalid' })
  })

  it('pages with a total', async () => {
    const page = await searchAudit(database.db, { pageSize: 2, page: 2 })
    expect(page).toMatchObject({ page: 2, pageSize: 2, total: 7 })
    expect(page.items).toHaveLength(2)
    await expect(searchAudit(database.db, { pageSize: 1000 })).rejects.toMatchObject({ code: 'request.invalid' })
  })

  it('refuses to change or remove what was written', async () => {
    const attempts = [
      sql`update tessera.audit set after = '{}'`,
      sql`delete from tessera.audit where actor = '9'`,
      sql`truncate tessera.audit`,
    ]
    for (const attempt of attempts) {
      await expect(attempt.execute(database.db)).rejects.toThrow(/tessera\.audit is append-only/)
    }
    expect((await searchAudit(database.db, {})).total).toBe(7)
  })
})

// docs/operations.md: on PostgreSQL the audit table can belong to a role
// the application does not log in as; then not even a compromised
// application can change rows or switch the trigger off.
describe('the audit table owned apart from the application, on PostgreSQL', () => {
  const suffix = randomBytes(4).toString('hex')
  const owner = `tsr_audit_owner_${suffix}`
  const appRole = `tsr_app_${suffix}`
  let target: Awaited<ReturnType<typeof createTestPostgresUrl>>
  let client: pg.Client

  beforeAll(async () => {
    target = await createTestPostgresUrl()
    const database = await openDatabase({ url: target.url, poolSize: 1 })
    await migrate(database)
    await database.close()
    client = new pg.Client({ connectionString: target.url })
    await client.connect()
    for (const statement of [
      `create role ${owner} nologin`,
      `create role ${appRole} nologin`,
      `alter table tessera.audit owner to ${owner}`,
      `grant usage on schema tessera to ${appRole}`,
      `grant select, insert on tessera.audit to ${appRole}`,
    ]) await client.query(statement)
  })
  afterAll(async () => {
    await client?.query('reset role')
    for (const role of [appRole, owner]) {
      await client?.query(`drop owned by ${role} cascade`).catch(() => {})
    }
    await client?.end()
    await target?.drop()
    const admin = new pg.Client({ connectionString: process.env.TESSERA_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test' })
    await admin.connect()
    for (const role of [appRole, owner]) await admin.query(`drop role if exists ${role}`)
    await admin.end()
  })

  it('lets the application append and read, and nothing else', async () => {
    await client.query(`set role ${appRole}`)
    await client.query(`insert into tessera.audit (actor, action) values ('17', 'record.create')`)
    const { rows } = await client.query(`select count(*)::int as n from tessera.audit`)
    expect(rows[0].n).toBe(1)
    for (const statement of [
      `update tessera.audit set actor = 'x'`,
      `delete from tessera.audit`,
      `truncate tessera.audit`,
      `alter table tessera.audit disable trigger audit_no_change`,
      `drop trigger audit_no_change on tessera.audit`,
    ]) {
      await expect(client.query(statement), statement).rejects.toMatchObject({ code: '42501' })
    }
    await client.query('reset role')
  })
})
