import { sql } from 'kysely'
import { notFound, TesseraError, type AccessScope, type Actor } from '@tessera/core'
import type { Database } from '@tessera/store'
import { writeAuthAudit } from './auth-audit.js'
import type { AuthContext, Clock } from './auth-context.js'
import { hashSecret, newSecret } from './secret-token.js'
import { checkScopes } from './token-scopes.js'
import type { Users } from './users.js'
import type { UserView } from './user-view.js'

/** Every token starts with this, so a leaked one is easy to recognise in logs and scans. */
export const TOKEN_PREFIX = 'tsr_'

/**
 * A token as its owner sees it later: never the secret, which is shown once
 * at creation.
 */
export interface TokenView {
  id: number
  name: string
  scopes: AccessScope[]
  createdAt: string
  expiresAt: string | null
  lastUsedAt: string | null
  revokedAt: string | null
}

export interface NewToken {
  name: string
  scopes: unknown
  /** ISO date-time; none means until revoked. */
  expiresAt?: string | null
}

interface TokenRow {
  id: number
  user_id: number
  name: string
  scopes: AccessScope[]
  created_at: Date
  expires_at: Date | null
  last_used_at: Date | null
  revoked_at: Date | null
}

function toView(row: TokenRow): TokenView {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  }
}

const TOUCH_EVERY_MS = 60_000

/** API tokens for integrations: a user's own, scoped, revocable, stored as hashes. */
export class ApiTokens {
  readonly #database: Database
  readonly #users: Users
  readonly #now: Clock

  constructor(database: Database, users: Users, now: Clock) {
    this.#database = database
    this.#users = users
    this.#now = now
  }

  /** Creates a token for the actor's own user. The secret is in the answer, and only there. */
  async create(actor: Actor, input: NewToken, context: AuthContext = {}) {
    const userId = ownUserId(actor, 'create API tokens')
    const name = typeof input.name === 'string' ? input.name.trim() : ''
    if (name.length < 1 || name.length > 100) {
      throw new TesseraError('validation.failed', 'a token needs a name of 1 to 100 characters', {
        issues: [{ field: 'name', rule: 'required', message: 'a token needs a name' }],
      })
    }
    const expiresAt = parseExpiry(input.expiresAt, this.#now())
    const scopes = await checkScopes(this.#database.db, input.scopes)
    const secret = newSecret(TOKEN_PREFIX)

    return this.#database.transaction(async (trx) => {
      const { rows } = await sql<TokenRow>`
        insert into tessera.api_token (user_id, name, token_hash, scopes, created_at, expires_at)
        values (${userId}, ${name}, ${hashSecret(secret)}, ${JSON.stringify(scopes)},
                ${this.#now()}, ${expiresAt})
        returning *`.execute(trx)
      const token = toView(rows[0])
      await writeAuthAudit(trx, {
        actor: actor.id, action: 'token.created', context, at: this.#now(),
        details: { token: token.id, name }, after: { name, scopes, expiresAt },
      })
      return { token, secret }
    })
  }

  async list(actor: Actor): Promise<TokenView[]> {
    const userId = ownUserId(actor, 'list API tokens')
    const { rows } = await sql<TokenRow>`
      select * from tessera.api_token where user_id = ${userId} order by id desc`
      .execute(this.#database.db)
    return rows.map(toView)
  }

  /** Revokes one of the actor's tokens (an administrator may revoke anyone's). */
  async revoke(actor: Actor, id: number, context: AuthContext = {}): Promise<TokenView> {
    const userId = ownUserId(actor, 'revoke API tokens')
    return this.#database.transaction(async (trx) => {
      const { rows } = await sql<TokenRow>`
        update tessera.api_token set revoked_at = coalesce(revoked_at, ${this.#now()})
        where id = ${id} and (user_id = ${userId} or ${actor.admin === true})
        returning *`.execute(trx)
      if (!rows[0]) throw notFound('API token', id)
      await writeAuthAudit(trx, {
        actor: actor.id, action: 'token.revoked', context, at: this.#now(),
        details: { token: id, name: rows[0].name },
      })
      return toView(rows[0])
    })
  }

  /** The user and scopes a presented secret stands for, or undefined if it is not live. */
  async resolve(secret: string): Promise<{ user: UserView; token: TokenView } | undefined> {
    if (!secret.startsWith(TOKEN_PREFIX)) return undefined
    const { rows } = await sql<TokenRow>`
      select * from tessera.api_token where token_hash = ${hashSecret(secret)}`
      .execute(this.#database.db)
    const row = rows[0]
    const now = this.#now()
    if (!row || row.revoked_at || (row.expires_at && row.expires_at <= now)) return undefined

    const user = await this.#users.find(row.user_id)
    if (!user || user.disabled) return undefined
    if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > TOUCH_EVERY_MS) {
      await sql`update tessera.api_token set last_used_at = ${now} where id = ${row.id}`
        .execute(this.#database.db)
    }
    return { user, token: toView(row) }
  }
}

// Tokens belong to people who signed in; a token cannot mint or list tokens.
function ownUserId(actor: Actor, what: string): number {
  const id = Number(actor.id)
  if (actor.scopes !== undefined || !Number.isSafeInteger(id) || id < 1) {
    const english = `only a signed-in user may ${what}; ${actor.id} cannot`
    throw new TesseraError('auth.forbidden', english, {
      details: { actor: actor.id },
      messages: { 'zh-CN': `只有登录的用户本人可以执行此操作（${what}），API 令牌不行`, en: english },
    })
  }
  return id
}

function parseExpiry(value: string | null | undefined, now: Date): Date | null {
  if (value === undefined || value === null || value === '') return null
  const at = new Date(value)
  if (Number.isNaN(at.getTime()) || at <= now) {
    throw new TesseraError('validation.failed', `a token's expiresAt must be a future date-time, got ${JSON.stringify(value)}`, {
      issues: [{ field: 'expiresAt', rule: 'future', message: 'must be a future date-time', received: value }],
    })
  }
  return at
}
