import { sql } from 'kysely'
import type { LinesField, PublishedForm, RecordData } from '@tessera/core'
import type { Executor, Trx } from '../database.js'
import { linesForm } from '../ddl.js'
import { fieldsToColumns, rowToLine } from '../record-rows.js'

/**
 * Stores the line items of one record: for each lines field present in
 * `values`, the record's rows are replaced by the given ones, in order
 * (`position` 0, 1, …), in one delete and one insert.
 */
export async function writeLines(
  trx: Trx,
  form: PublishedForm,
  id: number,
  values: Record<string, unknown>,
): Promise<void> {
  for (const field of form.definition.fields) {
    if (field.type !== 'lines' || !Array.isArray(values[field.key])) continue
    const table = linesTable(form, field)
    await sql`delete from ${table} where parent_id = ${id}`.execute(trx)

    const rows = values[field.key] as Record<string, unknown>[]
    if (rows.length === 0) continue
    const columns = field.fields.map((line) => line.column!)
    const tuples = rows.map((row, position) => {
      const cells = fieldsToColumns(field.fields, row)
      return sql`(${sql.join([id, position, ...columns.map((column) => cells[column] ?? null)])})`
    })
    const names = ['parent_id', 'position', ...columns].map((name) => sql.id(name))
    await sql`insert into ${table} (${sql.join(names)}) values ${sql.join(tuples)}`.execute(trx)
  }
}

/** Adds the line items of every lines field to records read without them. */
export async function readLines(db: Executor, form: PublishedForm, records: RecordData[]) {
  const ids = records.map((record) => record.id)
  if (ids.length === 0) return
  for (const field of form.definition.fields) {
    if (field.type !== 'lines') continue
    const { rows } = await sql<Record<string, unknown>>`
      select * from ${linesTable(form, field)} where parent_id in (${sql.join(ids)})
      order by parent_id, position`.execute(db)

    const byParent = new Map<number, Record<string, unknown>[]>()
    for (const row of rows) {
      const parent = row.parent_id as number
      const list = byParent.get(parent) ?? []
      list.push(rowToLine(field.fields, row))
      byParent.set(parent, list)
    }
    for (const record of records) record.values[field.key] = byParent.get(record.id) ?? []
  }
}

export function linesTable(form: PublishedForm, field: LinesField) {
  const lines = linesForm(form, field)
  return sql.table(`${lines.table.schema}.${lines.table.name}`)
}
