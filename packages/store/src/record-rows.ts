import {
  SYSTEM_COLUMNS,
  type FieldDefinition,
  type PublishedForm,
  type RecordData,
} from '@tessera/core'

/** The alias under which a link's title is selected: `__title_<field key>`. */
export function titleAlias(field: FieldDefinition): string {
  return `__title_${field.key}`
}

/** A database row of a record table → the record as the API shows it. */
export function rowToRecord(form: PublishedForm, row: Record<string, unknown>): RecordData {
  const values: Record<string, unknown> = {}
  const titles: Record<string, string | null> = {}
  for (const field of form.definition.fields) {
    values[field.key] = fromColumn(field, row[field.column!])
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

function fromColumn(field: FieldDefinition, value: unknown): unknown {
  if (value === null || value === undefined) return null
  // Non-integer numbers come back from numeric as exact strings; the API
  // promises a JSON number for number fields (money stays a string).
  if (field.type === 'number' && typeof value === 'string') return Number(value)
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
  const columns: Record<string, unknown> = {}
  for (const field of form.definition.fields) {
    if (field.key in values) columns[field.column!] = values[field.key] ?? null
  }
  return columns
}
