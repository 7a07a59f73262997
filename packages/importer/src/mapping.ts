import {
  KEY_PATTERN,
  TesseraError,
  type FieldIssue,
  type FormResolver,
  type LocalizedText,
  type PublishedForm,
} from '@tessera/core'

/**
 * An import mapping: how one row of a CSV file becomes one or more linked
 * records. Columns are parsed and checked first; then, in order, each entry
 * of `records` builds the values of one record with json-logic over
 * `{ row: <parsed columns>, ref: <ids of records built earlier for this row> }`
 * and upserts it by its `key` fields, which must carry a unique index.
 *
 * A field value may also be `{ "lookup": [form, field, <expr>] }`: the id of
 * the record of `form` whose unique `field` equals the expression's value.
 *
 * @example
 * {
 *   "key": "customers",
 *   "label": "客户档案",
 *   "format": "csv",
 *   "columns": {
 *     "Code": { "type": "text", "required": true },
 *     "Opened": { "type": "date", "format": "M/D/YYYY" }
 *   },
 *   "records": [
 *     { "as": "customer", "form": "customer", "key": ["code"],
 *       "values": { "code": { "var": "row.Code" }, "name": { "var": "row.Code" } } }
 *   ]
 * }
 */
export interface ImportMapping {
  key: string
  label: LocalizedText
  description?: LocalizedText
  format: 'csv'
  columns: Record<string, ColumnSpec>
  records: RecordSpec[]
}

export type ColumnType = 'text' | 'decimal' | 'integer' | 'date'

export interface ColumnSpec {
  type: ColumnType
  required?: boolean
  /** For dates: M/D/YYYY, D/M/YYYY, YYYY-MM-DD, YYYY/M/D or YYYYMMDD. */
  format?: string
  /** For text: the only values allowed. */
  enum?: string[]
}

export interface RecordSpec {
  /** The name later entries use for this record's id: `{ "var": "ref.<as>" }`. */
  as: string
  form: string
  /** Field keys identifying an existing record to update instead of duplicating. */
  key: string[]
  /** Build this record only when the json-logic condition holds. */
  when?: unknown
  values: Record<string, unknown>
}

export interface Lookup {
  form: string
  field: string
  expr: unknown
}

export function asLookup(value: unknown): Lookup | undefined {
  if (typeof value !== 'object' || value === null || !('lookup' in value)) return undefined
  const args = (value as { lookup: unknown }).lookup
  if (!Array.isArray(args) || args.length !== 3) return undefined
  const [form, field, expr] = args
  if (typeof form !== 'string' || typeof field !== 'string') return undefined
  return { form, field, expr }
}

const COLUMN_TYPES = new Set<ColumnType>(['text', 'decimal', 'integer', 'date'])
export const DATE_FORMATS = ['M/D/YYYY', 'D/M/YYYY', 'YYYY-MM-DD', 'YYYY/M/D', 'YYYYMMDD']

/** Checks a mapping against the published forms; every problem is listed. */
export async function checkMapping(mapping: unknown, forms: FormResolver): Promise<ImportMapping> {
  const issues: FieldIssue[] = []
  const problem = (field: string, message: string) => issues.push({ field, rule: 'mapping', message })
  const m = mapping as ImportMapping
  if (typeof m !== 'object' || m === null) {
    throw new TesseraError('import.invalid', 'an import mapping must be a JSON object')
  }
  if (typeof m.key !== 'string' || !KEY_PATTERN.test(m.key)) problem('key', `must match ${KEY_PATTERN}`)
  if (m.format !== 'csv') problem('format', `only "csv" is supported, got ${JSON.stringify(m.format)}`)
  for (const [name, column] of Object.entries(m.columns ?? {})) {
    if (!COLUMN_TYPES.has(column?.type)) problem(`columns.${name}.type`, `must be one of ${[...COLUMN_TYPES].join(', ')}`)
    if (column?.type === 'date' && column.format && !DATE_FORMATS.includes(column.format)) {
      problem(`columns.${name}.format`, `must be one of ${DATE_FORMATS.join(', ')}`)
    }
  }
  if (!Array.isArray(m.records) || m.records.length === 0) problem('records', 'must list at least one record')

  const names = new Set<string>()
  for (const [i, spec] of (m.records ?? []).entries()) {
    const at = `records[${i}]`
    if (names.has(spec.as)) problem(`${at}.as`, `"${spec.as}" is used twice`)
    names.add(spec.as)
    let form: PublishedForm
    try {
      form = await forms.getForm(spec.form)
    } catch {
      problem(`${at}.form`, `form "${spec.form}" is not published`)
      continue
    }
    const fieldKeys = new Set(form.definition.fields.map((f) => f.key))
    for (const key of Object.keys(spec.values ?? {})) {
      if (!fieldKeys.has(key)) problem(`${at}.values.${key}`, `form "${form.key}" has no field "${key}"`)
    }
    if (!isUniqueKey(form, spec.key)) {
      problem(`${at}.key`, `fields ${JSON.stringify(spec.key)} of form "${form.key}" carry no unique index, so a re-run could not find the record again`)
    }
    for (const key of spec.key ?? []) {
      if (!(key in (spec.values ?? {}))) problem(`${at}.key`, `key field "${key}" gets no value`)
    }
  }
  if (issues.length > 0) {
    throw new TesseraError('import.invalid', `import mapping "${m.key}" is invalid: ${issues.map((x) => `${x.field}: ${x.message}`).join('; ')}`, { issues })
  }
  return m
}

function isUniqueKey(form: PublishedForm, keys: string[] | undefined): boolean {
  if (!Array.isArray(keys) || keys.length === 0) return false
  const { fields, uniques = [] } = form.definition
  if (keys.length === 1 && fields.find((f) => f.key === keys[0])?.unique) return true
  const wanted = [...keys].sort().join(',')
  return uniques.some((u) => [...u].sort().join(',') === wanted)
}
