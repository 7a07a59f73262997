import { describe, expect, it } from 'vitest'
import { parseRoute, routeHref } from '../routing/route.js'
import type { ReportColumn } from '../api/types.js'
import { drillListRoute, nextDrillStep, pathCaption } from './drill-records.js'

describe('nextDrillStep', () => {
  it('goes down the levels with each clicked value, then to the records', () => {
    const levels = ['region', 'customer']
    const first = nextDrillStep(levels, { path: {} }, { region: '华东' })
    expect(first).toEqual({ kind: 'level', level: 'customer', path: { region: '华东' } })

    const last = nextDrillStep(levels, { level: 'customer', path: { region: '华东' } }, { customer: '甲' })
    expect(last).toEqual({ kind: 'records', path: { region: '华东', customer: '甲' } })
  })

  it('opens the records at once for a widget without levels', () => {
    expect(nextDrillStep(undefined, { path: {} }, { bucket__index: 2 }))
      .toEqual({ kind: 'records', path: { bucket__index: 2 } })
  })
})

describe('drillListRoute', () => {
  it('opens the source form\'s list on the drill, the clicked measure included, surviving the URL', () => {
    const route = drillListRoute('crm', 'invoice', {
      dashboard: 'receivables', widget: 'by_region', params: { asOf: '2026-06-30' }, filters: {},
      path: { region: '华东' }, measure: 'overdue',
    })
    expect(JSON.parse(route.query?.drill ?? '{}')).toEqual({
      dashboard: 'receivables', widget: 'by_region', params: { asOf: '2026-06-30' }, filters: {},
      path: { region: '华东' }, measure: 'overdue',
    })
    expect(parseRoute(routeHref(route))).toEqual(route)
    const whole = drillListRoute('crm', 'invoice', { dashboard: 'd', widget: 'w', params: {}, filters: {}, path: {} })
    expect(JSON.parse(whole.query?.drill ?? '{}')).not.toHaveProperty('measure')
  })

  it('names a report instead of a dashboard for a cell of a report\'s own page, without dashboard filters', () => {
    const route = drillListRoute('crm', 'invoice', {
      report: 'aging', params: { asOf: '2026-06-30' }, path: { customer: '甲', bucket__index: 4 },
    })
    expect(JSON.parse(route.query?.drill ?? '{}')).toEqual({
      report: 'aging', params: { asOf: '2026-06-30' }, path: { customer: '甲', bucket__index: 4 },
    })
    expect(parseRoute(routeHref(route))).toEqual(route)
  })
})

describe('pathCaption', () => {
  it('shows a drill path as the chart labelled it', () => {
    const columns: ReportColumn[] = [
      { key: 'region', label: '区域', kind: 'dimension', type: 'text' },
      { key: 'bucket', label: '账龄', kind: 'dimension', type: 'text', buckets: ['未到期', '1–30天', '31–60天'] },
      { key: 'customer', label: '客户', kind: 'dimension', type: 'text', others: '其他客户' },
      { key: 'delivery', label: '送达', kind: 'dimension', type: 'text', choices: { paper: '纸质' } },
    ]
    expect(pathCaption({ region: '华东', bucket__index: 2 }, columns)).toEqual(['华东', '31–60天'])
    expect(pathCaption({ customer__others: true, delivery: 'paper' }, columns)).toEqual(['其他客户', '纸质'])
    // A label beside its index is said once; an empty group is a dash.
    expect(pathCaption({ bucket: '未到期', bucket__index: 0, region: null }, columns)).toEqual(['未到期', '—'])
    // So is an empty text (a ledger's opening line has no kind).
    expect(pathCaption({ region: '' }, columns)).toEqual(['—'])
  })
})

describe('the way back from a drilled list', () => {
  it('carries the dashboard\'s drills, so that its back link finds the widgets where they were', () => {
    const drills = { by_region: { level: 'customer', path: { region: '华南' } } }
    const route = drillListRoute('a', 'invoice', {
      dashboard: 'receivables', widget: 'by_region', params: { asOf: '2026-06-30' }, filters: {},
      path: { region: '华南', customer: '甲' }, drills,
    })
    const drill = JSON.parse(route.query?.drill ?? '{}')
    expect(drill.drills).toEqual(drills)
    // What was clicked is said by the server from the path, not carried (a link's caption could say anything).
    expect(drill).not.toHaveProperty('caption')
    // Nothing drilled, nothing carried.
    const plain = JSON.parse(drillListRoute('a', 'invoice', { dashboard: 'd', widget: 'w', params: {}, filters: {}, path: {}, drills: {} })
      .query?.drill ?? '{}')
    expect(plain).not.toHaveProperty('drills')
  })
})
