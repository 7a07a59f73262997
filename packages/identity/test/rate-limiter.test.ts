import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Database } from '@tessera/store'
import { databaseSuites } from '@tessera/store/testing'
import { RateLimiter } from '../src/index.js'

describe.each(databaseSuites())('the sign-in rate limiter on $name', (suite) => {
  let database: Database
  let now = Date.parse('2026-12-01T00:00:00Z')
  const clock = () => new Date(now)

  beforeAll(async () => {
    database = await suite.open()
  })
  afterAll(async () => {
    await database?.close()
  })

  it('allows a burst, then one attempt per refill interval, per key', async () => {
    const limiter = new RateLimiter(database, { capacity: 3, perMinute: 6 }, clock)
    const take = async (key: string) => (await limiter.take(key)).ok
    expect([await take('10.0.0.1'), await take('10.0.0.1'), await take('10.0.0.1')]).toEqual([true, true, true])

    expect(await limiter.take('10.0.0.1')).toEqual({ ok: false, retryAfterSeconds: 10 })
    expect(await take('10.0.0.2')).toBe(true)

    now += 9_000
    expect(await take('10.0.0.1')).toBe(false)
    now += 1_000
    expect(await take('10.0.0.1')).toBe(true)
    expect(await take('10.0.0.1')).toBe(false)

    now += 60 * 60_000
    const burst = [await take('10.0.0.1'), await take('10.0.0.1'), await take('10.0.0.1'), await take('10.0.0.1')]
    expect(burst).toEqual([true, true, true, false])
  })

  it('counts together across limiters on one database, as separate processes do', async () => {
    const limit = { capacity: 4, perMinute: 1 }
    const one = new RateLimiter(database, limit, clock)
    const two = new RateLimiter(database, limit, clock)
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? one : two).take('198.51.100.9')),
    )
    expect(answers.filter((answer) => answer.ok)).toHaveLength(4)
    // A restart (a new limiter) remembers the spent attempts.
    expect((await new RateLimiter(database, limit, clock).take('198.51.100.9')).ok).toBe(false)
  })
})
