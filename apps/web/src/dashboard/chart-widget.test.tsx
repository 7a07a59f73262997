import { describe, expect, it } from 'vitest'
import { AGING_RESULT } from '../../test/chart-fixtures.js'
import type { DashboardWidget } from '../api/types.js'
import { attribute, renderMarkup } from '../testing/render-markup.js'
import { ChartWidget } from './chart-widget.js'

const widget: DashboardWidget = {
  key: 'aging',
  type: 'bar',
  report: 'aging_buckets',
  dimension: 'bucket',
  measures: ['open'],
  layout: { x: 0, y: 2, w: 6, h: 5 },
}

describe('ChartWidget', () => {
  it('puts the plotted figures in the DOM: exact JSON and a hidden table', () => {
    const html = renderMarkup(
      <ChartWidget type="bar" widget={widget} result={AGING_RESULT} title="账龄分布" />,
    )

    expect(JSON.parse(attribute(html, 'data-rows') ?? 'null')).toEqual(
      AGING_RESULT.rows.map((row) => ({ bucket: row.bucket, open: row.open })),
    )
    expect(html).toContain('class="visually-hidden"')
    expect(html).toContain('<td data-column="open">9,007,199,254,740,993.01</td>')
    expect(html).toContain('<td data-column="bucket">1-30天</td>')
    expect(html).not.toContain('overdue')
  })

  it('names a measure the report lacks instead of drawing', () => {
    const wrong = { ...widget, measures: ['late'] }
    const html = renderMarkup(
      <ChartWidget type="pie" widget={wrong} result={AGING_RESULT} title="x" />,
    )

    expect(html).toContain('没有返回列「late」')
    expect(html).not.toContain('data-rows')
  })

  it('reads a widget in percent as percentages in its hidden table too', () => {
    const rate = {
      columns: [{ key: 'rate', label: '回款率', kind: 'measure' as const, type: 'number' as const, scale: 4, ratio: true }],
      rows: [{ rate: '0.0535' }],
      params: {},
    }
    const gauge: DashboardWidget = { key: 'g', type: 'gauge', report: 'r', measure: 'rate', percent: true, layout: widget.layout }
    const html = renderMarkup(<ChartWidget type="gauge" widget={gauge} result={rate} title="回款率" />)
    expect(html).toContain('<td data-column="rate">5.35%</td>')
  })
})
