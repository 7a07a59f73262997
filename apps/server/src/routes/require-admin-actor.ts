import { requireAdmin, type Actor } from '@tessera/core'

/** For admin routes that read without going through an identity call that checks. */
export function requireAdminActor(actor: Actor, what: string): void {
  requireAdmin(actor, what)
}
