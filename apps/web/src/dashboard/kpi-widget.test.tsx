import { describe, expect, it } from 'vitest'
import type { DashboardWidget, ReportResult } from '../api/types.js'
import { attribute, renderMarkup } from '../testing/render-markup.js'
import { KpiWidget } from './kpi-widget.js'

const summary: ReportResult = {
  columns: [
    { key: 'open', label: { 'zh-CN': '未结金额', en: 'Open' }, kind: 'measure', type: 'money' },
    { key: 'invoices', label: '发票数', kind: 'measure', type: 'integer' },
  ],
  rows: [{ open: '9007199254740993.5', invoices: 1234 }],
  params: { asOf: '2013-06-30' },
}

const widget: DashboardWidget = {
  key: 'total',
  type: 'kpi',
  report: 'receivables_summary',
  measure: 'open',
  layout: { x: 0, y: 0, w: 3, h: 2 },
}

describe('KpiWidget', () => {
  it('shows the measure of the first row exactly, and keeps the raw figure in data-value', () => {
    const html = renderMarkup(<KpiWidget widget={widget} result={summary} title="应收总额" />)

    expect(attribute(html, 'data-value')).toBe('9007199254740993.5')
    expect(html).toContain('>9,007,199,254,740,993.50<')
    expect(html).toContain('未结金额')
  })

  it('shows a dash for an empty report, with an empty data-value', () => {
    const empty = { ...summary, rows: [] }
    const html = renderMarkup(<KpiWidget widget={widget} result={empty} title="应收总额" />)

    expect(attribute(html, 'data-value')).toBe('')
    expect(html).toContain('>—<')
  })

  it('names the measure the report does not return', () => {
    const wrong = { ...widget, measure: 'overdue' }
    const html = renderMarkup(<KpiWidget widget={wrong} result={summary} title="x" />)

    expect(html).toContain('报表「receivables_summary」没有返回列「overdue」')
    expect(html).not.toContain('data-value')
  })
})
