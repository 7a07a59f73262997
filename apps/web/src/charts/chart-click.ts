import type { ReportColumn } from '../api/types.js'
import { distinctValues } from './cartesian-option.js'
import type { ChartInput } from './chart-option.js'

type Row = Record<string, unknown>

/**
 * The dimension values a click names, as the drill API takes them: a
 * bucket by its index (`bucket__index`), the "others" row of a top-N
 * report as `<key>__others: true` (every value outside the top n),
 * anything else by its value.
 *
 * @example
 * pickOf({ bucket: '31–60', bucket__index: 2 }, bucketColumn) // → { bucket__index: 2 }
 * pickOf({ customer: '其他' }, customerColumn)               // → { customer__others: true }
 */
export function pickOf(row: Row, column: ReportColumn): Record<string, unknown> | undefined {
  const value = row[column.key] ?? null
  if (column.others !== undefined && value === column.others) return { [`${column.key}__others`]: true }
  const index = row[`${column.key}__index`]
  if (column.buckets && index !== undefined) return { [`${column.key}__index`]: index }
  return { [column.key]: value }
}

/** What a click on a chart's data point names: its category and, if split, its series. */
export function clickedValues(
  input: ChartInput,
  dataIndex: number,
  seriesIndex: number,
): Record<string, unknown> | undefined {
  const { result, dimension, series, type } = input
  if (type === 'gauge' || !dimension) return {}

  const sliced = type === 'pie' || type === 'donut' || type === 'funnel'
  const category = sliced
    ? result.rows[dataIndex]?.[dimension.key] ?? null
    : distinctValues(result.rows, dimension.key)[dataIndex]
  const seriesValue = series ? distinctValues(result.rows, series.key)[seriesIndex] : undefined
  const row = result.rows.find((candidate) =>
    same(candidate[dimension.key], category) &&
    (!series || same(candidate[series.key], seriesValue)))
  if (!row) return undefined

  const picked = pickOf(row, dimension)
  const split = series ? pickOf(row, series) : {}
  return picked && split ? { ...picked, ...split } : undefined
}

/**
 * The measure a click on a chart lands on: the clicked series of a chart
 * plotting several measures side by side; the one plotted otherwise.
 */
export function clickedMeasure(input: ChartInput, seriesIndex: number): string | undefined {
  const { measures, series, type } = input
  const sideBySide = !series && (type === 'bar' || type === 'stacked_bar' || type === 'line' || type === 'area')
  return (sideBySide ? measures[seriesIndex] : measures[0])?.key
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
}
