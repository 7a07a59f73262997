import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '../src/index.js'
import { databaseSuites } from '../src/testing.js'

// LIBRARY-NOTES §1.4: transaction safety and result types must be the same on
// embedded PGlite and on node-postgres.
describe.each(databaseSuites())('transactions and types on $name', (suite) => {
  let database: Database

  beforeAll(async () => {
    database = await suite.open()
    await sql`create table t (k text primary key, amount numeric(12, 2), day date)`
      .execute(database.db)
  })
  afterAll(() => database?.close())

  it('keeps a write made outside a transaction that later rolls back (T1)', async () => {
    const failing = database.transaction(async (trx) => {
      await sql`insert into t (k) values ('inside')`.execute(trx)
      await new Promise((r) => setTimeout(r, 150))
      throw new Error('boom')
    })
    await new Promise((r) => setTimeout(r, 20))
    await sql`insert into t (k) values ('outside')`.execute(database.db)
    await expect(failing).rejects.toThrow('boom')

    const { rows } = await sql<{ k: string }>`select k from t order by k`.execute(database.db)
    expect(rows.map((r) => r.k)).toEqual(['outside'])
  })

  it('lets a second transaction wait for the first, as two people saving at once', async () => {
    // On PGlite the second used to be refused as a stray query (db.wrong_handle), a 500 for whoever saved second.
    const first = database.transaction(async (trx) => {
      await sql`insert into t (k) values ('first')`.execute(trx)
      await new Promise((r) => setTimeout(r, 150))
    })
    await new Promise((r) => setTimeout(r, 20))
    const second = database.transaction(async (trx) => {
      await sql`insert into t (k) values ('second')`.execute(trx)
    })
    await Promise.all([first, second])
    const { rows } = await sql<{ k: string }>`select k from t where k in ('first', 'second') order by k`.execute(database.db)
    expect(rows.map((r) => r.k)).toEqual(['first', 'second'])
    await sql`delete from t where k in ('first', 'second')`.execute(database.db)
  })

  it('never commits half a transaction whose error was caught inside it (T3)', async () => {
    const attempt = database.transaction(async (trx) => {
      await sql`insert into t (k) values ('first')`.execute(trx)
      try {
        await sql`insert into t (k) values ('first')`.execute(trx)
      } catch {
        // swallowed on purpose: the transaction is aborted all the same
      }
      return 'done'
    })
    await expect(attempt).rejects.toMatchObject({ code: 'db.transaction_aborted' })

    const { rows } = await sql<{ n: number }>`select count(*) as n from t where k = 'first'`
      .execute(database.db)
    expect(rows[0].n).toBe(0)
  })

  it('returns the same JS types for counts, sums, dates and bigints', async () => {
    await sql`insert into t (k, amount, day) values ('a', 0.1, '2024-02-29'), ('b', 0.2, null)`
      .execute(database.db)
    const { rows } = await sql<Record<string, unknown>>`
      select count(*) as n, sum(amount) as total, min(day) as first_day,
             42::bigint as big, 12.5::numeric as dec
      from t where k in ('a', 'b')`.execute(database.db)
    expect(rows[0]).toEqual({ n: 2, total: '0.30', first_day: '2024-02-29', big: 42, dec: '12.5' })

    await expect(sql`select 9007199254740993::bigint as x`.execute(database.db))
      .rejects.toThrow(/beyond the exact range/)
  })
})

describe('PGlite handle misuse', () => {
  it('fails at once when the outer handle is used inside a transaction (T2)', async () => {
    const database = await databaseSuites()[0].open()
    try {
      const attempt = database.transaction(async () => {
        await sql`select 1`.execute(database.db)
      })
      await expect(attempt).rejects.toMatchObject({ code: 'db.wrong_handle' })
      await database.ping()
    } finally {
      await database.close()
    }
  })
})
