import {
  localize,
  type FieldDefinition,
  type Locale,
  type PublishedForm,
  type RecordData,
} from '@tessera/core'

/**
 * Records as a CSV file Excel opens correctly: UTF-8 with a byte-order mark,
 * CRLF line ends, a header of field labels, one column per field the
 * records carry (hidden fields were already removed), links shown by the
 * linked record's title. Text that a spreadsheet would run as a formula
 * (starting with = + - @ or a tab) is prefixed with an apostrophe.
 *
 * @example
 * recordsToCsv(invoice, records, 'zh-CN')
 * // "\uFEFF编号,客户,金额\r\nINV-1,上海恒通,1234.50\r\n"
 */
export function recordsToCsv(form: PublishedForm, records: RecordData[], locale: Locale): string {
  const shown = new Set(records.flatMap((record) => Object.keys(record.values)))
  const fields = form.definition.fields.filter((f) => records.length === 0 || shown.has(f.key))
  const lines = [fields.map((f) => cell(localize(f.label, locale), true))]
  for (const record of records) {
    lines.push(fields.map((field) => cell(display(field, record, locale), isText(field))))
  }
  return `\uFEFF${lines.map((line) => line.join(',')).join('\r\n')}\r\n`
}

/**
 * A value as the list shows it: titles of linked records and people, file
 * names, and a choice's label (the importer reads labels back as well as
 * stored values, so a file exported and edited imports again).
 */
function display(field: FieldDefinition, record: RecordData, locale: Locale): string {
  const value = record.values[field.key]
  if (value === null || value === undefined) return ''
  if (field.type === 'select' || field.type === 'multiselect') {
    const label = (one: unknown) => {
      const option = field.options.find((candidate) => candidate.value === one)
      return option ? localize(option.label, locale) : String(one)
    }
    return Array.isArray(value) ? value.map(label).join('; ') : label(value)
  }
  const titled = field.type === 'link' || field.type === 'member' || field.type === 'department'
  if (titled) return record.titles?.[field.key] ?? String(value)
  if (field.type === 'attachment' && Array.isArray(value)) {
    return value.map((file: { name?: unknown }) => String(file.name ?? '')).join('; ')
  }
  if (Array.isArray(value)) return value.join('; ')
  return String(value)
}

/** Fields whose values are free text (numbers and dates are never formulas). */
function isText(field: FieldDefinition): boolean {
  return !['number', 'money', 'percent', 'date', 'datetime', 'boolean'].includes(field.type)
}

function cell(text: string, guardFormula: boolean): string {
  const safe = guardFormula && /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}
