import { sql } from 'kysely'
import type { PublishedForm } from '@tessera/core'
import { formulaOrder, prepareRecord, type PrepareOptions } from '@tessera/forms'
import type { Trx } from '../database.js'
import { fieldsToColumns, rowToRecord } from '../record-rows.js'
import { readLines } from './line-items.js'

/**
 * Computes the formulas of stored records again, after something they
 * read changed without the records being written (a rollup kept current
 * by a write elsewhere, a formula added by publishing), and stores the
 * ones that changed. Returns the keys of the formula fields that changed
 * in any record. Rules are not checked: nobody is editing these records.
 * With `failed`, the ids of records a formula could not be computed for
 * (a division by zero: the value is left empty) are added to it.
 */
export async function recomputeFormulas(
  trx: Trx,
  form: PublishedForm,
  ids: readonly number[],
  context: PrepareOptions,
  failed?: Set<number>,
): Promise<Set<string>> {
  const changed = new Set<string>()
  const { order = [] } = formulaOrder(form.definition)
  if (order.length === 0 || ids.length === 0) return changed

  const table = sql.table(`${form.table.schema}.${form.table.name}`)
  const { rows } = await sql<Record<string, unknown>>`
    select * from ${table} where id in (${sql.join([...ids])})`.execute(trx)
  const records = rows.map((row) => rowToRecord(form, row))
  await readLines(trx, form, records)

  for (const record of records) {
    const { values, issues } = prepareRecord(form, record.values, context)
    if (failed && issues.some((issue) => order.some((field) => issue.field === field.key))) failed.add(record.id)
    const update: Record<string, unknown> = {}
    for (const field of order) {
      if (JSON.stringify(values[field.key]) === JSON.stringify(record.values[field.key])) continue
      update[field.key] = values[field.key]
      changed.add(field.key)
    }
    const columns = Object.entries(fieldsToColumns(form.definition.fields, update))
    if (columns.length === 0) continue
    const sets = columns.map(([column, value]) => sql`${sql.id(column)} = ${value}`)
    await sql`update ${table} set ${sql.join(sets)} where id = ${record.id}`.execute(trx)
  }
  return changed
}
