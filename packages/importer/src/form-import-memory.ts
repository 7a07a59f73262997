import { sql } from 'kysely'
import type { Actor, PublishedForm } from '@tessera/core'
import type { Executor } from '@tessera/store'
import type { FormImportSpec } from './form-import-spec.js'

/** Remembers the column mapping last used to import into a form, for next time. */
export async function rememberFormImport(
  db: Executor,
  form: PublishedForm,
  spec: FormImportSpec,
  actor: Actor,
): Promise<void> {
  await sql`
    insert into tessera.form_import_mapping (app_key, form_key, mapping, updated_by)
    values (${form.app}, ${form.key}, ${JSON.stringify(spec)}, ${actor.id})
    on conflict (app_key, form_key) do update set mapping = excluded.mapping,
      updated_by = excluded.updated_by, updated_at = now()`.execute(db)
}

/** The column mapping last used for a form, if any. */
export async function recallFormImport(
  db: Executor,
  form: PublishedForm,
): Promise<FormImportSpec | undefined> {
  const { rows } = await sql<{ mapping: FormImportSpec }>`
    select mapping from tessera.form_import_mapping
    where app_key = ${form.app} and form_key = ${form.key}`.execute(db)
  return rows[0]?.mapping
}
