import { sql } from 'kysely'
import type { FieldDefinition, PublishedForm } from '@tessera/core'
import type { AuditRow } from './audit/audit-log.js'
import type { Executor } from './database.js'

/**
 * Gives a record's history the form's fields as they are now. An audit
 * row keeps the field keys of its day; a field renamed since (same column,
 * new key) is shown under its new key, so its label, its formatting and
 * the reader's field rules are today's. A field removed since is kept, with
 * its last definition in `removedFields`, only for a reader whom no field
 * rule limits (`seesEveryField`): the rules of today's roles cannot say
 * who may see a field that no longer exists.
 */
export async function historyInTodaysFields(
  db: Executor,
  form: PublishedForm,
  rows: AuditRow[],
  seesEveryField: boolean,
): Promise<AuditRow[]> {
  const current = new Set(form.definition.fields.map((field) => field.key))
  // A field is the same field under a new key when it keeps its column (line items: their table).
  const storage = (field: FieldDefinition | undefined) => field?.type === 'lines' ? field.table : field?.column
  const keyOfStorage = new Map(form.definition.fields.flatMap((field) => {
    const place = storage(field)
    return place ? [[place, field.key] as const] : []
  }))
  const past = await pastFields(db, form)
  const rename = (key: string) => {
    if (current.has(key)) return key
    const place = storage(past.get(key))
    return place === undefined ? undefined : keyOfStorage.get(place)
  }

  return rows.map((row) => {
    const removed = new Map<string, FieldDefinition>()
    const side = (values: unknown) => {
      if (values === null || typeof values !== 'object' || Array.isArray(values)) return values
      const result: Record<string, unknown> = {}
      for (const [key, value] of Object.entries(values)) {
        const now = rename(key)
        if (now !== undefined) result[now] = value
        else if (!past.has(key)) result[key] = value
        else if (seesEveryField) {
          result[key] = value
          removed.set(key, past.get(key)!)
        }
      }
      return result
    }
    const before = side(row.before)
    const after = side(row.after)
    return { ...row, before, after, ...(removed.size > 0 ? { removedFields: [...removed.values()] } : {}) }
  })
}

/** Every field key the form's published versions had, with its last definition there. */
async function pastFields(db: Executor, form: PublishedForm): Promise<Map<string, FieldDefinition>> {
  const { rows } = await sql<{ definition: { fields?: FieldDefinition[] } }>`
    select definition from tessera.form_version
    where app_key = ${form.app} and form_key = ${form.key} order by version`.execute(db)
  const fields = new Map<string, FieldDefinition>()
  for (const { definition } of rows) for (const field of definition.fields ?? []) fields.set(field.key, field)
  return fields
}
