import { sql } from 'kysely'
import {
  SYSTEM_COLUMNS,
  type Actor,
  type AutonumberField,
  type FieldDefinition,
  type Locale,
  type PublishedForm,
} from '@tessera/core'
import { autonumbersFor, hasColumn, numberingDay, refusedRecords, type RecordLogic, type RevealTotals, type Trx, type WrittenRecords } from '@tessera/store'
import { unnestRows } from './unnest-rows.js'

export interface FormCounts {
  created: number
  updated: number
  unchanged: number
}

export interface UpsertRow {
  /** Normalized field values, keyed by field key. */
  values: Record<string, unknown>
}

/**
 * Upserts rows of one form in one statement: insert, or on a conflict of the
 * key fields update the record only where some value differs. Returns each
 * row's record id, in order. Rows sharing a key must be merged beforehand.
 */
export interface UpsertOptions {
  /** The company's today, for autonumbers. */
  today: string
  /** The store's form logic, for rollups over this form. */
  logic: RecordLogic
  locale: Locale
  /** Whether a broken constraint may name its sum and limit to the importer. */
  reveal?: RevealTotals
  /**
   * Given, the agreements of other forms reading the written records are
   * not checked here: the records go to it, for the caller to check once
   * it wrote the rest of the batch (RecordLogic.checkLinked).
   */
  linkedLater?: (records: WrittenRecords['records']) => void
}

/** For an agreement refusal of a batch: the index of the row each of its issues is about. */
const refusedRows = new WeakMap<object, number[][]>()

/**
 * For each issue of an agreement or limit refusal, the rows (indexes into
 * the rows written) it is about; undefined for any other error.
 */
export function rowsOfRefusal(error: unknown): number[][] | undefined {
  return typeof error === 'object' && error !== null ? refusedRows.get(error) : undefined
}

/** Throws `error`, telling rowsOfRefusal which of the rows written (their `ids`) it is about. */
export function refusing(error: unknown, ids: ReadonlyArray<number | undefined>): never {
  const records = refusedRecords(error)
  if (records && typeof error === 'object' && error !== null) {
    refusedRows.set(error, records.map((about) => about.map((id) => ids.indexOf(id)).filter((at) => at >= 0)))
  }
  throw error
}

export async function upsertRows(
  trx: Trx,
  actor: Actor,
  form: PublishedForm,
  keys: string[],
  rows: UpsertRow[],
  counts: FormCounts,
  options: UpsertOptions,
): Promise<number[]> {
  if (keys.length === 0) return insertRows(trx, actor, form, rows, counts, options)
  const table = sql.table(`${form.table.schema}.${form.table.name}`)
  const keyColumns = keys.map((k) => form.definition.fields.find((f) => f.key === k)!.column!)
  const numbered = await numberNewRows(trx, form, table, keys, keyColumns, rows, options.today)
  const upkeep = await options.logic.upkeep(trx, form)
  const before = upkeep.needed
    ? await linkValues(trx, form, table, keys, keyColumns, rows, upkeep.links)
    : undefined

  const fields = form.definition.fields.filter((f) => hasColumn(f) && rows.some((r) => f.key in r.values))
  const columns = fields.map((f) => f.column!)
  // A record's number is given once, when it is created; rollups over other
  // forms and the formulas reading them stay as their own upkeep left them.
  const elsewhere = options.logic.maintainedElsewhere(form)
  const kept = new Set(fields.filter((f) => elsewhere.has(f.key)).map((f) => f.column!))
  const others = columns.filter((c) => !keyColumns.includes(c) && !numbered.includes(c) && !kept.has(c))

  const source = unnestRows(fields, rows.map((row) => row.values), [actor.id, actor.id])
  const insertColumns = [...columns, SYSTEM_COLUMNS.createdBy, SYSTEM_COLUMNS.updatedBy]
  const sets = others.map((c) => sql`${sql.id(c)} = excluded.${sql.id(c)}`)
  const differs = others.map((c) => sql`t.${sql.id(c)} is distinct from excluded.${sql.id(c)}`)
  const onConflict = others.length === 0
    ? sql`do nothing`
    : sql`do update set ${sql.join(sets)}, _version = t._version + 1, _updated_at = now(),
        _updated_by = excluded._updated_by where ${sql.join(differs, sql` or `)}`

  const previous = await currentValues(trx, table, keyColumns, fields, rows.map((r) => keyOf(keys, r.values)))
  const { rows: written } = await sql<{ id: number; inserted: boolean; k: string }>`
    insert into ${table} as t (${sql.join(insertColumns.map((c) => sql.id(c)))})
    ${source}
    on conflict (${sql.join(keyColumns.map((c) => sql.id(c)))}) ${onConflict}
    returning t.id, (xmax = 0) as inserted, ${keyText(keyColumns, 't')} as k`.execute(trx)

  const ids = new Map(written.map((w) => [w.k, w.id]))
  const missing = rows.map((r) => keyOf(keys, r.values)).filter((k) => !ids.has(k))
  if (missing.length > 0) {
    const { rows: found } = await sql<{ id: number; k: string }>`
      select t.id, ${keyText(keyColumns, 't')} as k from ${table} as t
      where ${keyText(keyColumns, 't')} in (${sql.join(missing)})`.execute(trx)
    for (const f of found) ids.set(f.k, f.id)
  }

  const inserted = written.filter((w) => w.inserted)
  const updated = written.filter((w) => !w.inserted).map((w) => w.id)
  // An updated record's rollups over other forms were left as they were, and the formulas reading
  // them computed again from the stored values: its audit line shows what is stored now, not the row.
  let stored: Map<string, Record<string, unknown>> | undefined
  if (kept.size > 0 && updated.length > 0) {
    await options.logic.refreshFormulas(trx, form, updated, options.locale)
    stored = await currentValues(trx, table, keyColumns, fields, written.filter((w) => !w.inserted).map((w) => w.k))
  }
  counts.created += inserted.length
  counts.updated += written.length - inserted.length
  counts.unchanged += rows.length - written.length
  await auditRows(trx, actor, form, written, rows, keys, previous, stored)
  if (before) {
    const records = rows.map((r) => {
      const key = keyOf(keys, r.values)
      return { id: ids.get(key), before: before.get(key), after: r.values }
    })
    await options.logic.afterWriteMany(trx, form, records, options.locale, options.reveal, { linkedLater: options.linkedLater !== undefined })
      .catch((error: unknown) => refusing(error, records.map((record) => record.id)))
    options.linkedLater?.(records)
  }
  return rows.map((r) => ids.get(keyOf(keys, r.values))!)
}

/**
 * Inserts rows of a form that has no key to match them by (an import of
 * new records only), in one statement, numbering them first.
 */
async function insertRows(
  trx: Trx,
  actor: Actor,
  form: PublishedForm,
  rows: UpsertRow[],
  counts: FormCounts,
  options: UpsertOptions,
): Promise<number[]> {
  for (const field of form.definition.fields) {
    if (field.type !== 'autonumber') continue
    const numbers = await autonumbersFor(trx, form, field, rows.map((row) => numberingDay(field, row.values, options.today)))
    rows.forEach((row, index) => (row.values[field.key] = numbers[index]))
  }
  const fields = form.definition.fields.filter((f) => hasColumn(f) && rows.some((r) => f.key in r.values))
  const names = [...fields.map((f) => f.column!), SYSTEM_COLUMNS.createdBy, SYSTEM_COLUMNS.updatedBy]
  const source = unnestRows(fields, rows.map((row) => row.values), [actor.id, actor.id])
  const table = sql.table(`${form.table.schema}.${form.table.name}`)
  // PostgreSQL inserts the rows of unnest in their order and returns them so.
  const { rows: written } = await sql<{ id: number }>`
    insert into ${table} (${sql.join(names.map((n) => sql.id(n)))})
    ${source} returning id`.execute(trx)

  counts.created += written.length
  const ids = written.map((w) => w.id)
  await insertAudit(trx, actor, form, ids.map((id, index) => ({
    id, action: 'record.create', after: rows[index].values,
  })))

  const upkeep = await options.logic.upkeep(trx, form)
  if (upkeep.needed) {
    const records = rows.map((row, index) => ({ id: ids[index], after: row.values }))
    await options.logic.afterWriteMany(trx, form, records, options.locale, options.reveal)
      .catch((error: unknown) => refusing(error, ids))
  }
  return ids
}

/** The link values the rows' existing records hold now, by key, for rollup upkeep. */
async function linkValues(
  trx: Trx,
  form: PublishedForm,
  table: ReturnType<typeof sql.table>,
  keys: string[],
  keyColumns: string[],
  rows: UpsertRow[],
  links: string[],
): Promise<Map<string, Record<string, unknown>>> {
  const fields = links.map((key) => form.definition.fields.find((f) => f.key === key)!)
  const selects = [sql`t.id`, ...fields.map((f) => sql`t.${sql.id(f.column!)} as ${sql.id(f.key)}`)]
  const { rows: found } = await sql<Record<string, unknown> & { k: string }>`
    select ${keyText(keyColumns, 't')} as k, ${sql.join(selects)} from ${table} as t
    where ${keyText(keyColumns, 't')} in (${sql.join(rows.map((r) => keyOf(keys, r.values)))})`.execute(trx)
  return new Map(found.map(({ k, ...values }) => [k, values]))
}

/**
 * Gives the rows that will be inserted (their keys are not in the table
 * yet) the next numbers of each autonumber field, in row order; returns
 * the columns of those fields.
 */
async function numberNewRows(
  trx: Trx,
  form: PublishedForm,
  table: ReturnType<typeof sql.table>,
  keys: string[],
  keyColumns: string[],
  rows: UpsertRow[],
  today: string,
): Promise<string[]> {
  const fields = form.definition.fields.filter((f): f is AutonumberField => f.type === 'autonumber')
  if (fields.length === 0) return []

  const wanted = rows.map((r) => keyOf(keys, r.values))
  const { rows: existing } = await sql<{ k: string }>`
    select ${keyText(keyColumns, 't')} as k from ${table} as t
    where ${keyText(keyColumns, 't')} in (${sql.join(wanted)})`.execute(trx)
  const known = new Set(existing.map((e) => e.k))
  const fresh = rows.filter((r) => !known.has(keyOf(keys, r.values)))

  for (const field of fields) {
    const numbers = await autonumbersFor(trx, form, field, fresh.map((row) => numberingDay(field, row.values, today)))
    fresh.forEach((row, index) => (row.values[field.key] = numbers[index]))
    for (const row of rows) row.values[field.key] ??= null
  }
  return fields.map((f) => f.column!)
}

/** The key fields of a row as one text, the same way SQL renders them. */
export function keyOf(keys: string[], values: Record<string, unknown>): string {
  // Matches Postgres's text form of a jsonb array: '["a", "b"]'.
  const parts = keys.map((k) => {
    const value = values[k]
    return value === null || value === undefined ? 'null' : JSON.stringify(String(value))
  })
  return `[${parts.join(', ')}]`
}

function keyText(columns: string[], alias: string) {
  const parts = columns.map((c) => sql`${sql.ref(`${alias}.${c}`)}::text`)
  return sql`jsonb_build_array(${sql.join(parts)})::text`
}

async function auditRows(
  trx: Trx,
  actor: Actor,
  form: PublishedForm,
  written: { id: number; inserted: boolean; k: string }[],
  rows: UpsertRow[],
  keys: string[],
  previous: Map<string, Record<string, unknown>>,
  /** The updated records' values as stored after the write, when they differ from the rows'. */
  stored?: Map<string, Record<string, unknown>>,
) {
  const byKey = new Map(rows.map((r) => [keyOf(keys, r.values), r.values]))
  await insertAudit(trx, actor, form, written.map((w) => ({
    id: w.id,
    action: w.inserted ? 'record.create' : 'record.update',
    before: w.inserted ? null : previous.get(w.k) ?? null,
    after: (w.inserted ? undefined : stored?.get(w.k)) ?? byKey.get(w.k) ?? null,
  })))
}

/**
 * The stored values of the written fields of records that already exist,
 * by key, read and locked: before the upsert changes them, and after it
 * when the rows do not hold what was stored (rollups left alone), so that
 * an import's updates are audited with their values before and after.
 */
async function currentValues(
  trx: Trx,
  table: ReturnType<typeof sql.table>,
  keyColumns: string[],
  fields: FieldDefinition[],
  keys: string[],
): Promise<Map<string, Record<string, unknown>>> {
  const found = new Map<string, Record<string, unknown>>()
  if (keys.length === 0 || fields.length === 0) return found
  const selected = fields.map((f, i) => sql`${sql.ref(`t.${f.column}`)} as ${sql.id(`c${i}`)}`)
  const { rows } = await sql<Record<string, unknown> & { k: string }>`
    select ${keyText(keyColumns, 't')} as k, ${sql.join(selected)} from ${table} as t
    where ${keyText(keyColumns, 't')} in (${sql.join(keys)}) for update`.execute(trx)
  for (const row of rows) {
    found.set(row.k, Object.fromEntries(fields.map((f, i) => [f.key, row[`c${i}`] ?? null])))
  }
  return found
}

/** One audit row per written record, in one statement over arrays (see unnestRows). */
async function insertAudit(
  trx: Trx,
  actor: Actor,
  form: PublishedForm,
  entries: { id: number; action: string; before?: unknown; after: unknown }[],
) {
  if (entries.length === 0) return
  const ids = entries.map((entry) => entry.id)
  const actions = entries.map((entry) => entry.action)
  const before = entries.map((entry) => (entry.before ? JSON.stringify(entry.before) : null))
  const after = entries.map((entry) => JSON.stringify(entry.after))
  await sql`insert into tessera.audit (actor, action, app_key, form_key, record_id, before, after, context)
    select ${actor.id}, u.action, ${form.app}, ${form.key}, u.id, u.before::jsonb, u.after::jsonb,
      '{"via":"import"}'
    from unnest(${ids}::bigint[], ${actions}::text[], ${before}::text[], ${after}::text[])
      as u(id, action, before, after)`
    .execute(trx)
}

/** A stored record whose line items an import replaced with different ones. */
export interface LineChange {
  id: number
  /** Its version before the import's batch. */
  version: number
  before: Record<string, unknown>
  after: Record<string, unknown>
}

/**
 * Records the changes of line items an import made: each such record gets a
 * history line with its lines before and after, and, when the batch's upsert
 * left the record's own row as it was (only its lines differ), a new version.
 * Returns how many records only their lines changed.
 */
export async function recordLineChanges(trx: Trx, actor: Actor, form: PublishedForm, changes: readonly LineChange[]): Promise<number> {
  if (changes.length === 0) return 0
  const table = sql.table(`${form.table.schema}.${form.table.name}`)
  const { rows } = await sql<{ id: number; v: number }>`
    select id, _version as v from ${table} where id in (${sql.join(changes.map((change) => change.id))})`.execute(trx)
  const current = new Map(rows.map((row) => [Number(row.id), Number(row.v)]))
  const alone = changes.filter((change) => current.get(change.id) === change.version).map((change) => change.id)
  if (alone.length > 0) {
    await sql`update ${table} set _version = _version + 1, _updated_at = now(), _updated_by = ${actor.id}
      where id in (${sql.join(alone)})`.execute(trx)
  }
  await insertAudit(trx, actor, form, changes.map((change) => ({
    id: change.id, action: 'record.update', before: change.before, after: change.after,
  })))
  return alone.length
}
