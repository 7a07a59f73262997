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
      // Many slices (a region's customers) would heap their labels on one another: the thin ones
      // go unlabelled, and the legend and tooltip still name them.
      minShowLabelAngle: data.length > MANY_SLICES ? 5 : 0,
      data,
      tooltip,
    }],
    // On a phone the labels around the slices have no room and are cut to
    // "61–…": the legend names every slice with its share instead, on as
    // many lines as it takes, and the slices go unlabelled.
    media: [{
      query: { maxWidth: NARROW },
      option: {
        // Up to six slices the legend wraps onto a few lines; more would climb over the chart, so they page.
        legend: { type: data.length > MAX_WRAPPED ? 'scroll' : 'plain', bottom: 0,
          formatter: (slice: string) => `${slice} ${shareOf(data, slice)}` },
        series: [{ id: measure.key, center: ['50%', '40%'], radius: narrowRadius(type), label: { show: false }, labelLine: { show: false } }],
      },
    }],
  }
}

/** Below this width (px) a pie or donut labels its slices in the legend. */
const NARROW = 440
/** Above this many slices, only those wide enough for a label get one. */
const MANY_SLICES = 12
/** The most slices a narrow legend shows wrapped onto lines at once. */
const MAX_WRAPPED = 6

function narrowRadius(type: 'pie' | 'donut'): [string, string] {
  return type === 'pie' ? ['0%', '58%'] : ['34%', '58%']
}

/** A slice's share of the whole to two decimals ("14.13%"), for the legend. */
export function shareOf(data: ReadonlyArray<{ name: string; value: number }>, slice: string): string {
  const total = data.reduce((sum, one) => sum + Math.max(one.value, 0), 0)
  const value = data.find((one) => one.name === slice)?.value ?? 0
  return total > 0 ? `${((Math.max(value, 0) / total) * 100).toFixed(2)}%` : ''
}
