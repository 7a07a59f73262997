import type { Clock } from './auth-context.js'

export interface RateLimit {
  /** Attempts allowed in a burst. */
  capacity: number
  /** Attempts regained per minute. */
  perMinute: number
}

export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number }

const MAX_KEYS = 10_000

/**
 * A token bucket per key (an IP address), kept in this process's memory:
 * several server processes each count on their own, and a restart forgets.
 */
export class RateLimiter {
  readonly #limit: RateLimit
  readonly #now: Clock
  readonly #buckets = new Map<string, { tokens: number; at: number }>()

  constructor(limit: RateLimit, now: Clock) {
    this.#limit = limit
    this.#now = now
  }

  /** Spends one attempt for `key`, or says how long to wait for the next. */
  take(key: string): RateDecision {
    const now = this.#now().getTime()
    const perMs = this.#limit.perMinute / 60_000
    const bucket = this.#buckets.get(key) ?? { tokens: this.#limit.capacity, at: now }
    const tokens = Math.min(this.#limit.capacity, bucket.tokens + (now - bucket.at) * perMs)

    if (tokens < 1) {
      this.#buckets.set(key, { tokens, at: now })
      return { ok: false, retryAfterSeconds: Math.ceil((1 - tokens) / perMs / 1000) }
    }
    this.#buckets.set(key, { tokens: tokens - 1, at: now })
    if (this.#buckets.size > MAX_KEYS) this.#forgetFull(now, perMs)
    return { ok: true }
  }

  // Buckets that have refilled completely carry no information; dropping
  // them keeps memory bounded under a spray of addresses.
  #forgetFull(now: number, perMs: number) {
    for (const [key, bucket] of this.#buckets) {
      if (bucket.tokens + (now - bucket.at) * perMs >= this.#limit.capacity) {
        this.#buckets.delete(key)
      }
    }
  }
}
