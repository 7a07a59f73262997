import type { PublishedForm } from '@tessera/core'

const unions = new WeakMap<PublishedForm, readonly string[]>()

/** Marks the form a union's columns make (see plan-union.ts), with the forms its rows come from. */
export function markUnionForm(form: PublishedForm, forms: readonly string[]): void {
  unions.set(form, forms)
}

/** Whether a form is a union's columns rather than a published form: it has no system fields. */
export function isUnionForm(form: PublishedForm): boolean {
  return unions.has(form)
}

/**
 * The forms a union's rows come from, each once, in the order the union
 * lists them; undefined for a published form. Each union row keeps its
 * record's `id` and its form's key (`__form`), so a drill can list the
 * records of one of them.
 */
export function unionForms(form: PublishedForm): readonly string[] | undefined {
  return unions.get(form)
}
