import { TesseraError, type Actor } from '@tessera/core'

/** Identity administration is for admins only; `what` names the attempt. */
export function requireAdmin(actor: Actor, what: string): void {
  if (actor.admin && actor.scopes === undefined) return
  const english = `only an administrator may ${what}; ${actor.id} is not one`
  throw new TesseraError('auth.forbidden', english, {
    details: { actor: actor.id, action: what },
    messages: { 'zh-CN': `只有平台管理员可以执行此操作（${what}）`, en: english },
  })
}
