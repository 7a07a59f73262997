import { describe, expect, it } from 'vitest'
import type { DashboardWidget, ReportResult } from '../api/types.js'
import type { DashboardQuery } from './dashboard-queries.js'
import { chartColumns, kpiColumn, shownRows } from './widget-columns.js'
import { type DashboardConditions, ignoredConditions } from './widget-view.js'

const result: ReportResult = {
  columns: [
    { key: 'bucket', label: '账龄', kind: 'dimension', type: 'text' },
    { key: 'open', label: '未结', kind: 'measure', type: 'money' },
    { key: 'count', label: '张数', kind: 'measure', type: 'integer' },
  ],
  rows: [{ bucket: '1-30天', open: '10.00', count: 2, extra: 'x' }],
  params: {},
}

function widget(fields: Partial<DashboardWidget>): DashboardWidget {
  return { key: 'w', type: 'bar', report: 'aging', layout: { x: 0, y: 0, w: 6, h: 4 }, ...fields }
}

describe('kpiColumn', () => {
  it('takes the named measure, else the first one', () => {
    expect(kpiColumn(widget({ measure: 'count' }), result)).toMatchObject({
      ok: true,
      columns: { key: 'count' },
    })
    expect(kpiColumn(widget({}), result)).toMatchObject({ ok: true, columns: { key: 'open' } })
  })

  it('names a measure the report lacks', () => {
    expect(kpiColumn(widget({ measure: 'overdue' }), result)).toEqual({
      ok: false,
      missing: 'overdue',
    })
  })
})

describe('chartColumns', () => {
  it('defaults to the first dimension and every measure', () => {
    const choice = chartColumns(widget({}), result)
    expect(choice.ok && choice.columns.dimension?.key).toBe('bucket')
    expect(choice.ok && choice.columns.measures.map((column) => column.key)).toEqual([
      'open',
      'count',
    ])
  })

  it('names the first missing column', () => {
    expect(chartColumns(widget({ dimension: 'customer' }), result)).toEqual({
      ok: false,
      missing: 'customer',
    })
    expect(chartColumns(widget({ measures: ['open', 'late'] }), result)).toEqual({
      ok: false,
      missing: 'late',
    })
  })
})

describe('chartColumns at a drill level', () => {
  it('shows the level asked for, and a gauge needs no dimension', () => {
    const choice = chartColumns(widget({ drill: ['bucket'] }), result, 'bucket')
    expect(choice.ok && choice.columns.dimension?.key).toBe('bucket')
    const gauge = chartColumns(widget({ type: 'gauge', measure: 'open' }), {
      ...result,
      columns: result.columns.filter((column) => column.kind === 'measure'),
    })
    expect(gauge.ok && gauge.columns.measures.map((column) => column.key)).toEqual(['open'])
  })
})

describe('shownRows', () => {
  it('keeps the shown columns with their values as the API sent them', () => {
    expect(shownRows(result, result.columns.slice(0, 2))).toEqual([
      { bucket: '1-30天', open: '10.00' },
    ])
  })
})

describe('ignoredConditions', () => {
  const conditions: DashboardConditions = {
    params: [{ key: 'asOf', type: 'date', label: '截止日期' }, { key: 'period', type: 'period', label: '期间' }],
    filters: [
      { key: 'region', type: 'select', field: 'customer.region', label: '区域', fields: { built_x: null } },
      { key: 'customer', type: 'text', field: 'customer.name', label: '客户' },
    ],
  }
  const widget: DashboardWidget = { key: 'w', type: 'bar', report: 'built_x', layout: { x: 0, y: 0, w: 6, h: 4 } }
  const query: DashboardQuery = { params: { asOf: '2026-06-30' }, filters: { region: ['华东'] } }

  it('names the params the report did not take and the set filters its report is left out of', () => {
    const keys = (taken: Record<string, unknown> | undefined, on = widget, asked = query) =>
      ignoredConditions(conditions, on, asked, taken).map((one) => one.key)
    expect(keys({})).toEqual(['asOf', 'period', 'region'])
    expect(keys({ asOf: '2026-06-30', period: { from: '2026-06-01', to: '2026-06-30' } })).toEqual(['region'])
    // Taking some of the params (an aging as of a date) is reading the dashboard's time: nothing said.
    expect(keys({ asOf: '2026-06-30' })).toEqual(['region'])
    // A filter nobody set changes nothing, so it is not named; a widget fixing a param follows its own.
    expect(keys({}, widget, { params: {}, filters: {} })).toEqual(['asOf', 'period'])
    expect(keys({}, { ...widget, params: { asOf: '2026-01-01' } })).toEqual(['region'])
    // Before the first run nothing is known, so nothing is said.
    expect(keys(undefined)).toEqual([])
    expect(keys({}, { ...widget, report: 'other' })).toEqual(['asOf', 'period'])
  })
})
