import { createHash } from 'node:crypto'
import type { FieldDefinition } from '@tessera/core'
import { SYSTEM_COLUMNS } from '@tessera/core'

/**
 * Physical names. An app's records live in a schema named after the app key;
 * a form's table is named after the form key; a field's column after the
 * field key (`<key>_id` for links). Each name is fixed when it is first
 * created and stored in the catalogue, so later renames change labels and
 * keys, never the SQL a report or an outside SQL tool relies on.
 */
const RESERVED_SCHEMAS = new Set(['public', 'tessera', 'information_schema'])
const SYSTEM_COLUMN_NAMES = new Set<string>(Object.values(SYSTEM_COLUMNS))
const MAX_IDENTIFIER = 63

export function schemaForApp(appKey: string): string {
  const name = appKey.replace(/-/g, '_')
  if (RESERVED_SCHEMAS.has(name) || name.startsWith('pg_')) return `${name}_app`
  return name
}

/** The column a new field gets, avoiding every name already taken. */
export function columnForField(field: FieldDefinition, taken: ReadonlySet<string>): string {
  const base = field.type === 'link' ? `${field.key}_id` : field.key
  let name = base
  for (let n = 2; taken.has(name) || SYSTEM_COLUMN_NAMES.has(name); n++) name = `${base}_${n}`
  return name
}

/** Index and constraint names, shortened with a hash past Postgres's limit. */
export function constraintName(table: string, columns: string[], suffix: string): string {
  const name = `${table}_${columns.join('_')}_${suffix}`
  if (name.length <= MAX_IDENTIFIER) return name
  const hash = createHash('sha1').update(name).digest('hex').slice(0, 8)
  return `${name.slice(0, MAX_IDENTIFIER - 9)}_${hash}`
}

/**
 * The child table of a lines field: `<form table>__<field key>`, shortened
 * with a hash past Postgres's limit, and made unique among `taken`.
 */
export function linesTableName(formTable: string, key: string, taken: ReadonlySet<string>): string {
  const base = shorten(`${formTable}__${key}`)
  let name = base
  for (let n = 2; taken.has(name); n++) name = shorten(`${base}_${n}`)
  return name
}

function shorten(name: string): string {
  if (name.length <= MAX_IDENTIFIER) return name
  const hash = createHash('sha1').update(name).digest('hex').slice(0, 8)
  return `${name.slice(0, MAX_IDENTIFIER - 9)}_${hash}`
}

/** Columns every child table of line items has besides its fields'. */
export const LINE_SYSTEM_COLUMNS: ReadonlySet<string> = new Set(['id', 'parent_id', 'position'])
