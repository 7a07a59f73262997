import { sql } from 'kysely'
import type { Database } from '@tessera/store'
import type { Clock } from './auth-context.js'

export interface RateLimit {
  /** Attempts allowed in a burst. */
  capacity: number
  /** Attempts regained per minute. */
  perMinute: number
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number }

/** Every this many attempts, buckets that have refilled completely are dropped. */
const SWEEP_EVERY = 500

/**
 * A token bucket per key (a client address), kept in `tessera.rate_bucket`
 * so that every server process on the database counts together and a
 * restart forgets nothing. One statement refills, spends and answers, so
 * two processes taking from one bucket at once cannot both spend its last
 * attempt.
 *
 * @example
 * const limiter = new RateLimiter(database, { capacity: 10, perMinute: 10 }, () => new Date())
 * await limiter.take('203.0.113.7') // { ok: true } … then { ok: false, retryAfterSeconds: 6 }
 */
export class RateLimiter {
  readonly #database: Database
  readonly #limit: RateLimit
  readonly #now: Clock
  #taken = 0

  constructor(database: Database, limit: RateLimit, now: Clock) {
    this.#database = database
    this.#limit = limit
    this.#now = now
  }

  /** Spends one attempt for `key`, or says how long to wait for the next. */
  async take(key: string): Promise<RateDecision> {
    const now = this.#now()
    const capacity = this.#limit.capacity
    const perSecond = this.#limit.perMinute / 60
    const refilled = sql<number>`least(${capacity}::float8,
      b.tokens + greatest(extract(epoch from (${now}::timestamptz - b.at)), 0) * ${perSecond}::float8)`

    const { rows } = await sql<{ tokens: number; refused: boolean }>`
      insert into tessera.rate_bucket as b (key, tokens, at, refused)
      values (${key}, ${capacity - 1}::float8, ${now}, false)
      on conflict (key) do update set
        tokens = case when ${refilled} >= 1 then ${refilled} - 1 else ${refilled} end,
        refused = ${refilled} < 1,
        at = ${now}
      returning tokens, refused`.execute(this.#database.db)

    if (++this.#taken % SWEEP_EVERY === 0) await this.#sweep(now)
    const { tokens, refused } = rows[0]
    if (!refused) return { ok: true }
    return { ok: false, retryAfterSeconds: Math.ceil((1 - tokens) / perSecond) }
  }

  // Buckets that have refilled completely carry no information; dropping
  // them keeps the table small under a spray of addresses.
  async #sweep(now: Date) {
    const full = new Date(now.getTime() - (this.#limit.capacity / this.#limit.perMinute) * 60_000)
    await sql`delete from tessera.rate_bucket where at < ${full}`.execute(this.#database.db)
  }
}
