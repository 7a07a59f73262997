import { Dec, isDecimalString, isIsoDate, type RollupField } from '@tessera/core'
import { storedAs } from './computed-fields.js'
import { normalizeValue } from './normalize-values.js'

/**
 * A rollup's value over rows already in memory (line items), the way SQL
 * computes it over stored rows: `sum` exactly with decimals (0 for no
 * rows), `count` of rows, `min`/`max` of the non-empty values (empty for
 * none), then stored like the rollup's result ("12.50", 3, "2025-03-01").
 *
 * @example
 * aggregateRows(total, [{ amount: '1.10' }, { amount: '2.20' }]) // "3.30"
 */
export function aggregateRows(field: RollupField, rows: readonly Record<string, unknown>[]): unknown {
  if (field.agg === 'count') return rows.length

  const values = rows.map((row) => row[field.field ?? '']).filter((value) => !isEmpty(value))
  const stored = storedAs(field)
  if (stored.type === 'date') return extremeDate(field.agg, values.filter(isIsoDate))

  const decimals = values.filter(isNumeric).map((value) => new Dec(value))
  let result: Dec | undefined
  if (field.agg === 'sum') result = decimals.reduce((sum, value) => sum.plus(value), new Dec(0))
  else if (decimals.length > 0) result = field.agg === 'min' ? Dec.min(...decimals) : Dec.max(...decimals)
  if (result === undefined) return null

  return normalizeValue(stored, stored.type === 'number' ? numberOf(result, stored.scale) : result.toFixed())
}

/** The value of a rollup over no rows at all: 0 for sum and count, else empty. */
export function emptyAggregate(field: RollupField): unknown {
  return field.agg === 'sum' || field.agg === 'count' ? aggregateRows(field, []) : null
}

function extremeDate(agg: string, dates: string[]): string | null {
  if (dates.length === 0) return null
  const sorted = [...dates].sort()
  return agg === 'min' ? sorted[0] : sorted[sorted.length - 1]
}

function numberOf(value: Dec, scale: number | undefined): number {
  return Number(scale === undefined ? value.toString() : value.toFixed(scale))
}

function isNumeric(value: unknown): value is string | number {
  return (typeof value === 'number' && Number.isFinite(value)) || isDecimalString(value)
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === ''
}
