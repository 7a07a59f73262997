import { sql, type RawBuilder } from 'kysely'
import type { FieldDefinition, PublishedForm } from '@tessera/core'
import { storedAs } from '@tessera/forms'

/**
 * A new record's values as its audit line keeps them (`after`), built by
 * SQL from the inserted row aliased `t`: the same JSON the record reads as
 * through the API (record-rows.ts), so that a create can write its audit
 * line in the statement that inserts the record. Undefined when a field
 * of the form reads differently in SQL than through the driver (a
 * date-time is cut to milliseconds by the driver, a lookup lives in
 * another table, line items in their own); such a form's audit line is
 * written from the record read back.
 */
export function auditValuesInSql(form: PublishedForm): RawBuilder<unknown> | undefined {
  const pairs: RawBuilder<unknown>[] = []
  for (const field of form.definition.fields) {
    const value = jsonOf(field)
    if (!value) return undefined
    pairs.push(sql`${sql.lit(field.key)}::text, ${value}`)
  }
  if (pairs.length === 0) return sql`'{}'::jsonb`
  // jsonb_build_object takes at most 100 arguments: 50 fields a call.
  const calls: RawBuilder<unknown>[] = []
  for (let at = 0; at < pairs.length; at += 50) {
    calls.push(sql`jsonb_build_object(${sql.join(pairs.slice(at, at + 50))})`)
  }
  return sql.join(calls, sql` || `)
}

/** One field's value as JSON, as record-rows.ts's fromColumn makes it; undefined when SQL cannot say it the same. */
function jsonOf(declared: FieldDefinition): RawBuilder<unknown> | undefined {
  if (declared.type === 'lines' || declared.type === 'lookup' || !declared.column) return undefined
  const column = sql.ref(`t.${declared.column}`)
  const field = storedAs(declared)
  switch (field.type) {
    // The driver reads numeric and date as the text PostgreSQL prints.
    case 'money':
    case 'percent':
    case 'date':
      return sql`to_jsonb(${column}::text)`
    // A number is a JSON number (bigint or numeric), as are ids and id arrays.
    case 'number':
    case 'link':
    case 'member':
    case 'department':
    case 'text':
    case 'select':
    case 'multiselect':
    case 'phone':
    case 'email':
    case 'bank_account':
    case 'region':
    case 'uscc':
    case 'boolean':
    case 'attachment':
      return sql`to_jsonb(${column})`
    default:
      return undefined
  }
}
