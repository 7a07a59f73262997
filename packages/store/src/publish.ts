import { isDeepStrictEqual } from 'node:util'
import { sql } from 'kysely'
import {
  TesseraError,
  type Actor,
  type FieldDefinition,
  type FormDefinition,
  type PublishedForm,
} from '@tessera/core'
import { checkFormDefinition } from '@tessera/forms'
import type { Trx } from './database.js'
import {
  addColumn,
  addForeignKey,
  addUniqueIndex,
  createRecordTable,
  dropUniqueIndex,
  existingColumns,
  sqlType,
} from './ddl.js'
import { loadPublishedForm } from './catalog.js'
import { columnForField } from './naming.js'

interface Plan {
  previous: PublishedForm | undefined
  next: PublishedForm
  /** Fields whose column is new in this version. */
  added: FieldDefinition[]
}

/**
 * Publishes drafts inside the caller's transaction. Tables and columns come
 * first, constraints after, so forms published together may link to each
 * other. A type change that would alter an existing column is refused.
 */
export async function publishForms(
  trx: Trx,
  appKey: string,
  dataSchema: string,
  formKeys: string[],
  actor: Actor,
): Promise<PublishedForm[]> {
  const { rows: drafts } = await sql<{ key: string; draft: FormDefinition; table_name: string | null }>`
    select key, draft, table_name from tessera.form
    where app_key = ${appKey} and key in (${sql.join(formKeys)})
  `.execute(trx)
  for (const key of formKeys) {
    if (!drafts.some((d) => d.key === key)) {
      throw new TesseraError('not_found', `form "${key}" of app "${appKey}" has no draft to publish`)
    }
  }
  const { rows: all } = await sql<{ key: string }>`
    select key from tessera.form where app_key = ${appKey}`.execute(trx)
  const formNames = all.map((r) => r.key)

  const plans: Plan[] = []
  for (const draft of drafts) {
    const definition = checkFormDefinition(draft.draft, { forms: formNames })
    const previous = await loadPublishedForm(trx, appKey, draft.key)
    const plan = await planVersion(trx, appKey, dataSchema, draft.table_name, definition, previous)
    if (plan) plans.push(plan)
  }

  for (const plan of plans) {
    if (!plan.previous) await createRecordTable(trx, plan.next)
    for (const field of plan.added) await addColumn(trx, plan.next, field)
  }

  const byKey = new Map(plans.map((p) => [p.next.key, p.next]))
  const target = async (key: string) => byKey.get(key) ?? (await loadPublishedForm(trx, appKey, key))
  for (const plan of plans) await applyConstraints(trx, plan, target)

  for (const { next } of plans) {
    await sql`
      insert into tessera.form_version (app_key, form_key, version, definition, published_by)
      values (${appKey}, ${next.key}, ${next.version}, ${JSON.stringify(next.definition)},
              ${actor.id})`.execute(trx)
    await sql`
      update tessera.form set published_version = ${next.version}, table_name = ${next.table.name},
        updated_at = now()
      where app_key = ${appKey} and key = ${next.key}`.execute(trx)
  }
  return plans.map((p) => p.next)
}

async function planVersion(
  trx: Trx,
  appKey: string,
  dataSchema: string,
  tableName: string | null,
  draft: FormDefinition,
  previous: PublishedForm | undefined,
): Promise<Plan | undefined> {
  const next: PublishedForm = {
    app: appKey,
    key: draft.key,
    version: (previous?.version ?? 0) + 1,
    definition: structuredClone(draft),
    table: previous?.table ?? { schema: dataSchema, name: tableName ?? draft.key },
  }
  const taken = previous ? await existingColumns(trx, previous) : new Set<string>()
  const before = new Map(previous?.definition.fields.map((f) => [f.key, f]))
  const added: FieldDefinition[] = []

  for (const field of next.definition.fields) {
    const old = field.column
      ? previous?.definition.fields.find((f) => f.column === field.column)
      : before.get(field.key)
    if (old?.column && taken.has(old.column)) {
      field.column = old.column
      assertSameType(draft.key, old, field)
      continue
    }
    field.column = columnForField(field, taken)
    taken.add(field.column)
    added.push(field)
  }

  if (previous && added.length === 0 && isDeepStrictEqual(previous.definition, next.definition)) {
    return undefined
  }
  return { previous, next, added }
}

function assertSameType(formKey: string, old: FieldDefinition, next: FieldDefinition) {
  const from = sqlType(old)
  const to = sqlType(next)
  const relinked = old.type === 'link' && next.type === 'link' && old.form !== next.form
  if (from === to && !relinked) return
  throw new TesseraError(
    'metadata.invalid',
    `field "${next.key}" of form "${formKey}" changes its stored type from ${old.type} (${from}) to ${next.type} (${to}); converting existing data is not supported yet: add a new field instead`,
    { details: { form: formKey, field: next.key, from: old.type, to: next.type } },
  )
}

async function applyConstraints(
  trx: Trx,
  plan: Plan,
  target: (key: string) => Promise<PublishedForm | undefined>,
) {
  const { previous, next } = plan
  const addedColumns = new Set(plan.added.map((f) => f.column))
  for (const field of next.definition.fields) {
    const column = field.column!
    const isNew = addedColumns.has(column)
    const old = previous?.definition.fields.find((f) => f.column === column)
    if (field.unique && (isNew || !old?.unique)) await addUniqueIndex(trx, next, [column])
    if (!field.unique && old?.unique) await dropUniqueIndex(trx, next, [column])
    if (field.type === 'link' && isNew) {
      const linked = await target(field.form)
      if (!linked) {
        throw new TesseraError('metadata.invalid', `field "${field.key}" of form "${next.key}" links to form "${field.form}", which is not published`)
      }
      await addForeignKey(trx, next, field, linked)
    }
  }

  const oldUniques = new Set((previous?.definition.uniques ?? []).map((u) => u.join(',')))
  for (const keys of next.definition.uniques ?? []) {
    if (oldUniques.has(keys.join(','))) continue
    const columns = keys.map((k) => next.definition.fields.find((f) => f.key === k)!.column!)
    await addUniqueIndex(trx, next, columns)
  }
}
