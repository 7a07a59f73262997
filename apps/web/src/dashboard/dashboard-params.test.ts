import { describe, expect, it } from 'vitest'
import type { DashboardParam } from '../api/types.js'
import {
  paramProblems,
  readDrills,
  readFilters,
  resolveDashboardParams,
  widgetParams,
  withoutDrills,
  writeDrills,
  writeFilters,
} from './dashboard-params.js'

const asOf: DashboardParam = { key: 'asOf', type: 'date', label: '截止日期', default: 'today' }
const region: DashboardParam = { key: 'region', type: 'text', label: '地区', default: '华东' }

describe('resolveDashboardParams', () => {
  it('takes the URL value, else the default, with today from settings', () => {
    expect(resolveDashboardParams([asOf, region], {}, '2026-12-05')).toEqual({
      asOf: '2026-12-05',
      region: '华东',
    })
    expect(resolveDashboardParams([asOf], { asOf: '2013-06-30' }, undefined)).toEqual({
      asOf: '2013-06-30',
    })
  })

  it('waits while today is unknown rather than run reports for a wrong date', () => {
    expect(resolveDashboardParams([asOf], {}, undefined)).toBeUndefined()
  })

  it('leaves out parameters without a value', () => {
    const free: DashboardParam = { key: 'q', type: 'text', label: 'q' }
    expect(resolveDashboardParams([free], { other: 'x' }, '2026-12-05')).toEqual({})
  })
})

describe('widgetParams', () => {
  it('lays the widget’s fixed parameters over the dashboard’s', () => {
    const widget = {
      key: 'w',
      type: 'kpi',
      report: 'r',
      params: { bucket: '90+' },
      layout: { x: 0, y: 0, w: 3, h: 2 },
    }
    expect(widgetParams(widget, { asOf: '2013-06-30', bucket: 'all' })).toEqual({
      asOf: '2013-06-30',
      bucket: '90+',
    })
  })
})

describe('periods and global filters in the URL', () => {
  it('resolves a period default to the whole calendar period around today', () => {
    const params = [
      { key: 'period', type: 'period', label: '期间', default: 'last_month' },
      { key: 'fixed', type: 'period', label: '固定', default: '2024-01-01..2024-01-31' },
    ]
    expect(resolveDashboardParams(params, {}, '2024-03-15')).toEqual({
      period: '2024-02-01..2024-02-29',
      fixed: '2024-01-01..2024-01-31',
    })
    expect(resolveDashboardParams(params, {}, undefined)).toBeUndefined()
    expect(resolveDashboardParams(params, { period: '2024-01-01..2024-01-07' }, '2024-03-15'))
      .toMatchObject({ period: '2024-01-01..2024-01-07' })
  })

  it('puts a period default around the as-of date, when the board has one and it is chosen', () => {
    const period: DashboardParam = { key: 'period', type: 'period', label: '期间', default: 'month_to_date' }
    // Declared before the date: still around it.
    expect(resolveDashboardParams([period, asOf], { asOf: '2026-06-30' }, '2026-12-05')).toEqual({
      asOf: '2026-06-30',
      period: '2026-06-01..2026-06-30',
    })
    expect(resolveDashboardParams([asOf, period], {}, '2026-12-05')).toEqual({
      asOf: '2026-12-05',
      period: '2026-12-01..2026-12-05',
    })
    // A chosen period stays; an as-of that is no date leaves the period around today.
    expect(resolveDashboardParams([asOf, period], { asOf: '2026-06-30', period: '2026-01-01..2026-01-31' }, '2026-12-05'))
      .toMatchObject({ period: '2026-01-01..2026-01-31' })
    expect(resolveDashboardParams([asOf, period], { asOf: 'soon' }, '2026-12-05'))
      .toMatchObject({ period: '2026-12-01..2026-12-05' })
  })

  it('keeps filter values as JSON, dropping empty ones and ignoring garbage', () => {
    const query = writeFilters({ asOf: '2024-06-30' }, { region: ['华东', '华北'], customer: [] })
    expect(query).toEqual({ asOf: '2024-06-30', filters: '{"region":["华东","华北"]}' })
    expect(readFilters(query)).toEqual({ region: ['华东', '华北'] })
    expect(writeFilters(query, { region: [] })).toEqual({ asOf: '2024-06-30' })
    expect(readFilters({ filters: '{oops' })).toEqual({})
    expect(readFilters({ filters: '{"region":"华东","n":[1]}' })).toEqual({ region: ['华东'] })
    // A link may give a filter as the widget API takes it; changing filters folds it into the JSON.
    expect(readFilters({ asOf: '2026-06-30', 'f.region': '华东' })).toEqual({ region: ['华东'] })
    expect(readFilters({ filters: '{"region":["华北"]}', 'f.region': '华东', 'f.customer': '' })).toEqual({ region: ['华北', '华东'] })
    expect(writeFilters({ asOf: '2026-06-30', 'f.region': '华东' }, { region: ['华东', '华南'] }))
      .toEqual({ asOf: '2026-06-30', filters: '{"region":["华东","华南"]}' })
  })

  it('names the params whose values no report takes, once, by their label', () => {
    const params = [
      { key: 'asOf', type: 'date' as const, label: '截止日期' },
      { key: 'period', type: 'period' as const, label: '期间' },
      { key: 'who', type: 'text' as const, label: '谁' },
    ]
    const wrong = (values: Record<string, string>) => paramProblems(params, values).map((one) => [one.param.key, one.expected])
    expect(wrong({ asOf: '2026-06-30', period: '2026-06-01..2026-06-30', who: 'anything' })).toEqual([])
    expect(wrong({ asOf: '2026-02-30' })).toEqual([['asOf', 'date']])
    expect(wrong({ asOf: '1899-12-31' })).toEqual([['asOf', 'date']])
    expect(wrong({ asOf: '9999-12-31' })).toEqual([])
    expect(wrong({ period: 'last_month' })).toEqual([['period', 'period']])
    expect(wrong({ period: '2026-06-30..2026-06-01' })).toEqual([['period', 'period']])
    expect(wrong({ period: '2026-06-01..2026-06-30..2026-07-01' })).toEqual([['period', 'period']])
  })
})

describe('drills in the URL', () => {
  it('keeps each drilled widget\'s level and path, drops those at the top, and reads junk as none', () => {
    const query = writeDrills({ asOf: '2026-06-30' }, {
      by_region: { level: 'customer', path: { region: '华东' } },
      aging: { path: {} },
    })
    expect(query).toEqual({ asOf: '2026-06-30', drills: '{"by_region":{"level":"customer","path":{"region":"华东"}}}' })
    expect(readDrills(query)).toEqual({ by_region: { level: 'customer', path: { region: '华东' } } })
    expect(writeDrills(query, { by_region: { path: {} } })).toEqual({ asOf: '2026-06-30' })
    expect(withoutDrills(query)).toEqual({ asOf: '2026-06-30' })
    expect(readDrills({ drills: '{oops' })).toEqual({})
    expect(readDrills({ drills: '{"a":{"path":[1]},"b":7}' })).toEqual({})
  })
})
