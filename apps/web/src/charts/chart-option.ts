import type { Locale } from '@tessera/core'
import { localize } from '@tessera/core'
import type { BarSeriesOption, LineSeriesOption, PieSeriesOption } from 'echarts/charts'
import type {
  GridComponentOption,
  LegendComponentOption,
  TooltipComponentOption,
} from 'echarts/components'
import type { ComposeOption } from 'echarts/core'
import type { ReportColumn, ReportResult } from '../api/types.js'
import { formatNumber } from '../format/decimal-text.js'
import { formatReportValue } from '../format/display-value.js'
import type { ChartWidgetType } from './chart-types.js'

export type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | PieSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TooltipComponentOption
>

export interface ChartInput {
  type: ChartWidgetType
  result: ReportResult
  /** The column naming the categories (x axis, pie slices). */
  dimension: ReportColumn
  /** The columns plotted; a pie shows the first. */
  measures: ReportColumn[]
  locale: Locale
}

/**
 * Bar and pie geometry needs numbers, so the plotted heights and angles
 * come from Number(). Every figure shown as text (tooltips, the
 * accessible table beside the chart) is formatted from the exact string.
 */
export function toPlotNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value !== 'string' || value.trim() === '') return null
  const number = Number(value)
  return Number.isFinite(number) ? number : null
}

export function categoryLabel(value: unknown, column: ReportColumn): string {
  return value === null || value === undefined ? '—' : formatReportValue(value, column.type)
}

/**
 * The echarts option of a chart widget. Series carry the measure key as a
 * stable id so that setOption(option, { replaceMerge: ['series'] }) drops
 * series that disappeared instead of leaving them drawn.
 */
export function buildChartOption(input: ChartInput): ChartOption {
  switch (input.type) {
    case 'bar':
    case 'line':
      return cartesianOption(input, input.type)
    case 'pie':
      return pieOption(input)
  }
}

function exactFormatter(input: ChartInput, measure: ReportColumn) {
  return (_value: unknown, dataIndex: number): string =>
    formatReportValue(input.result.rows[dataIndex]?.[measure.key], measure.type)
}

function cartesianOption(input: ChartInput, type: 'bar' | 'line'): ChartOption {
  const { result, dimension, measures, locale } = input
  const several = measures.length > 1

  const series = measures.map((measure) => ({
    id: measure.key,
    name: localize(measure.label, locale),
    type,
    data: result.rows.map((row) => toPlotNumber(row[measure.key])),
    tooltip: { valueFormatter: exactFormatter(input, measure) },
  }))

  return {
    tooltip: { trigger: 'axis' },
    legend: { show: several, top: 0, type: 'scroll' },
    grid: {
      left: 8,
      right: 16,
      top: several ? 36 : 16,
      bottom: 8,
      outerBoundsMode: 'same',
      outerBoundsContain: 'axisLabel',
    },
    xAxis: {
      type: 'category',
      data: result.rows.map((row) => categoryLabel(row[dimension.key], dimension)),
      axisLabel: { hideOverlap: true },
    },
    yAxis: {
      type: 'value',
      axisLabel: { formatter: (value: number) => formatNumber(value) },
    },
    series,
  }
}

function pieOption(input: ChartInput): ChartOption {
  const { result, dimension, measures, locale } = input
  const measure = measures[0]
  if (!measure) return { series: [] }

  return {
    tooltip: { trigger: 'item' },
    legend: { type: 'scroll', bottom: 0 },
    series: [
      {
        id: measure.key,
        name: localize(measure.label, locale),
        type: 'pie',
        radius: ['35%', '62%'],
        center: ['50%', '45%'],
        label: { formatter: '{b}\n{d}%' },
        data: result.rows.map((row) => ({
          name: categoryLabel(row[dimension.key], dimension),
          value: toPlotNumber(row[measure.key]) ?? '-',
        })),
        tooltip: { valueFormatter: exactFormatter(input, measure) },
      },
    ],
  }
}
