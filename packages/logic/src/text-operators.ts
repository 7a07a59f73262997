import { describe, isNil, logicError } from './logic-error.js'
import type { OperatorTable } from './operator.js'

/**
 * Text helpers. `trim`, `upper` and `lower` pass null through and read
 * numbers and booleans as their text; `blank` is true for null, missing,
 * empty and whitespace-only text.
 *
 * @example
 * { "upper": { "trim": { "var": "code" } } }   // " ab1 " → "AB1"
 */
export const TEXT_OPERATORS: OperatorTable = {
  trim: (value) => mapText('trim', value, (text) => text.trim()),
  upper: (value) => mapText('upper', value, (text) => text.toUpperCase()),
  lower: (value) => mapText('lower', value, (text) => text.toLowerCase()),
  blank: (value) => isNil(value) || (typeof value === 'string' && value.trim() === ''),
}

function mapText(
  operator: string,
  value: unknown,
  change: (text: string) => string,
): string | null {
  if (isNil(value)) return null
  if (typeof value === 'string') return change(value)
  if (typeof value === 'number' || typeof value === 'boolean') return change(String(value))
  throw logicError(operator, `expected text, got ${describe(value)}`)
}
