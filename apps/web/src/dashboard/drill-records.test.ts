import { describe, expect, it } from 'vitest'
import { parseRoute, routeHref } from '../routing/route.js'
import { drillListRoute, nextDrillStep } from './drill-records.js'

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
})
