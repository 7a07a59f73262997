import { localize, type FieldDefinition, type Locale } from '@tessera/core'

/**
 * Where in a record's values a problem sits: the issue's `field` path,
 * the field definition there (if any), and a label naming it for people.
 * Paths are field keys, or for line items `lines[2].amount` (rows counted
 * from 0 in the path, from 1 in labels: 「明细第3行·金额」).
 */
export interface FieldPlace {
  path: string
  field?: FieldDefinition
  label: string
  received: unknown
  /** The label of what holds it: the form, or a line row. */
  container: string
}

export function locateField(
  fields: readonly FieldDefinition[],
  values: Record<string, unknown>,
  segments: readonly string[],
  labels: { form: string; locale: Locale },
): FieldPlace {
  const { locale } = labels
  const [key = '', row, sub] = segments
  const field = fields.find((candidate) => candidate.key === key)
  const label = field ? localize(field.label, locale) : key
  const top = { path: key, field, label, received: values[key], container: labels.form }
  if (row === undefined || field?.type !== 'lines') return top

  const rows = values[key]
  const rowValue = Array.isArray(rows) ? rows[Number(row)] : undefined
  const rowLabel = lineRowLabel(label, Number(row), locale)
  if (sub === undefined) {
    return { path: `${key}[${row}]`, label: rowLabel, received: rowValue, container: label }
  }

  const lineField = field.fields.find((candidate) => candidate.key === sub)
  const subLabel = lineField ? localize(lineField.label, locale) : sub
  const cells = typeof rowValue === 'object' && rowValue !== null ? rowValue : {}
  return {
    path: `${key}[${row}].${sub}`,
    field: lineField,
    label: locale === 'en' ? `${rowLabel}: ${subLabel}` : `${rowLabel}·${subLabel}`,
    received: (cells as Record<string, unknown>)[sub],
    container: rowLabel,
  }
}

/** "明细第3行" / "Items row 3" for the row at index 2. */
export function lineRowLabel(lines: string, index: number, locale: Locale): string {
  return locale === 'en' ? `${lines} row ${index + 1}` : `${lines}第${index + 1}行`
}

/** The field key a path starts with: "lines[2].amount" → "lines". */
export function pathRoot(path: string): string {
  return path.split(/[.[]/)[0]
}

/** JSON Pointer "/lines/2/amount" → ["lines", "2", "amount"], unescaped. */
export function pointerSegments(pointer: string): string[] {
  return pointer
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
}
