import {
  SYSTEM_COLUMNS,
  type FieldDefinition,
  type PublishedForm,
  type RecordData,
} from '@tessera/core'
import { storedAs } from '@tessera/forms'

/** The alias under which a link's title is selected: `__title_<field key>`. */
export function titleAlias(field: FieldDefinition): string {
  return `__title_${field.key}`
}

/** The alias under which a lookup's value is selected: `__lookup_<field key>`. */
export function lookupAlias(field: FieldDefinition): string {
  return `__lookup_${field.key}`
}

/**
 * A database row of a record table → the record as the API shows it.
 * Lookups come from their `__lookup_` aliases when the query joined them;
 * line items are not in the row (RecordQuery adds them to single records).
 */
export function rowToRecord(form: PublishedForm, row: Record<string, unknown>): RecordData {
  const values: Record<string, unknown> = {}
  const titles: Record<string, string | null> = {}
  for (const field of form.definition.fields) {
    if (field.type === 'lines') continue
    const raw = field.type === 'lookup' ? row[lookupAlias(field)] : row[field.column!]
    values[field.key] = fromColumn(field, raw)
    if (field.type === 'link') titles[field.key] = (row[titleAlias(field)] as string | null) ?? null
  }
  return {
    id: row[SYSTEM_COLUMNS.id] as number,
    version: row[SYSTEM_COLUMNS.version] as number,
    createdAt: toIso(row[SYSTEM_COLUMNS.createdAt]),
    createdBy: row[SYSTEM_COLUMNS.createdBy] as string,
    updatedAt: toIso(row[SYSTEM_COLUMNS.updatedAt]),
    updatedBy: row[SYSTEM_COLUMNS.updatedBy] as string,
    values,
    titles,
  }
}

/** A row of a child table of line items → the line as JSON, keyed by line field. */
export function rowToLine(
  fields: readonly FieldDefinition[],
  row: Record<string, unknown>,
): Record<string, unknown> {
  const line: Record<string, unknown> = {}
  for (const field of fields) line[field.key] = fromColumn(field, row[field.column!])
  return line
}

export function fromColumn(declared: FieldDefinition, value: unknown): unknown {
  if (value === null || value === undefined) return null
  const field = storedAs(declared)
  // Non-integer numbers come back from numeric as exact strings; the API
  // promises a JSON number for number fields (money stays a string).
  if (field.type === 'number' && typeof value === 'string') return Number(value)
  // timestamptz arrives as a Date; the API speaks ISO 8601 text in UTC.
  if (field.type === 'datetime' && value instanceof Date) return value.toISOString()
  // bigint[] arrives as text (pg) or BigInt (PGlite) elements; ids are numbers.
  if ((field.type === 'member' || field.type === 'department') && Array.isArray(value)) {
    return value.map((id) => Number(id))
  }
  return value
}

function toIso(value: unknown): string {
  return value instanceof Date ? value.toISOString() : String(value)
}

/** Field values keyed by key → column values keyed by column, for writes. */
export function valuesToColumns(
  form: PublishedForm,
  values: Record<string, unknown>,
): Record<string, unknown> {
  return fieldsToColumns(form.definition.fields, values)
}

/** The same for any list of fields, such as a line's; fields without a column are left out. */
export function fieldsToColumns(
  fields: readonly FieldDefinition[],
  values: Record<string, unknown>,
): Record<string, unknown> {
  const columns: Record<string, unknown> = {}
  for (const field of fields) {
    if (field.type === 'lines' || field.type === 'lookup') continue
    if (!(field.key in values)) continue
    const value = values[field.key] ?? null
    // A jsonb parameter must be JSON text: drivers send a JS array as a SQL array.
    columns[field.column!] = field.type === 'attachment' && value !== null ? JSON.stringify(value) : value
  }
  return columns
}
