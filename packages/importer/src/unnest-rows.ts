import { sql, type RawBuilder } from 'kysely'
import type { FieldDefinition } from '@tessera/core'
import { storedAs } from '@tessera/forms'
import { sqlType } from '@tessera/store'

/**
 * Rows as a `select … from unnest(…)` with one array parameter per column,
 * for INSERTs of many rows. A VALUES list of a thousand rows binds ten
 * thousand parameters, which PostgreSQL plans far more slowly: measured
 * here, the same upsert with its audit rows ran four times faster this way.
 * `constants` are the same in every row (the actor, say).
 *
 * @example
 * sql`insert into t (a, b, _created_by) ${unnestRows(fields, rows, ['clerk'])}`
 */
export function unnestRows(
  fields: readonly FieldDefinition[],
  rows: readonly Record<string, unknown>[],
  constants: readonly string[] = [],
): RawBuilder<unknown> {
  const names = fields.map((_, index) => sql.id(`c${index}`))
  const arrays = fields.map((field) => {
    const type = sqlType(storedAs(field))
    const values = rows.map((row) => cell(type, row[field.key]))
    return sql`${values}::${sql.raw(arrayType(type))}`
  })
  const selects = fields.map((field, index) => {
    const column = sql.ref(`u.c${index}`)
    // A list column (text[], bigint[]) travels as the text of a Postgres array, one per row.
    const type = sqlType(storedAs(field))
    return type.endsWith('[]') ? sql`${column}::${sql.raw(type)}` : column
  })
  const fixed = constants.map((value) => sql`${value}::text`)
  return sql`select ${sql.join([...selects, ...fixed])}
    from unnest(${sql.join(arrays)}) as u(${sql.join(names)})`
}

/** The type of the parameter array for a column of `type`. */
function arrayType(type: string): string {
  if (type.endsWith('[]')) return 'text[]'
  if (type.startsWith('numeric')) return 'numeric[]'
  return `${type}[]`
}

function cell(type: string, value: unknown): unknown {
  if (value === undefined || value === null) return null
  if (type.endsWith('[]') && Array.isArray(value)) return arrayLiteral(value.map(String))
  return value
}

/** ["a", "b c"] → '{"a","b c"}', quoting every element. */
export function arrayLiteral(values: readonly string[]): string {
  const quoted = values.map((value) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
  return `{${quoted.join(',')}}`
}
