import { describe, expect, it } from 'vitest'
import type { DrillResult } from '../api/types.js'
import { parseRoute, routeHref } from '../routing/route.js'
import { nextDrillStep, recordListRoute } from './drill-records.js'

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

describe('recordListRoute', () => {
  const drill = (ids: number[]): DrillResult => ({
    form: 'invoice',
    total: ids.length,
    columns: [],
    params: {},
    rows: ids.map((id) => ({ id, __title: `I${id}` })),
  })

  it('filters the source form\'s list to exactly the drilled ids, surviving the URL', () => {
    const route = recordListRoute('crm', drill([3, 8, 13]))
    expect(route).toEqual({
      name: 'list',
      app: 'crm',
      form: 'invoice',
      query: { filter: '{"in":[{"var":"id"},[3,8,13]]}' },
    })
    expect(parseRoute(routeHref(route))).toEqual(route)
  })

  it('keeps an empty drill empty', () => {
    expect(recordListRoute('crm', drill([])).query?.filter).toBe('{"==":[{"var":"id"},0]}')
  })
})
