import { localize } from '@tessera/core'
import { formatNumber } from '../format/decimal-text.js'
import type { ChartInput, ChartOption } from './chart-option.js'
import { categoryLabel, toPlotNumber, valueText } from './chart-values.js'
import type { CartesianType } from './chart-types.js'

type Row = Record<string, unknown>

/**
 * Categories drawn at once; a chart with more (61 customers of a region)
 * shows the first of them with a slider below to move along the rest, and
 * can be dragged or wheeled through, rather than bars too thin to tell
 * apart or to tap.
 */
export const SHOWN_AT_ONCE = 15

function zoomFor(count: number): { dataZoom: unknown[] } {
  // An empty list, not none: the chart replaces its zoom with it, so a slider
  // left from more categories (a grain changed from days to months) goes.
  if (count <= SHOWN_AT_ONCE) return { dataZoom: [] }
  // By category, not by percent: a percent window takes in a part of one more category, drawn whole.
  const window = { startValue: 0, endValue: SHOWN_AT_ONCE - 1 }
  return {
    dataZoom: [
      { type: 'slider', xAxisIndex: 0, ...window, height: 16, bottom: 6, showDetail: false, brushSelect: false },
      { type: 'inside', xAxisIndex: 0, ...window, zoomOnMouseWheel: false, moveOnMouseWheel: true },
    ],
  }
}

/**
 * How category names sit under the bars: short ones (buckets, months)
 * level and all shown; long ones (customers' names) slanted and cut to
 * 7 em with an ellipsis, every one tried before overlapping ones are left
 * out, so that a customer level shows its names rather than two of them.
 * The tooltip gives the whole name.
 */
export function categoryAxisLabel(labels: readonly string[], narrow = false): Record<string, unknown> {
  // Chinese characters are about twice as wide as Latin ones.
  const width = (text: string) => [...text].reduce((sum, char) => sum + (char.charCodeAt(0) > 0x2e80 ? 2 : 1), 0)
  const longest = Math.max(0, ...labels.map(width))
  // On a phone five aging buckets (90天以上) no longer fit side by side: slanted, each is named.
  const crowded = narrow ? labels.length > 3 && longest > 4 : labels.length > 4 && longest > 8
  return crowded
    ? { interval: 0, rotate: 30, width: 84, overflow: 'truncate', ellipsis: '…', hideOverlap: true }
    : { hideOverlap: true }
}

/** Distinct values of a column, in the order the rows bring them. */
export function distinctValues(rows: Row[], key: string): unknown[] {
  const seen = new Map<string, unknown>()
  for (const row of rows) seen.set(JSON.stringify(row[key] ?? null), row[key] ?? null)
  return [...seen.values()]
}

interface PlottedSeries {
  id: string
  name: string
  /** Per category, the row drawn there (undefined: nothing). */
  rows: Array<Row | undefined>
  measure: ChartInput['measures'][number]
}

/**
 * One series per measure, or, with a series column, one series per value of
 * that column (of the first measure). Categories are the dimension's values.
 */
export function plottedSeries(input: ChartInput): { categories: unknown[]; series: PlottedSeries[] } {
  const { result, dimension, measures, series, locale } = input
  const key = dimension?.key ?? ''
  const categories = distinctValues(result.rows, key)
  const position = new Map(categories.map((value, index) => [JSON.stringify(value), index]))

  if (!series || !measures[0]) {
    return {
      categories,
      series: measures.map((measure) => ({
        id: measure.key,
        name: localize(measure.label, locale),
        rows: result.rows,
        measure,
      })),
    }
  }
  const measure = measures[0]
  return {
    categories,
    series: distinctValues(result.rows, series.key).map((value) => {
      const rows: Array<Row | undefined> = categories.map(() => undefined)
      for (const row of result.rows) {
        if (JSON.stringify(row[series.key] ?? null) !== JSON.stringify(value)) continue
        rows[position.get(JSON.stringify(row[key] ?? null)) ?? 0] = row
      }
      return { id: `${series.key}:${JSON.stringify(value)}`, name: categoryLabel(value, series), rows, measure }
    }),
  }
}

export function cartesianOption(input: ChartInput, type: CartesianType): ChartOption {
  const { dimension, percent } = input
  const { categories, series } = plottedSeries(input)
  const several = series.length > 1
  const kind = type === 'bar' || type === 'stacked_bar' ? 'bar' : 'line'
  const stacked = type === 'stacked_bar'

  const drawn = series.map((one) => ({
    id: one.id,
    name: one.name,
    type: kind,
    ...(stacked ? { stack: 'total' } : {}),
    ...(type === 'area' ? { areaStyle: {} } : {}),
    data: one.rows.map((row) => toPlotNumber(row?.[one.measure.key])),
    tooltip: {
      valueFormatter: (_value: unknown, index: number) =>
        valueText(one.rows[index]?.[one.measure.key], one.measure, percent),
    },
  }))

  const labels = categories.map((value) => (dimension ? categoryLabel(value, dimension) : ''))
  return {
    tooltip: { trigger: 'axis' },
    legend: { show: several, top: 0, type: 'scroll' },
    ...zoomFor(categories.length),
    grid: {
      left: 8,
      right: 16,
      top: several ? 36 : 16,
      bottom: categories.length > SHOWN_AT_ONCE ? 32 : 8,
      outerBoundsMode: 'same',
      outerBoundsContain: 'axisLabel',
    },
    xAxis: {
      type: 'category',
      data: labels,
      axisLabel: categoryAxisLabel(labels, input.narrow),
    },
    yAxis: {
      type: 'value',
      axisLabel: {
        formatter: (value: number) => (percent ? `${formatNumber(value * 100)}%` : formatNumber(value)),
      },
    },
    series: drawn,
  } as ChartOption
}
