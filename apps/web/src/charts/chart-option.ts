import type { Locale } from '@tessera/core'
import type {
  BarSeriesOption,
  FunnelSeriesOption,
  GaugeSeriesOption,
  LineSeriesOption,
  PieSeriesOption,
} from 'echarts/charts'
import type {
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
} from 'echarts/components'
import type { ComposeOption } from 'echarts/core'
import type { ReportColumn, ReportResult } from '../api/types.js'
import { cartesianOption } from './cartesian-option.js'
import { toPlotNumber } from './chart-values.js'
import type { ChartWidgetType } from './chart-types.js'
import { gaugeOption } from './gauge-option.js'
import { sliceOption } from './slice-option.js'

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | PieSeriesOption
  | FunnelSeriesOption
  | GaugeSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
>

export interface ChartInput {
  type: ChartWidgetType
  result: ReportResult
  /** The column naming the categories (x axis, slices); none for a gauge. */
  dimension?: ReportColumn
  /** The columns plotted; slices and gauges show the first. */
  measures: ReportColumn[]
  /** Cartesian charts: the column whose values become the series. */
  series?: ReportColumn
  locale: Locale
  /** Show measures as percentages of 1. */
  percent?: boolean
  /** A gauge's top. */
  max?: number
  /** Drawn on a phone's width: category names are slanted sooner, so none is left out. */
  narrow?: boolean
}

export { categoryLabel, toPlotNumber, valueText } from './chart-values.js'

/**
 * The echarts option of a chart widget. Series carry stable ids (the
 * measure key, or the series value) so that setOption(option,
 * { replaceMerge: ['series'] }) drops series that disappeared instead of
 * leaving them drawn.
 */
export function buildChartOption(input: ChartInput): ChartOption {
  switch (input.type) {
    case 'bar':
    case 'stacked_bar':
    case 'line':
    case 'area':
      return cartesianOption(input, input.type)
    case 'pie':
    case 'donut':
    case 'funnel':
      return sliceOption(input, input.type)
    case 'gauge':
      return gaugeOption(input)
  }
}

/**
 * True when a chart of parts would have nothing to show: every value of its
 * measure is zero or empty. echarts would draw such a pie as equal slices.
 */
export function hasNothingToSlice(input: ChartInput): boolean {
  const measure = input.measures[0]
  if (!measure) return true
  return input.result.rows.every((row) => {
    const value = toPlotNumber(row[measure.key])
    return value === null || value === 0
  })
}
