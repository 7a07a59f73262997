import { sql } from 'kysely'
import { TesseraError, type Actor } from '@tessera/core'
import type { Database } from '@tessera/store'
import { ApiTokens } from './api-tokens.js'
import { writeAuthAudit } from './auth-audit.js'
import { systemClock, type AuthContext, type Clock } from './auth-context.js'
import { Departments } from './departments.js'
import { hashPassword, verifyPassword } from './password-hash.js'
import { RateLimiter, type RateLimit } from './rate-limiter.js'
import { Secrets } from './secrets.js'
import { SessionCache, SESSION_CACHE_TTL_MS } from './session-cache.js'
import { DEFAULT_SESSION_POLICY, Sessions, type NewSession, type SessionPolicy } from './sessions.js'
import { checkNewUser } from './user-input.js'
import { actorOfUser, type UserView } from './user-view.js'
import { Users } from './users.js'

export interface LockoutPolicy {
  /** Wrong passwords in a row that lock an account. */
  failures: number
  /** How long the lock lasts. */
  minutes: number
}

export interface IdentityOptions {
  now?: Clock
  sessions?: SessionPolicy
  lockout?: LockoutPolicy
  /** Sign-in and setup attempts per client address. */
  rateLimit?: RateLimit
  /** The key for secrets at rest; defaults to TESSERA_SECRET_KEY. */
  secretKey?: string
  /**
   * How long a resolved session is reused without reading the database
   * (see SessionCache); 0 turns the cache off. Default 3,000 ms.
   */
  sessionCacheMs?: number
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { failures: 5, minutes: 15 }
export const DEFAULT_RATE_LIMIT: RateLimit = { capacity: 10, perMinute: 10 }

/** A successful sign-in: who, and the session to put in the cookie. */
export interface SignIn {
  user: UserView
  actor: Actor
  session: NewSession
}

const INVALID = 'the username or password is not right'

/**
 * Identity: who the actor is. Accounts, departments, sign-in with lockout
 * and rate limiting, sessions, API tokens and secrets, over the `tessera`
 * tables of migration 0002-identity. Adapters (the HTTP server, the CLI)
 * call this and never the tables.
 */
export class Identity {
  readonly users: Users
  readonly departments: Departments
  readonly sessions: Sessions
  readonly tokens: ApiTokens
  readonly secrets: Secrets
  readonly #database: Database
  readonly #now: Clock
  readonly #lockout: LockoutPolicy
  readonly #limiter: RateLimiter

  constructor(database: Database, options: IdentityOptions = {}) {
    const now = options.now ?? systemClock
    this.#database = database
    this.#now = now
    this.#lockout = options.lockout ?? DEFAULT_LOCKOUT
    this.#limiter = new RateLimiter(database, options.rateLimit ?? DEFAULT_RATE_LIMIT, now)
    const cache = new SessionCache(now, options.sessionCacheMs ?? SESSION_CACHE_TTL_MS)
    this.users = new Users(database, now, (userId) => cache.forgetUser(userId))
    this.departments = new Departments(database, now, () => cache.clear())
    const policy = options.sessions ?? DEFAULT_SESSION_POLICY
    this.sessions = new Sessions(database, this.users, now, policy, cache)
    this.tokens = new ApiTokens(database, this.users, now)
    this.secrets = new Secrets(database, now, options.secretKey ?? process.env.TESSERA_SECRET_KEY)
  }

  /** True until the first account exists: then the first-run setup is closed for good. */
  async setupNeeded(): Promise<boolean> {
    return (await this.users.count()) === 0
  }

  /** First run: creates the administrator and signs them in. There is no default password. */
  async setup(
    input: { username: string; displayName?: string; password: string },
    context: AuthContext = {},
  ): Promise<SignIn> {
    await this.#limit(context)
    if (!(await this.setupNeeded())) throw setupClosed()
    const clean = checkNewUser(input, context.locale ?? 'zh-CN')
    const hash = await hashPassword(clean.password)

    const user = await this.#database.transaction(async (trx) => {
      // Two first-run requests at once must not both create an administrator.
      await sql`lock table tessera.account in share row exclusive mode`.execute(trx)
      if ((await this.users.count(trx)) > 0) throw setupClosed()
      const created = await this.users.insert(trx, undefined, { ...clean, admin: true }, hash, context)
      await writeAuthAudit(trx, {
        actor: String(created.id), action: 'auth.setup', context, at: this.#now(),
        details: { user: created.id, username: created.username },
      })
      return created
    })
    return this.#signIn(user, context)
  }

  /**
   * Checks a username and password. The same answer (auth.invalid) comes
   * for an unknown name, a wrong password and a disabled account; enough
   * wrong passwords in a row lock the account for a while (auth.locked).
   */
  async login(username: string, password: string, context: AuthContext = {}): Promise<SignIn> {
    await this.#limit(context)
    const row = await this.users.findRow({ username: String(username ?? '') })
    const now = this.#now()
    if (row?.locked_until && row.locked_until > now) {
      await this.#audit('auth.login_failed', String(row.id), context, { username: row.username, reason: 'locked' })
      throw locked(row.username, row.locked_until, now)
    }

    const matches = await verifyPassword(String(password ?? ''), row?.password_hash ?? null)
    if (!row || !matches || row.disabled) {
      const reason = !row ? 'unknown user' : row.disabled ? 'disabled' : 'wrong password'
      await this.#audit('auth.login_failed', row ? String(row.id) : 'anonymous', context, {
        username: row?.username ?? String(username ?? '').slice(0, 100), reason,
      })
      if (row && !matches) await this.#countFailure(row.id, row.username, context)
      throw new TesseraError('auth.invalid', INVALID, { messages: { 'zh-CN': '用户名或密码不对', en: INVALID } })
    }

    await sql`
      update tessera.account set failed_logins = 0, locked_until = null where id = ${row.id}`
      .execute(this.#database.db)
    const user = await this.users.get(row.id)
    await this.#audit('auth.login', String(user.id), context, { username: user.username })
    return this.#signIn(user, context)
  }

  async logout(sessionId: string, actor: Actor, context: AuthContext = {}): Promise<void> {
    await this.sessions.revoke(sessionId)
    await this.#audit('auth.logout', actor.id, context, {})
  }

  /** The actor behind a session cookie's token, or undefined. */
  async actorOfSession(token: string) {
    const session = await this.sessions.resolve(token)
    return session && { session, actor: actorOfUser(session.user) }
  }

  /** The actor behind an API token, narrowed to the token's scopes; or undefined. */
  async actorOfToken(secret: string): Promise<Actor | undefined> {
    const found = await this.tokens.resolve(secret)
    return found && { ...actorOfUser(found.user), scopes: found.token.scopes }
  }

  async #signIn(user: UserView, context: AuthContext): Promise<SignIn> {
    const session = await this.sessions.create(user.id, context)
    return { user, actor: actorOfUser(user), session }
  }

  async #countFailure(id: number, username: string, context: AuthContext) {
    const { rows } = await sql<{ failed_logins: number }>`
      update tessera.account set failed_logins = failed_logins + 1
      where id = ${id} returning failed_logins`.execute(this.#database.db)
    if (rows[0].failed_logins < this.#lockout.failures) return

    const until = new Date(this.#now().getTime() + this.#lockout.minutes * 60_000)
    await sql`
      update tessera.account set failed_logins = 0, locked_until = ${until} where id = ${id}`
      .execute(this.#database.db)
    await this.#audit('auth.locked', String(id), context, { username, until: until.toISOString() })
  }

  async #limit(context: AuthContext) {
    const decision = await this.#limiter.take(context.ip ?? 'unknown')
    if (decision.ok) return
    const english = `too many sign-in attempts from ${context.ip ?? 'this client'}; try again in ${decision.retryAfterSeconds} s`
    throw new TesseraError('auth.rate_limited', english, {
      details: { retryAfterSeconds: decision.retryAfterSeconds },
      messages: { 'zh-CN': `登录尝试太频繁，请 ${decision.retryAfterSeconds} 秒后再试`, en: english },
    })
  }

  #audit(
    action: 'auth.login' | 'auth.login_failed' | 'auth.locked' | 'auth.logout',
    actor: string,
    context: AuthContext,
    details: Record<string, unknown>,
  ) {
    return writeAuthAudit(this.#database.db, { actor, action, context, at: this.#now(), details })
  }
}

function setupClosed(): TesseraError {
  const english = 'the administrator account already exists; sign in instead'
  return new TesseraError('auth.setup_closed', english, {
    messages: { 'zh-CN': '管理员账户已经建好，请直接登录', en: english },
  })
}

function locked(username: string, until: Date, now: Date): TesseraError {
  const retryAfterSeconds = Math.ceil((until.getTime() - now.getTime()) / 1000)
  const english = `account "${username}" is locked after repeated wrong passwords until ${until.toISOString()}`
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60))
  return new TesseraError('auth.locked', english, {
    details: { until: until.toISOString(), retryAfterSeconds },
    messages: { 'zh-CN': `账户「${username}」因多次输错密码已锁定，约 ${minutes} 分钟后可再试`, en: english },
  })
}
