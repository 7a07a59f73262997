import { sql } from 'kysely'
import { SYSTEM_COLUMNS, type Actor, type PublishedForm } from '@tessera/core'
import type { Trx } from '@tessera/store'

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
export async function upsertRows(
  trx: Trx,
  actor: Actor,
  form: PublishedForm,
  keys: string[],
  rows: UpsertRow[],
  counts: FormCounts,
): Promise<number[]> {
  const fields = form.definition.fields.filter((f) => rows.some((r) => f.key in r.values))
  const columns = fields.map((f) => f.column!)
  const keyColumns = keys.map((k) => form.definition.fields.find((f) => f.key === k)!.column!)
  const others = columns.filter((c) => !keyColumns.includes(c))
  const table = sql.table(`${form.table.schema}.${form.table.name}`)

  const tuples = rows.map((row) => {
    const cells = fields.map((f) => row.values[f.key] ?? null)
    return sql`(${sql.join([...cells, actor.id, actor.id])})`
  })
  const insertColumns = [...columns, SYSTEM_COLUMNS.createdBy, SYSTEM_COLUMNS.updatedBy]
  const sets = others.map((c) => sql`${sql.id(c)} = excluded.${sql.id(c)}`)
  const differs = others.map((c) => sql`t.${sql.id(c)} is distinct from excluded.${sql.id(c)}`)
  const onConflict = others.length === 0
    ? sql`do nothing`
    : sql`do update set ${sql.join(sets)}, _version = t._version + 1, _updated_at = now(),
        _updated_by = excluded._updated_by where ${sql.join(differs, sql` or `)}`

  const { rows: written } = await sql<{ id: number; inserted: boolean; k: string }>`
    insert into ${table} as t (${sql.join(insertColumns.map((c) => sql.id(c)))})
    values ${sql.join(tuples)}
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
  counts.created += inserted.length
  counts.updated += written.length - inserted.length
  counts.unchanged += rows.length - written.length
  await auditRows(trx, actor, form, written, rows, keys)
  return rows.map((r) => ids.get(keyOf(keys, r.values))!)
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
) {
  if (written.length === 0) return
  const byKey = new Map(rows.map((r) => [keyOf(keys, r.values), r.values]))
  const tuples = written.map((w) => sql`(${actor.id}, ${w.inserted ? 'record.create' : 'record.update'},
    ${form.app}, ${form.key}, ${w.id}, ${JSON.stringify(byKey.get(w.k) ?? null)}, '{"via":"import"}')`)
  await sql`insert into tessera.audit (actor, action, app_key, form_key, record_id, after, context)
    values ${sql.join(tuples)}`.execute(trx)
}
