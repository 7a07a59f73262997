import type { Actor, PublishedForm } from '@tessera/core'
import type { Catalog } from './catalog.js'
import type { Executor } from './database.js'
import type { RecordQuery } from './record-query.js'

/**
 * True when `scoped` reads a record of `form` for `actor` exactly as the
 * unscoped `raw` query does: the same FROM item for the form and for every
 * form it links to (whose titles and lookups the read joins in), so no row
 * scope, hidden field or other reader-specific rule applies. A write then
 * reads its record back once, for the audit trail and for the caller.
 *
 * It compares the SQL the two queries would send, so whatever makes a
 * reader's view differ in `RecordQuery.source` counts here without being
 * listed twice.
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
  const forms = [form]
  for (const field of form.definition.fields) {
    if (field.type === 'link') forms.push(await catalog.getForm(form.app, field.form, db))
  }
  return forms.every((one) => {
    const seen = scoped.source(actor, one, 't').compile(db)
    const stored = raw.source(actor, one, 't').compile(db)
    return seen.sql === stored.sql && seen.parameters.length === stored.parameters.length
  })
}
