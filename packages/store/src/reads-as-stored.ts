import type { Actor, PublishedForm } from '@tessera/core'
import type { Catalog } from './catalog.js'
import type { Executor } from './database.js'
import type { RecordQuery } from './record-query.js'

/**
 * True when `scoped` reads a record of `form` for `actor` exactly as the
 * unscoped `raw` query does: the bare table for the form and for every
 * form it links to (whose titles and lookups the read joins in), so no row
 * scope, hidden field or other reader-specific rule applies
 * (`RecordQuery.readsBare`). A write then reads its record back once, for
 * the audit trail and for the caller.
 */
export async function readsAsStored(
  db: Executor,
  catalog: Catalog,
  scoped: RecordQuery,
  raw: RecordQuery,
  actor: Actor,
  form: PublishedForm,
): Promise<boolean> {
  if (scoped === raw) return true
  if (!scoped.readsBare(actor, form)) return false
  for (const field of form.definition.fields) {
    if (field.type !== 'link') continue
    if (!scoped.readsBare(actor, await catalog.getForm(form.app, field.form, db))) return false
  }
  return true
}
