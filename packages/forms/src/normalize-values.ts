import { Dec, isDecimalString, type FieldDefinition, type PublishedForm } from '@tessera/core'
import { isComputed } from './computed-fields.js'
import { isTextKind, TEXT_KINDS } from './kinds/text-kinds.js'
import { DEFAULT_MONEY_SCALE, percentFractionScale } from './field-defaults.js'

/**
 * Brings validated values into the form they are stored in: text trimmed,
 * money and percentages at their scale ("12.5" → "12.50"), phone numbers,
 * e-mail addresses, bank accounts, regions, credit codes and date-times
 * in their canonical spelling, multiple choices in the order of the
 * options, line items row by row, and an empty value ("", blank text,
 * an empty list) of an optional field as null (of line items: no rows,
 * []). Values sent for computed fields are dropped:
 * the platform computes them. Keys that are not fields are left alone:
 * validation reports them, this does not hide them.
 *
 * @example
 * normalizeValues(invoice, { number: ' A-1 ', amount: '12.5', note: '' })
 * // { number: 'A-1', amount: '12.50', note: null }
 */
export function normalizeValues(
  form: PublishedForm,
  values: Record<string, unknown>,
): Record<string, unknown> {
  return normalizeFields(form.definition.fields, values)
}

function normalizeFields(
  fields: readonly FieldDefinition[],
  values: Record<string, unknown>,
): Record<string, unknown> {
  const result = { ...values }
  for (const field of fields) {
    if (!Object.hasOwn(result, field.key)) continue
    if (isComputed(field)) delete result[field.key]
    else result[field.key] = normalizeValue(field, result[field.key])
  }
  return result
}

/** One field's value as it is stored; see normalizeValues. Line items: a list, empty when none. */
export function normalizeValue(field: FieldDefinition, raw: unknown): unknown {
  if (field.type === 'lines') {
    if (!Array.isArray(raw)) return []
    return raw.map((row: Record<string, unknown>) => normalizeFields(field.fields, row))
  }

  let value = raw
  if (typeof value === 'string' && field.type === 'text') value = value.trim()
  if (isEmptyValue(value) && !field.required) return null

  if (field.type === 'money' && isDecimalString(value)) {
    return fixedScale(value, field.scale ?? DEFAULT_MONEY_SCALE)
  }
  if (field.type === 'percent' && isDecimalString(value)) {
    return fixedScale(value, percentFractionScale(field.scale))
  }
  if (field.type === 'multiselect' && Array.isArray(value)) {
    const order = field.options.map((option) => option.value)
    return [...value].sort((a, b) => order.indexOf(a) - order.indexOf(b))
  }
  if (isTextKind(field.type) && typeof value === 'string') {
    return TEXT_KINDS[field.type].normalize(value)
  }
  return value
}

function isEmptyValue(value: unknown): boolean {
  if (typeof value === 'string') return value.trim() === ''
  return Array.isArray(value) && value.length === 0
}

function fixedScale(value: string, scale: number): string {
  const decimal = new Dec(value)
  // "-0" must be stored as "0.00", not "-0.00".
  return (decimal.isZero() ? decimal.abs() : decimal).toFixed(scale)
}
