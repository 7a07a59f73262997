import { localize } from '@tessera/core'
import type { ChartInput, ChartOption } from './chart-option.js'
import { categoryLabel, toPlotNumber, valueText } from './chart-values.js'
import type { SliceType } from './chart-types.js'

const RADIUS: Record<'pie' | 'donut', [string, string]> = {
  pie: ['0%', '62%'],
  donut: ['38%', '62%'],
}

/** Pie, donut and funnel: the first measure, one slice per dimension value. */
export function sliceOption(input: ChartInput, type: SliceType): ChartOption {
  const { result, dimension, measures, locale, percent } = input
  const measure = measures[0]
  if (!measure || !dimension) return { series: [] }

  const data = result.rows.map((row) => ({
    name: categoryLabel(row[dimension.key], dimension),
    value: toPlotNumber(row[measure.key]) ?? 0,
  }))
  const tooltip = {
    valueFormatter: (_value: unknown, index: number) =>
      valueText(result.rows[index]?.[measure.key], measure, percent),
  }
  const name = localize(measure.label, locale)

  if (type === 'funnel') {
    return {
      tooltip: { trigger: 'item' },
      legend: { type: 'scroll', bottom: 0 },
      series: [{
        id: measure.key,
        name,
        type: 'funnel',
        top: 8,
        bottom: 32,
        left: '10%',
        width: '80%',
        sort: 'descending',
        label: { show: true, position: 'inside' },
        data,
        tooltip,
      }],
    }
  }
  return {
    tooltip: { trigger: 'item' },
    legend: { type: 'scroll', bottom: 0 },
    series: [{
      id: measure.key,
      name,
      type: 'pie',
      radius: RADIUS[type],
      center: ['50%', '45%'],
      label: { formatter: '{b}\n{d}%' },
      data,
      tooltip,
    }],
  }
}
