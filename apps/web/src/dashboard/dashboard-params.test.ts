import { describe, expect, it } from 'vitest'
import type { DashboardParam } from '../api/types.js'
import { resolveDashboardParams, widgetParams } from './dashboard-params.js'

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
