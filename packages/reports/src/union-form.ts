import type { PublishedForm } from '@tessera/core'

const unions = new WeakSet<PublishedForm>()

/** Marks the form a union's columns make (see plan-union.ts). */
export function markUnionForm(form: PublishedForm): void {
  unions.add(form)
}

/** Whether a form is a union's columns rather than a published form: it has no ids, no system fields. */
export function isUnionForm(form: PublishedForm): boolean {
  return unions.has(form)
}
