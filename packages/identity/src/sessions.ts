import { sql } from 'kysely'
import type { Database } from '@tessera/store'
import type { AuthContext, Clock } from './auth-context.js'
import { hashSecret, newSecret } from './secret-token.js'
import { SessionCache } from './session-cache.js'
import type { Users } from './users.js'
import type { UserView } from './user-view.js'

export interface SessionPolicy {
  /** A session unused for this long ends. */
  idleMinutes: number
  /** No session lives longer than this, used or not. */
  maxHours: number
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMinutes: 8 * 60, maxHours: 7 * 24 }

/** A new session: `token` goes into the cookie and is never stored. */
export interface NewSession {
  id: string
  token: string
  csrfToken: string
  expiresAt: Date
}

export interface ResolvedSession {
  id: string
  csrfToken: string
  user: UserView
}

// Touching a session on every request would turn each read into a write.
const TOUCH_EVERY_MS = 60_000

/**
 * Browser sessions. The cookie holds a random token; the table holds its
 * SHA-256 (the session id), so a stolen table row cannot be replayed.
 */
export class Sessions {
  readonly #database: Database
  readonly #users: Users
  readonly #now: Clock
  readonly #policy: SessionPolicy
  readonly #cache: SessionCache

  constructor(
    database: Database,
    users: Users,
    now: Clock,
    policy: SessionPolicy,
    cache = new SessionCache(now, 0),
  ) {
    this.#database = database
    this.#users = users
    this.#now = now
    this.#policy = policy
    this.#cache = cache
  }

  async create(userId: number, context: AuthContext): Promise<NewSession> {
    const token = newSecret()
    const id = hashSecret(token)
    const csrfToken = newSecret()
    const now = this.#now()
    const expiresAt = this.#expiry(now, now)
    await sql`
      insert into tessera.session
        (id, user_id, csrf_token, created_at, expires_at, last_seen_at, ip, user_agent)
      values (${id}, ${userId}, ${csrfToken}, ${now}, ${expiresAt}, ${now},
              ${context.ip ?? null}, ${context.userAgent?.slice(0, 500) ?? null})`
      .execute(this.#database.db)
    return { id, token, csrfToken, expiresAt }
  }

  /**
   * The live session a cookie token names, or undefined (expired ones are
   * removed). Answers from the session cache while its entry is fresh.
   */
  async resolve(token: string): Promise<ResolvedSession | undefined> {
    const id = hashSecret(token)
    const cached = this.#cache.get(id)
    if (cached) return { id, csrfToken: cached.csrfToken, user: cached.user }

    const epoch = this.#cache.epoch
    const { rows } = await sql<{
      user_id: number
      csrf_token: string
      created_at: Date
      expires_at: Date
      last_seen_at: Date
    }>`
      select user_id, csrf_token, created_at, expires_at, last_seen_at
      from tessera.session where id = ${id}`.execute(this.#database.db)
    const row = rows[0]
    if (!row) return undefined

    const now = this.#now()
    if (row.expires_at <= now) {
      await this.revoke(id)
      return undefined
    }
    const user = await this.#users.find(row.user_id)
    if (!user || user.disabled) return undefined

    if (now.getTime() - row.last_seen_at.getTime() > TOUCH_EVERY_MS) {
      await sql`
        update tessera.session
        set last_seen_at = ${now}, expires_at = ${this.#expiry(row.created_at, now)}
        where id = ${id}`.execute(this.#database.db)
    }
    const expiresAt = now.getTime() - row.last_seen_at.getTime() > TOUCH_EVERY_MS
      ? this.#expiry(row.created_at, now)
      : row.expires_at
    this.#cache.store({ id, csrfToken: row.csrf_token, user, expiresAt }, epoch)
    return { id, csrfToken: row.csrf_token, user }
  }

  async revoke(id: string): Promise<void> {
    try {
      await sql`delete from tessera.session where id = ${id}`.execute(this.#database.db)
    } finally {
      this.#cache.forgetSession(id)
    }
  }

  /** Drops every expired session; safe to call at any time. */
  async sweep(): Promise<number> {
    const result = await sql`delete from tessera.session where expires_at <= ${this.#now()}`
      .execute(this.#database.db)
    return Number(result.numAffectedRows ?? 0)
  }

  #expiry(createdAt: Date, now: Date): Date {
    const idle = now.getTime() + this.#policy.idleMinutes * 60_000
    const hardStop = createdAt.getTime() + this.#policy.maxHours * 3_600_000
    return new Date(Math.min(idle, hardStop))
  }
}
