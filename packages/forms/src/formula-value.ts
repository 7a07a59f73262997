import { Dec, isDecimalString, isIsoDate, type FormulaField } from '@tessera/core'
import { DEFAULT_MONEY_SCALE, percentFractionScale } from './field-defaults.js'

/**
 * Turns what a formula's expression returned into the JSON value of its
 * result type: money and percent as decimal text rounded half up to their
 * scale, numbers as JSON numbers (rounded when a scale is set), dates as
 * "YYYY-MM-DD", yes/no by json-logic truthiness (an empty list is false).
 * Null stays null. Throws an Error saying what came when it does not fit.
 *
 * @example
 * formulaValue({ result: 'money', … }, '12.345') // "12.35"
 */
export function formulaValue(field: FormulaField, raw: unknown): unknown {
  if (raw === null || raw === undefined) return null

  switch (field.result) {
    case 'money':
      return rounded(toDecimal(raw), field.scale ?? DEFAULT_MONEY_SCALE, true)
    case 'percent':
      return rounded(toDecimal(raw), percentFractionScale(field.scale), true)
    case 'number': {
      const value = toDecimal(raw)
      return Number(field.scale === undefined ? value.toString() : rounded(value, field.scale))
    }
    case 'text':
      if (['string', 'number', 'boolean'].includes(typeof raw)) return String(raw)
      throw new Error(`expected text, got ${describe(raw)}`)
    case 'date':
      if (isIsoDate(raw)) return raw
      throw new Error(`expected a date as "YYYY-MM-DD", got ${describe(raw)}`)
    case 'boolean':
      return Array.isArray(raw) ? raw.length > 0 : Boolean(raw)
  }
}

function toDecimal(raw: unknown): Dec {
  if (typeof raw === 'number' && Number.isFinite(raw)) return new Dec(raw)
  if (isDecimalString(raw)) return new Dec(raw)
  throw new Error(`expected a number, got ${describe(raw)}`)
}

function rounded(value: Dec, scale: number, stored = false): string {
  const fixed = value.toDecimalPlaces(scale, Dec.ROUND_HALF_UP)
  // Money and percentages are numeric(20, scale): more digits before the point cannot be stored.
  const digits = STORED_PRECISION - scale
  if (stored && fixed.abs().gte(new Dec(10).pow(digits))) throw new BeyondStorage(digits)
  return (fixed.isZero() ? fixed.abs() : fixed).toFixed(scale)
}

/** Digits a stored amount has in all (money and percentages are numeric(20, scale)). */
const STORED_PRECISION = 20

/** A formula's amount with more digits before the point than its column holds. */
export class BeyondStorage extends Error {
  constructor(readonly digits: number) {
    super(`the result has more than ${digits} digits before the point`)
    this.name = 'BeyondStorage'
  }
}

function describe(raw: unknown): string {
  const text = JSON.stringify(raw) ?? String(raw)
  return text.length > 40 ? `${text.slice(0, 37)}...` : text
}
