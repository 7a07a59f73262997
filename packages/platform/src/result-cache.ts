import { sql } from 'kysely'
import type { Executor } from '@tessera/store'

/**
 * Report results kept for repeated views of the same figures. An entry is
 * keyed by everything the answer depends on, including the database
 * snapshot the report would read (`pg_current_snapshot()`): two requests
 * that see the same snapshot see exactly the same committed data, so a
 * hit is never stale, and any commit anywhere (a record saved, an import,
 * a role changed, a form published) gives later requests a new key. The
 * cost of a lookup is that one small query. Entries leave in least
 * recently used order and after `ttlMs`; large results are not kept.
 *
 * @example
 * const cache = new ResultCache({ entries: 500, maxRows: 2000, ttlMs: 600_000 })
 * const result = await cache.run(db, JSON.stringify([actor, report, params]), () => runReport(…))
 */
export class ResultCache {
  readonly #entries = new Map<string, { at: number; value: { rows: unknown[] } }>()
  readonly #limits: ResultCacheLimits

  constructor(limits: ResultCacheLimits) {
    this.#limits = limits
  }

  get size(): number {
    return this.#entries.size
  }

  async run<T extends { rows: unknown[] }>(db: Executor, key: string, compute: () => Promise<T>): Promise<T> {
    if (this.#limits.entries === 0) return compute()
    const { rows } = await sql<{ snapshot: string }>`select pg_current_snapshot()::text as snapshot`.execute(db)
    const full = `${rows[0].snapshot}\u0000${key}`

    const now = Date.now()
    const hit = this.#entries.get(full)
    if (hit && now - hit.at <= this.#limits.ttlMs) {
      // Re-inserted: the map's order is the recency order.
      this.#entries.delete(full)
      this.#entries.set(full, hit)
      return structuredClone(hit.value) as T
    }

    const value = await compute()
    if (value.rows.length <= this.#limits.maxRows) {
      this.#entries.delete(full)
      this.#entries.set(full, { at: now, value: structuredClone(value) })
      while (this.#entries.size > this.#limits.entries) {
        this.#entries.delete(this.#entries.keys().next().value!)
      }
    }
    return value
  }

  clear(): void {
    this.#entries.clear()
  }
}

export interface ResultCacheLimits {
  /** How many results to keep; 0 turns the cache off. */
  entries: number
  /** Results with more rows are computed every time. */
  maxRows: number
  ttlMs: number
}

/** 500 results of up to 2,000 rows for 10 minutes; TESSERA_REPORT_CACHE=0 turns it off. */
export function defaultCacheLimits(env: NodeJS.ProcessEnv = process.env): ResultCacheLimits {
  const entries = env.TESSERA_REPORT_CACHE === undefined ? 500 : Number(env.TESSERA_REPORT_CACHE)
  return { entries: Number.isInteger(entries) && entries >= 0 ? entries : 500, maxRows: 2000, ttlMs: 600_000 }
}
