import { Dec, isDecimalString, type PublishedForm } from '@tessera/core'
import { DEFAULT_MONEY_SCALE } from './to-json-schema.js'

/**
 * Brings validated values into the form they are stored in: text trimmed,
 * money at the field's scale ("12.5" → "12.50"), and an empty value ("" or
 * blank text) of an optional field as null. Keys that are not fields are
 * left alone: validation reports them, this does not hide them.
 *
 * @example
 * normalizeValues(invoice, { number: ' A-1 ', amount: '12.5', note: '' })
 * // { number: 'A-1', amount: '12.50', note: null }
 */
export function normalizeValues(
  form: PublishedForm,
  values: Record<string, unknown>,
): Record<string, unknown> {
  const result = { ...values }

  for (const field of form.definition.fields) {
    if (!Object.hasOwn(result, field.key)) continue

    let value = result[field.key]
    if (typeof value === 'string' && field.type === 'text') value = value.trim()
    if (typeof value === 'string' && value.trim() === '' && !field.required) value = null
    if (field.type === 'money' && isDecimalString(value)) {
      value = fixedScale(value, field.scale ?? DEFAULT_MONEY_SCALE)
    }
    result[field.key] = value
  }
  return result
}

function fixedScale(value: string, scale: number): string {
  const decimal = new Dec(value)
  // "-0" must be stored as "0.00", not "-0.00".
  return (decimal.isZero() ? decimal.abs() : decimal).toFixed(scale)
}
