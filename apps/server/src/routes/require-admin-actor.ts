import { TesseraError, type Actor } from '@tessera/core'

/** For admin routes that read without going through an identity call that checks. */
export function requireAdminActor(actor: Actor, what: string): void {
  if (actor.admin && actor.scopes === undefined) return
  throw new TesseraError('auth.forbidden', `only an administrator may ${what}`, {
    details: { actor: actor.id },
  })
}
