import { sql } from 'kysely'
import { SYSTEM_COLUMNS, type Actor, type Locale, type PublishedForm } from '@tessera/core'
import type { Executor, Trx } from '../database.js'
import type { InsertedOptions, RecordQuery } from '../record-query.js'
import { valuesToColumns } from '../record-rows.js'
import { translateWriteError } from '../write-errors.js'

/** Inserts one record's columns; returns its id. Unique and reference violations become field issues. */
export async function insertRecord(
  trx: Trx,
  actor: Actor,
  form: PublishedForm,
  values: Record<string, unknown>,
  locale: Locale,
): Promise<number> {
  try {
    const { rows } = await sql<{ id: number }>`
      ${insertInto(form, actor, values)} returning id`.execute(trx)
    return rows[0].id
  } catch (error) {
    throw translateWriteError(error, form, values, locale)
  }
}

/**
 * Inserts one record and reads it back as stored, through `raw` (a query
 * without a scope), in one statement, with what `options` adds to it (see
 * RecordQuery.findInserted).
 */
export async function insertAndRead(
  trx: Executor,
  raw: RecordQuery,
  actor: Actor,
  form: PublishedForm,
  values: Record<string, unknown>,
  locale: Locale,
  options: InsertedOptions = {},
) {
  const insert = sql`${insertInto(form, actor, values)} returning *`
  try {
    return await raw.findInserted(trx, actor, form, insert, options)
  } catch (error) {
    throw translateWriteError(error, form, values, locale)
  }
}

export function insertInto(form: PublishedForm, actor: Actor, values: Record<string, unknown>) {
  const columns = valuesToColumns(form, values)
  const names = Object.keys(columns)
  const all = [...names, SYSTEM_COLUMNS.createdBy, SYSTEM_COLUMNS.updatedBy]
  const params = [...names.map((c) => columns[c]), actor.id, actor.id]
  const table = sql.table(`${form.table.schema}.${form.table.name}`)
  return sql`insert into ${table} (${sql.join(all.map((c) => sql.id(c)))})
    values (${sql.join(params)})`
}
