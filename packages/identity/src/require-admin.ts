import { TesseraError, type Actor } from '@tessera/core'

/** Identity administration is for admins only; `what` names the attempt. */
export function requireAdmin(actor: Actor, what: string): void {
  if (actor.admin && actor.scopes === undefined) return
  throw new TesseraError('auth.forbidden', `only an administrator may ${what}; ${actor.id} is not one`, {
    details: { actor: actor.id, action: what },
  })
}
