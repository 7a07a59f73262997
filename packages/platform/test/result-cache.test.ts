import { resolve } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type Actor } from '@tessera/core'
import { databaseSuites } from '@tessera/store/testing'
import { Platform } from '../src/index.js'
import { ResultCache } from '../src/result-cache.js'

const TEMPLATE = resolve(__dirname, '../../../templates/customer-settlement')
const APP = 'customer-settlement'
const AS_OF = { asOf: '2026-06-30' }

describe.each(databaseSuites())('report results kept for repeated views on $name', (suite) => {
  let platform: Platform
  let customer = 0
  const admin: Actor = { ...SYSTEM_ACTOR }
  const sales: Actor = { id: '17', roles: [`${APP}/salesperson`] }

  const counted = (cache: ResultCache) => {
    let computed = 0
    const run = (key: string, rows: unknown[] = [{ n: 1 }]) =>
      cache.run(platform.database.db, key, async () => {
        computed += 1
        return { rows }
      })
    return { run, computed: () => computed }
  }

  beforeAll(async () => {
    platform = new Platform(await suite.open())
    await platform.installTemplate(TEMPLATE, SYSTEM_ACTOR)
    customer = (await platform.records.create(admin, APP, 'customer', { code: 'RC-1', name: '缓存客户', owner: '17' })).id
  })
  afterAll(() => platform?.close())

  it('computes once while nothing is committed, and again after any commit', async () => {
    // The snapshot is the whole server's: on the shared test server another
    // test's commit may fall between two runs. Some attempt sees none.
    let cache = counted(new ResultCache({ entries: 10, maxRows: 100, ttlMs: 60_000 }))
    for (let attempt = 0; attempt < 10; attempt += 1) {
      cache = counted(new ResultCache({ entries: 10, maxRows: 100, ttlMs: 60_000 }))
      await cache.run('a')
      await cache.run('a')
      await cache.run('b')
      if (cache.computed() === 2) break
    }
    expect(cache.computed()).toBe(2)

    await sql`insert into tessera.setting (key, value) values ('cache-probe', '1')
      on conflict (key) do update set value = excluded.value`.execute(platform.database.db)
    await cache.run('a')
    expect(cache.computed()).toBe(3)
  })

  it('keeps no large results, no more entries than allowed, and nothing when turned off', async () => {
    const small = new ResultCache({ entries: 2, maxRows: 1, ttlMs: 60_000 })
    const cache = counted(small)
    await cache.run('big', [1, 2])
    await cache.run('big', [1, 2])
    expect(cache.computed()).toBe(2)
    for (const key of ['x', 'y', 'z']) await cache.run(key)
    expect(small.size).toBe(2)

    const off = counted(new ResultCache({ entries: 0, maxRows: 100, ttlMs: 60_000 }))
    await off.run('a')
    await off.run('a')
    expect(off.computed()).toBe(2)
  })

  it('never serves a report run that a saved record has made stale, nor one reader\'s figures to another', async () => {
    const open = async (actor: Actor) =>
      (await platform.runReport(actor, APP, 'receivables_summary', AS_OF)).rows[0].open
    const before = await open(admin)
    expect(await open(admin)).toBe(before)
    const mine = await open(sales)

    await platform.records.create(admin, APP, 'invoice', {
      number: 'RC-INV-1', customer, invoice_date: '2026-06-01', due_date: '2026-06-20', amount: '100.00',
    })
    expect(await open(admin)).not.toBe(before)
    expect(await open(sales)).not.toBe(mine)
    expect(platform.reportCache.size).toBeGreaterThan(0)
  })
})
