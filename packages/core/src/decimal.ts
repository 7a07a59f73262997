import Decimal from 'decimal.js'

/**
 * Money and decimals travel as strings and are computed with decimal.js,
 * never with floats. This instance is the one every package uses.
 */
export const Dec = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP })
export type Dec = Decimal

const DECIMAL_TEXT = /^-?\d+(\.\d+)?$/

export function isDecimalString(value: unknown): value is string {
  return typeof value === 'string' && DECIMAL_TEXT.test(value)
}

/** Sums decimal strings exactly; null and undefined count as nothing. */
export function sumDecimals(values: Iterable<string | null | undefined>, scale = 2): string {
  let total = new Dec(0)
  for (const value of values) {
    if (value === null || value === undefined) continue
    total = total.plus(value)
  }
  return total.toFixed(scale)
}

/** A decimal string with exactly `scale` digits after the point. */
export function formatDecimal(value: string | number | Dec, scale = 2): string {
  return new Dec(value).toFixed(scale)
}
