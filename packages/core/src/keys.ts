import { TesseraError } from './errors.js'

/** Form, field, report and dashboard keys: lower snake case, SQL-safe. */
export const KEY_PATTERN = /^[a-z][a-z0-9_]{0,39}$/

/** App keys may also use hyphens: "customer-settlement". */
export const APP_KEY_PATTERN = /^[a-z][a-z0-9-]{0,39}$/

export function assertKey(value: unknown, what: string, pattern = KEY_PATTERN): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new TesseraError(
      'metadata.invalid',
      `${what} must match ${pattern} (lower case letters, digits, underscores), got ${JSON.stringify(value)}`,
      { details: { what, expected: String(pattern), received: value } },
    )
  }
  return value
}
