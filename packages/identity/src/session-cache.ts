import type { Clock } from './auth-context.js'
import type { UserView } from './user-view.js'

/** How long a resolved session is trusted before the database is asked again. */
export const SESSION_CACHE_TTL_MS = 3_000

/** A resolved session as the cache keeps it: enough to answer without the database. */
export interface CachedSession {
  id: string
  csrfToken: string
  user: UserView
  expiresAt: Date
}

/**
 * Sessions resolved in the last few seconds, by session id, so that a
 * burst of requests does not read the session and its user every time.
 *
 * Whatever changes who a session acts as, in this process, forgets the
 * entries it touches at once: a logout, a password change or reset, a
 * change of a user's roles, flags or department, a department moved or
 * renamed. Each such change also moves the epoch on, so a lookup that read
 * the database before the change finished cannot put its stale answer back
 * (see `store`). Another process sharing the database is not heard: its
 * changes reach this process when the entry ages out, within the TTL.
 */
export class SessionCache {
  readonly #entries = new Map<string, { session: CachedSession; at: number }>()
  readonly #now: Clock
  readonly #ttlMs: number
  #epoch = 0

  constructor(now: Clock, ttlMs = SESSION_CACHE_TTL_MS) {
    this.#now = now
    this.#ttlMs = ttlMs
  }

  /** Moves on with every change; a lookup notes it before reading the database. */
  get epoch(): number {
    return this.#epoch
  }

  /** The entry of a session id while it is fresh and the session has not expired. */
  get(id: string): CachedSession | undefined {
    const entry = this.#entries.get(id)
    if (!entry) return undefined
    const now = this.#now().getTime()
    const fresh = now - entry.at < this.#ttlMs && now >= entry.at
    if (fresh && entry.session.expiresAt.getTime() > now) return entry.session
    this.#entries.delete(id)
    return undefined
  }

  /** Keeps a session read at `epoch`, unless something changed since. */
  store(session: CachedSession, epoch: number): void {
    if (epoch !== this.#epoch || this.#ttlMs <= 0) return
    this.#entries.set(session.id, { session, at: this.#now().getTime() })
    // Bounded by the sessions used within one TTL; stale ones go here.
    if (this.#entries.size > 10_000) this.#prune()
  }

  forgetSession(id: string): void {
    this.#epoch += 1
    this.#entries.delete(id)
  }

  forgetUser(userId: number): void {
    this.#epoch += 1
    for (const [id, entry] of this.#entries) {
      if (entry.session.user.id === userId) this.#entries.delete(id)
    }
  }

  clear(): void {
    this.#epoch += 1
    this.#entries.clear()
  }

  #prune(): void {
    for (const id of [...this.#entries.keys()]) this.get(id)
  }
}
