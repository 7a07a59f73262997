import { describe, expect, it } from 'vitest'
import { RateLimiter } from '../src/index.js'

describe('the sign-in rate limiter', () => {
  it('allows a burst, then one attempt per refill interval, per key', () => {
    let now = Date.parse('2026-12-01T00:00:00Z')
    const limiter = new RateLimiter({ capacity: 3, perMinute: 6 }, () => new Date(now))
    expect([1, 2, 3].map(() => limiter.take('10.0.0.1').ok)).toEqual([true, true, true])

    const refused = limiter.take('10.0.0.1')
    expect(refused).toEqual({ ok: false, retryAfterSeconds: 10 })
    expect(limiter.take('10.0.0.2').ok).toBe(true)

    now += 9_000
    expect(limiter.take('10.0.0.1').ok).toBe(false)
    now += 1_000
    expect(limiter.take('10.0.0.1').ok).toBe(true)
    expect(limiter.take('10.0.0.1').ok).toBe(false)

    now += 60 * 60_000
    expect([1, 2, 3, 4].map(() => limiter.take('10.0.0.1').ok)).toEqual([true, true, true, false])
  })
})
