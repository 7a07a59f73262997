import {
  TesseraError,
  localize,
  type Locale,
  type FieldDefinition,
  type FieldIssue,
  type LineFieldDefinition,
  type LinesField,
  type PublishedForm,
} from '@tessera/core'
import { isComputed } from '@tessera/forms'
import type { ImportMapping } from './mapping.js'
import type { TableFormat } from './read-table.js'

/**
 * How the columns of a file become one form's fields: `columns` maps a
 * file column (its header text) to a field key; `key` names the fields
 * that find an existing record to update (a unique field, or a unique set
 * of the form), and without it every row creates a record. Remembered per
 * form after a successful import.
 *
 * A column may also fill a field of a line item, as `<lines>.<field>`
 * ("items.product"): then each row is one line, and consecutive rows with
 * the same key make one record with those lines (the record's own columns
 * may repeat on every row or stand on its first row only). Line items need
 * a key.
 *
 * @example
 * { "format": "xlsx", "columns": { "发票号": "number", "客户": "customer", "金额": "amount" },
 *   "key": ["number"] }
 * { "columns": { "订单号": "number", "客户": "customer", "品名": "items.product", "数量": "items.quantity" },
 *   "key": ["number"] }
 */
export interface FormImportSpec {
  format?: TableFormat
  columns: Record<string, string>
  key?: string[]
}

/** Fields a file can fill: not computed, not line items, not lookups, not attachments (files are uploaded). */
export function importableFields(form: PublishedForm): FieldDefinition[] {
  return form.definition.fields.filter(
    (field) => !isComputed(field) && field.type !== 'lines' && field.type !== 'attachment',
  )
}

/** A field of a line item a file can fill, addressed `<lines>.<field>`. */
export interface ImportableLineField {
  key: string
  lines: LinesField
  field: LineFieldDefinition
}

/** Line fields a file can fill: not computed, not links (a line's link takes an id in the API only). */
export function importableLineFields(form: PublishedForm): ImportableLineField[] {
  const found: ImportableLineField[] = []
  for (const lines of form.definition.fields) {
    if (lines.type !== 'lines') continue
    for (const field of lines.fields) {
      if (isComputed(field) || field.type === 'link') continue
      found.push({ key: `${lines.key}.${field.key}`, lines, field })
    }
  }
  return found
}

/**
 * Checks a spec against the form (and, given, the file's header) and
 * returns it; throws TesseraError('import.invalid') listing every problem.
 */
export function checkFormImportSpec(
  form: PublishedForm,
  spec: unknown,
  header?: readonly string[],
  locale: Locale = 'zh-CN',
): FormImportSpec {
  const issues: FieldIssue[] = []
  const problem = (field: string, zh: string, en: string) =>
    issues.push({ field, rule: 'mapping', message: locale === 'en' ? en : zh })
  const raw = (typeof spec === 'object' && spec !== null ? spec : {}) as Partial<FormImportSpec>
  const columns = typeof raw.columns === 'object' && raw.columns !== null ? raw.columns : {}
  const key = Array.isArray(raw.key) ? raw.key : []
  const fields = new Map<string, unknown>(importableFields(form).map((field) => [field.key, field]))
  for (const line of importableLineFields(form)) fields.set(line.key, line)
  // Fields by their labels in Chinese (「到期日」), by their keys in English.
  const name = (fieldKey: string) => {
    const field = form.definition.fields.find((one) => one.key === fieldKey.split('.')[0])
    return locale === 'en' || !field ? `"${fieldKey}"` : `「${localize(field.label, 'zh-CN')}」`
  }
  const title = locale === 'en' ? `"${form.key}"` : `「${localize(form.definition.label, 'zh-CN')}」`

  if (Object.keys(columns).length === 0) problem('columns', '请至少把文件的一列对应到一个字段', 'map at least one file column to a field')
  const used = new Map<string, string>()
  for (const [column, fieldKey] of Object.entries(columns)) {
    if (header && !header.includes(column)) problem(`columns.${column}`, `文件没有「${column}」这一列`, `the file has no column "${column}"`)
    if (typeof fieldKey !== 'string' || !fields.has(fieldKey)) {
      const known = typeof fieldKey === 'string' && form.definition.fields.some((one) => one.key === fieldKey.split('.')[0])
      problem(`columns.${column}`, known ? `字段${name(fieldKey)}不能由文件填写（计算、附件或自动编号字段）`
        : `表单${title}没有字段 "${String(fieldKey)}"`,
        `"${String(fieldKey)}" is not a field of form ${title} a file can fill`)
    } else if (used.has(fieldKey)) {
      problem(`columns.${column}`, `字段${name(fieldKey)}已由「${used.get(fieldKey)}」列填写`,
        `field ${name(fieldKey)} is already filled from column "${used.get(fieldKey)}"`)
    } else {
      used.set(fieldKey, column)
    }
  }
  for (const fieldKey of key) {
    if (!used.has(fieldKey)) {
      problem('key', `用来匹配的字段${name(fieldKey)}没有对应的列`, `key field ${name(fieldKey)} is filled from no column`)
    }
  }
  if (key.length === 0 && [...used.keys()].some((target) => target.includes('.'))) {
    problem('key', '导入明细需要选择匹配字段：匹配字段相同的相邻行合为一条记录',
      'line items need a key: consecutive rows with the same key make one record')
  }
  if (key.length > 0 && !isUniqueKey(form, key)) {
    problem('key', `${key.map(name).join('、')}不唯一，不能用来匹配已有记录`,
      `fields ${JSON.stringify(key)} of form ${title} carry no unique index to find records by`)
  }

  if (issues.length > 0) {
    const first = issues[0]
    const en = `the import of form "${form.key}" is not set up right: ${first.field}: ${first.message}`
    throw new TesseraError('import.invalid', en, {
      details: { form: form.key },
      issues,
      messages: locale === 'en' ? { en } : { 'zh-CN': `导入设置有误：${issues.map((issue) => issue.message).join('；')}` },
    })
  }
  return { format: raw.format, columns: columns as Record<string, string>, key }
}

/**
 * The import mapping a spec stands for, run by the same machinery as
 * mapped imports: one record per row, values read from the row by field
 * key, links found by the linked record's title.
 */
export function mappingFor(form: PublishedForm, spec: FormImportSpec, linked: Map<string, PublishedForm>) {
  const values: Record<string, unknown> = {}
  for (const target of Object.values(spec.columns)) {
    // Line items arrive as the row's array under the lines field's key.
    const fieldKey = target.split('.')[0]
    const field = form.definition.fields.find((f) => f.key === fieldKey)!
    const read = { var: `row.${fieldKey}` }
    const title = field.type === 'link' ? linked.get(field.form)?.definition.titleField : undefined
    values[fieldKey] = title ? { lookup: [(field as { form: string }).form, title, read] } : read
  }
  const mapping: ImportMapping = {
    key: `form_${form.key}`,
    label: form.definition.label,
    format: 'csv',
    columns: {},
    records: [{ as: form.key, form: form.key, key: spec.key ?? [], values }],
  }
  return mapping
}

/**
 * A first guess at the columns of a file: each header that equals a
 * field's key or label (in any language) maps to that field.
 */
export function suggestColumns(form: PublishedForm, header: readonly string[]): Record<string, string> {
  const names = (field: FieldDefinition) => {
    const label = field.label
    const texts = typeof label === 'string' ? [label] : [label['zh-CN'], label.en ?? '']
    return [field.key, ...texts].map((text) => text.trim().toLowerCase()).filter(Boolean)
  }
  const columns: Record<string, string> = {}
  const taken = new Set<string>()
  for (const column of header) {
    const wanted = column.trim().toLowerCase()
    const field = importableFields(form).find((f) => !taken.has(f.key) && names(f).includes(wanted))
    const line = field ? undefined : importableLineFields(form)
      .find((l) => !taken.has(l.key) && (names(l.field).includes(wanted) || l.key === wanted))
    const target = field?.key ?? line?.key
    if (target === undefined) continue
    columns[column] = target
    taken.add(target)
  }
  return columns
}

function isUniqueKey(form: PublishedForm, keys: string[]): boolean {
  const { fields, uniques = [] } = form.definition
  if (keys.length === 1 && fields.find((f) => f.key === keys[0])?.unique) return true
  const wanted = [...keys].sort().join(',')
  return uniques.some((set) => [...set].sort().join(',') === wanted)
}
