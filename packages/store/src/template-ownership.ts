import { sql } from 'kysely'
import type { FormDefinition } from '@tessera/core'
import type { Executor } from './database.js'
import { sameDesign } from './form-designs.js'

/**
 * What in an installed app someone other than `installer` has changed
 * since: a form whose latest version another actor published, or whose
 * draft holds changes not yet published; a report, dashboard, import
 * mapping or role document another actor saved last. Each maps its key
 * ("form:customer", "dashboard:receivables") to who changed it.
 *
 * Installing a template again (every `tessera start` does) leaves these as
 * they are: the people running the app changed them in the builders, and
 * an upgrade must not take their work back.
 */
export async function changedSinceInstall(db: Executor, appKey: string, installer: string): Promise<Map<string, string>> {
  const changed = new Map<string, string>()
  const { rows: forms } = await sql<{ key: string; draft: FormDefinition; definition: FormDefinition | null; published_by: string | null }>`
    select f.key, f.draft, v.definition, v.published_by
    from tessera.form f
    left join tessera.form_version v
      on v.app_key = f.app_key and v.form_key = f.key and v.version = f.published_version
    where f.app_key = ${appKey}`.execute(db)
  for (const form of forms) {
    if (form.published_by !== null && form.published_by !== installer) {
      changed.set(`form:${form.key}`, form.published_by)
    } else if (form.definition && !sameDesign(form.draft, form.definition)) {
      changed.set(`form:${form.key}`, 'draft')
    }
  }
  const { rows: items } = await sql<{ kind: string; key: string; updated_by: string }>`
    select kind, key, updated_by from tessera.meta_item
    where app_key = ${appKey} and updated_by <> ${installer}`.execute(db)
  for (const item of items) changed.set(`${item.kind}:${item.key}`, item.updated_by)
  return changed
}
