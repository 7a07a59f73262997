import type { Actor } from './record.js'
import { TesseraError } from './errors.js'

/**
 * Only platform administrators, signed in themselves (not through an API
 * token), pass; `what` names the attempt for the English message and the
 * details. The Chinese message does not repeat it: the reader knows what
 * they tried.
 */
export function requireAdmin(actor: Actor, what: string): void {
  if (actor.admin && actor.scopes === undefined) return
  const english = actor.scopes === undefined
    ? `only an administrator may ${what}`
    : `only an administrator, signed in (not through an API token), may ${what}`
  throw new TesseraError('auth.forbidden', english, {
    details: { actor: actor.id, action: what },
    messages: {
      'zh-CN': actor.scopes === undefined
        ? '只有平台管理员可以执行此操作'
        : '只有平台管理员本人登录后可以执行此操作，API 令牌不行',
      en: english,
    },
  })
}
