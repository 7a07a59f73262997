import { localize } from '@tessera/core'
import type { ChartInput, ChartOption } from './chart-option.js'
import { toPlotNumber, valueText } from './chart-values.js'

/**
 * A dial from 0 to `max` (1 for a percent, else 100) showing the first
 * row's first measure; the figure under the pivot is the exact text.
 */
export function gaugeOption(input: ChartInput): ChartOption {
  const { result, measures, locale, percent } = input
  const measure = measures[0]
  if (!measure) return { series: [] }

  const raw = result.rows[0]?.[measure.key]
  const empty = raw === null || raw === undefined || raw === ''
  const max = input.max ?? (percent ? 1 : 100)
  return {
    series: [{
      id: measure.key,
      name: localize(measure.label, locale),
      type: 'gauge',
      min: 0,
      max,
      center: ['50%', '54%'],
      radius: '84%',
      progress: { show: true, width: 12 },
      axisLine: { lineStyle: { width: 12 } },
      axisLabel: {
        distance: 18,
        formatter: (value: number) => (percent ? `${Math.round(value * 100)}%` : String(value)),
      },
      // Figure and name sit in the open arc below the pivot, where the needle never points.
      detail: { valueAnimation: false, formatter: () => (empty ? '—' : valueText(raw, measure, percent)), fontSize: 20,
        offsetCenter: [0, '58%'] },
      title: { offsetCenter: [0, '86%'], fontSize: 13, color: '#8c8c8c' },
      // No figure, no needle: a needle at 0 would read as a figure of 0.
      pointer: { show: !empty },
      data: [{ value: toPlotNumber(raw) ?? 0, name: localize(measure.label, locale) }],
    }],
    // A small card has no room for the scale's numbers: the arc and the figure say enough.
    media: [{
      query: { maxWidth: SMALL.width },
      option: { series: [{ id: measure.key, axisLabel: { show: false }, title: { show: false }, detail: { fontSize: 16 } }] },
    }, {
      query: { maxHeight: SMALL.height },
      option: { series: [{ id: measure.key, axisLabel: { show: false }, title: { show: false }, detail: { fontSize: 16 } }] },
    }],
  }
}

/** Below this width or height (px) a gauge leaves out its scale's numbers and its name. */
const SMALL = { width: 300, height: 220 }
