import { sql } from 'kysely'
import {
  localize,
  TesseraError,
  type Actor,
  type FormDefinition,
  type PublishedForm,
} from '@tessera/core'
import { checkFormDefinition } from '@tessera/forms'
import type { Trx } from './database.js'
import {
  addColumn,
  addForeignKey,
  addPeopleForeignKey,
  addUniqueIndex,
  createLinesTable,
  createRecordTable,
  dropUniqueIndex,
  addSortIndex,
  dropSortIndex,
  hasColumn,
  hasUniqueIndex,
  linesForm,
} from './ddl.js'
import { loadPublishedForm } from './catalog.js'
import { resolveDerived } from './publish-derived.js'
import { convertColumns } from './publish-convert.js'
import { changes, planVersion, typeChanges, type Plan } from './publish-plan.js'
import { backfillDerived } from './write/backfill.js'
import { publishLimitTotals } from './write/limit-totals.js'

/**
 * Publishes drafts inside the caller's transaction. Tables and columns come
 * first, constraints after, so forms published together may link to each
 * other; rollups and lookups are resolved against the forms of the batch
 * and the published ones. A field whose stored type changes has its
 * column converted when every stored value converts without loss, and is
 * refused otherwise, naming records that block it. New (and retyped)
 * rollup and formula columns are filled for the records already there, as
 * are the running totals of new constraints (see write/limit-totals.ts).
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

  const planned: Plan[] = []
  for (const draft of drafts) {
    const definition = checkFormDefinition(draft.draft, { forms: formNames })
    const previous = await loadPublishedForm(trx, appKey, draft.key)
    planned.push(await planVersion(trx, appKey, dataSchema, draft.table_name, definition, previous))
  }

  const byKey = new Map(planned.map((p) => [p.next.key, p.next]))
  const target = async (key: string) => byKey.get(key) ?? (await loadPublishedForm(trx, appKey, key))
  await resolveDerived(planned, target)
  for (const plan of planned) plan.retyped = typeChanges(plan)
  const plans = planned.filter(changes)
  for (const plan of plans) await refuseUndatedRecords(trx, plan)

  for (const plan of plans) {
    await convertColumns(trx, plan.retyped)
    if (!plan.previous) await createRecordTable(trx, plan.next)
    for (const field of plan.added) await addColumn(trx, plan.next, field)
    for (const lines of plan.addedLines) {
      await createLinesTable(trx, plan.next, lines)
      for (const field of lines.fields) await addColumn(trx, linesForm(plan.next, lines), field)
    }
    for (const { lines, field } of plan.addedLineFields) {
      await addColumn(trx, linesForm(plan.next, lines), field)
    }
  }

  for (const plan of plans) await applyConstraints(trx, plan, target)
  for (const plan of plans) await backfillDerived(trx, plan, target)
  // After the backfill: a total over a formula sums its new values.
  for (const plan of plans) await publishLimitTotals(trx, plan.previous, plan.next, target)

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

async function applyConstraints(
  trx: Trx,
  plan: Plan,
  target: (key: string) => Promise<PublishedForm | undefined>,
) {
  const { previous, next } = plan
  const addedColumns = new Set(plan.added.map((f) => f.column))
  for (const field of next.definition.fields) {
    if (!hasColumn(field)) continue
    const column = field.column!
    const isNew = addedColumns.has(column)
    const old = previous?.definition.fields.find((f) => f.column === column)
    const unique = hasUniqueIndex(field)
    const wasUnique = old !== undefined && hasUniqueIndex(old)
    if (unique && (isNew || !wasUnique)) await addUniqueIndex(trx, next, [column])
    if (!unique && wasUnique) await dropUniqueIndex(trx, next, [column])
    const indexed = field.indexed === true
    if (indexed && (isNew || old?.indexed !== true)) await addSortIndex(trx, next, column)
    if (!indexed && old?.indexed === true) await dropSortIndex(trx, next, column)
    if (field.type === 'link' && isNew) {
      await addForeignKey(trx, next, field, await linkTarget(next, field.key, field.form, target))
    }
    const person = field.type === 'member' || field.type === 'department'
    if (person && !field.multiple && (isNew || old?.type !== field.type)) {
      await addPeopleForeignKey(trx, next, field)
    }
  }

  const newLineFields = [
    ...plan.addedLines.flatMap((lines) => lines.fields.map((field) => ({ lines, field }))),
    ...plan.addedLineFields,
  ]
  for (const { lines, field } of newLineFields) {
    if (field.type !== 'link') continue
    const linked = await linkTarget(next, `${lines.key}.${field.key}`, field.form, target)
    await addForeignKey(trx, linesForm(next, lines), field, linked)
  }

  // Unique sets by their columns, which survive a field's rename: a set
  // taken out of the definition loses its index, a new one gets its own.
  const columnsOf = (form: PublishedForm, keys: string[]) =>
    keys.map((k) => form.definition.fields.find((f) => f.key === k)?.column)
  const before = new Map<string, string[]>()
  for (const keys of previous?.definition.uniques ?? []) {
    const columns = columnsOf(previous!, keys)
    if (columns.every((c) => c !== undefined)) before.set(columns.join(','), columns as string[])
  }
  const after = new Set<string>()
  for (const keys of next.definition.uniques ?? []) {
    const columns = columnsOf(next, keys) as string[]
    after.add(columns.join(','))
    if (!before.has(columns.join(','))) await addUniqueIndex(trx, next, columns)
  }
  for (const [joined, columns] of before) {
    if (after.has(joined)) continue
    // One column that is also unique by its own flag shares the index's name.
    const own = columns.length === 1 &&
      next.definition.fields.some((f) => f.column === columns[0] && hasUniqueIndex(f))
    if (!own) await dropUniqueIndex(trx, next, columns)
  }
}

async function linkTarget(
  form: PublishedForm,
  fieldKey: string,
  formKey: string,
  target: (key: string) => Promise<PublishedForm | undefined>,
): Promise<PublishedForm> {
  const linked = await target(formKey)
  if (linked) return linked
  throw new TesseraError('metadata.invalid', `field "${fieldKey}" of form "${form.key}" links to form "${formKey}", which is not published`)
}

/**
 * A period field newly named (or moved to another date) must place every
 * stored record in a period: records without a date in it would stay out
 * of reach of every close. Refused, counting them, while any has none.
 */
async function refuseUndatedRecords(trx: Trx, plan: Plan): Promise<void> {
  const key = plan.next.definition.periodField
  const { previous } = plan
  if (!key || !previous) return
  const field = plan.next.definition.fields.find((candidate) => candidate.key === key)
  // Fields are matched by column: a renamed field keeps its column and its values.
  const column = field?.column
  const before = previous.definition.fields.find((candidate) => candidate.key === previous.definition.periodField)
  if (column !== undefined && before?.column === column) return
  const kept = column === undefined ? undefined : previous.definition.fields.find((candidate) => candidate.column === column)
  const label = field ? localize(field.label, 'zh-CN') : key
  const table = sql.table(`${previous.table.schema}.${previous.table.name}`)
  const { rows } = kept
    ? await sql<{ n: number }>`select count(*)::int as n from ${table} where ${sql.ref(kept.column!)} is null`.execute(trx)
    : await sql<{ n: number }>`select count(*)::int as n from ${table}`.execute(trx)
  const count = Number(rows[0]?.n ?? 0)
  if (count === 0) return
  const en = `periodField "${key}": ${count} stored record(s) have no date in it, and a record without one belongs to no period, ` +
    'out of reach of every close; fill the date of those records first, then publish again'
  const zh = `结账期间字段「${label}」：已有 ${count} 条记录的该日期为空，这些记录不属于任何期间，结账管不到它们；请先补齐日期再发布`
  throw new TesseraError('metadata.invalid', `form definition "${plan.next.key}" is invalid: ${en}`, {
    details: { form: plan.next.key },
    messages: { 'zh-CN': zh, en },
    issues: [{ field: 'periodField', rule: 'undated', message: en, expected: { records: 0 }, received: { records: count } }],
  })
}
