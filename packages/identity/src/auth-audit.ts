import { sql } from 'kysely'
import type { Executor } from '@tessera/store'
import type { AuthContext } from './auth-context.js'

/**
 * Identity events written to tessera.audit. `actor` is the acting user's id
 * (or "anonymous" for a failed login of an unknown name).
 */
export type AuthAuditAction =
  | 'auth.setup'
  | 'auth.login'
  | 'auth.login_failed'
  | 'auth.locked'
  | 'auth.logout'
  | 'auth.password_changed'
  | 'auth.password_reset'
  | 'user.created'
  | 'user.updated'
  | 'user.roles_changed'
  | 'department.created'
  | 'department.updated'
  | 'token.created'
  | 'token.revoked'
  | 'secret.set'
  | 'secret.deleted'

export interface AuthAuditEntry {
  actor: string
  action: AuthAuditAction
  context: AuthContext
  at: Date
  /** Anything the event adds: the target user, the changed fields, a token's name. */
  details?: Record<string, unknown>
  before?: unknown
  after?: unknown
}

export async function writeAuthAudit(db: Executor, entry: AuthAuditEntry): Promise<void> {
  const { ip, userAgent } = entry.context
  const context = { ip: ip ?? null, userAgent: userAgent ?? null, ...entry.details }
  await sql`
    insert into tessera.audit (at, actor, action, before, after, context)
    values (${entry.at}, ${entry.actor}, ${entry.action},
            ${entry.before === undefined ? null : JSON.stringify(entry.before)},
            ${entry.after === undefined ? null : JSON.stringify(entry.after)},
            ${JSON.stringify(context)})`.execute(db)
}
