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
    // Its length sizes the digits, so a long amount shrinks instead of being cut short.
    expect(html).toContain('--kpi-chars:24')
  })

  it('shows a ratio as a percentage even when the widget does not say percent', () => {
    const rated: ReportResult = {
      columns: [{ key: 'rate', label: '回款率', kind: 'measure', type: 'number', scale: 4, ratio: true }],
      rows: [{ rate: '0.7819' }],
      params: {},
    }
    const html = renderMarkup(<KpiWidget widget={{ ...widget, measure: 'rate' }} result={rated} title="回款率" />)
    expect(html).toContain('>78.19%<')
  })

  it('opens the records behind its figure when it can be clicked, and not when it shows nothing', () => {
    const html = renderMarkup(<KpiWidget widget={widget} result={summary} title="应收总额" onPick={() => undefined} />)
    expect(attribute(html, 'data-clickable')).toBe('true')
    expect(attribute(html, 'role')).toBe('button')
    expect(attribute(html, 'tabindex')).toBe('0')
    expect(attribute(renderMarkup(<KpiWidget widget={widget} result={summary} title="应收总额" />), 'data-clickable')).toBeUndefined()
    const empty = renderMarkup(<KpiWidget widget={widget} result={{ ...summary, rows: [] }} title="应收总额" onPick={() => undefined} />)
    expect(attribute(empty, 'data-clickable')).toBeUndefined()
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

describe('KpiWidget with a comparison', () => {
  const compared: ReportResult = {
    columns: [
      { key: 'rate', label: '回款率', kind: 'measure', type: 'number', scale: 4 },
      { key: 'rate__previous', label: '回款率', kind: 'measure', type: 'number', of: 'rate', role: 'previous' },
      { key: 'rate__change', label: '回款率', kind: 'measure', type: 'number', of: 'rate', role: 'change' },
      { key: 'rate__change_rate', label: '回款率', kind: 'measure', type: 'number', of: 'rate', role: 'change_rate' },
    ],
    rows: [{ rate: '0.2323', rate__previous: '0.2055', rate__change: '0.0268', rate__change_rate: '0.1304' }],
    params: {},
  }

  it('shows a rate as a percentage and its change in percentage points, not as a rate of a rate', () => {
    const kpi = { ...widget, measure: 'rate', percent: true }
    const html = renderMarkup(<KpiWidget widget={kpi} result={compared} title="回款率" />)

    expect(attribute(html, 'data-value')).toBe('0.2323')
    expect(html).toContain('>23.23%<')
    // 23.23 % against 20.55 %: up 2.68 points (a rise of 13.04 % of the rate would read as points).
    expect(attribute(html, 'data-change')).toBe('0.0268')
    // The points are those of the rates as shown: the unrounded change (0.0151 for 5.35 % against
    // 3.83 %, taken before rounding) would not match what the reader subtracts.
    const unrounded = { ...compared, rows: [{ rate: '0.0535', rate__previous: '0.0383', rate__change: '0.0151', rate__change_rate: '0.3949' }] }
    expect(renderMarkup(<KpiWidget widget={kpi} result={unrounded} title="回款率" />)).toContain('▲ 1.52 个百分点')
    expect(html).toContain('kpi-change-up')
    expect(html).toContain('▲ 2.68 个百分点')
    expect(html).toContain('上期 20.55%')
    // Without `better`, lower is good news (receivables, overdue): a rise is bad.
    expect(attribute(html, 'data-news')).toBe('bad')
  })

  it('colours a fall as bad news for a figure where higher is better, and shows other changes as rates', () => {
    const kpi = { ...widget, measure: 'rate', percent: true, better: 'higher' as const }
    expect(attribute(renderMarkup(<KpiWidget widget={kpi} result={compared} title="回款率" />), 'data-news')).toBe('good')
    const falling = { ...compared, rows: [{ ...compared.rows[0], rate: '0.1955', rate__change: '-0.0100', rate__change_rate: '-0.0487' }] }
    const html = renderMarkup(<KpiWidget widget={kpi} result={falling} title="回款率" />)
    expect(attribute(html, 'data-news')).toBe('bad')
    expect(html).toContain('kpi-change-bad')
    expect(html).toContain('▼ 1.00 个百分点')
    // A money figure's change is its rate.
    const money = { ...kpi, percent: false }
    expect(renderMarkup(<KpiWidget widget={money} result={compared} title="回款率" />)).toContain('▲ 13.04%')
    // A fall is told by the arrow alone, not by a minus sign as well.
    const fallen = renderMarkup(<KpiWidget widget={money} result={falling} title="回款率" />)
    expect(fallen).toContain('▼ 4.87%')
    expect(attribute(fallen, 'data-change')).toBe('-0.0487')
  })

  it('says no change in words, not as a dash that reads like a minus sign', () => {
    const kpi = { ...widget, measure: 'rate', percent: true, better: 'higher' as const }
    const same = { ...compared, rows: [{ rate: '0.2055', rate__previous: '0.2055', rate__change: '0.0000', rate__change_rate: '0.0000' }] }
    const html = renderMarkup(<KpiWidget widget={kpi} result={same} title="回款率" />)
    expect(html).toContain('>持平<')
    expect(html).not.toContain('0.00 个百分点')
    expect(html).toContain('kpi-change-flat')
    // Nothing in either period: no rate of change (the server sends none), and no change.
    const money = { ...kpi, percent: false }
    const nothing = { ...compared, rows: [{ rate: '0.00', rate__previous: '0.00', rate__change: '0.00', rate__change_rate: null }] }
    const empty = renderMarkup(<KpiWidget widget={money} result={nothing} title="本期回款" />)
    expect(empty).toContain('>持平<')
    expect(empty).not.toContain('– —')
  })
})
