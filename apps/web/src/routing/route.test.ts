import { describe, expect, it } from 'vitest'
import { parseRoute, routeHref, type Route } from './route.js'

describe('parseRoute', () => {
  it('reads every place of the app', () => {
    expect(parseRoute('')).toEqual({ name: 'home', query: {} })
    expect(parseRoute('#/')).toEqual({ name: 'home', query: {} })
    expect(parseRoute('#/apps/customer-settlement')).toEqual({
      name: 'app',
      app: 'customer-settlement',
      query: {},
    })
    expect(parseRoute('#/apps/crm/dashboards/receivables?asOf=2013-06-30')).toEqual({
      name: 'dashboard',
      app: 'crm',
      key: 'receivables',
      query: { asOf: '2013-06-30' },
    })
    expect(parseRoute('#/apps/crm/reports/aging?asOf=2013-06-30')).toEqual({
      name: 'report',
      app: 'crm',
      key: 'aging',
      query: { asOf: '2013-06-30' },
    })
    expect(parseRoute('#/apps/crm/reports/aging/extra').name).toBe('not-found')
    expect(parseRoute('#/apps/crm/forms/invoice?page=2&sort=-amount')).toEqual({
      name: 'list',
      app: 'crm',
      form: 'invoice',
      query: { page: '2', sort: '-amount' },
    })
    expect(parseRoute('#/apps/crm/forms/invoice/new')).toMatchObject({
      name: 'new',
      form: 'invoice',
    })
    expect(parseRoute('#/apps/crm/forms/invoice/42')).toMatchObject({ name: 'record', id: 42 })
    expect(parseRoute('#/apps/crm/builder?dashboard=sales')).toEqual({
      name: 'builder',
      app: 'crm',
      query: { dashboard: 'sales' },
    })
    expect(parseRoute('#/apps/crm/builder/extra')).toMatchObject({ name: 'not-found' })
    expect(parseRoute('#/apps/crm/form-builder?new=1')).toEqual({
      name: 'form-designs', app: 'crm', query: { new: '1' },
    })
    expect(parseRoute('#/apps/crm/form-builder/order')).toEqual({
      name: 'form-builder', app: 'crm', form: 'order', query: {},
    })
    expect(parseRoute('#/apps/crm/form-builder/order/x')).toMatchObject({ name: 'not-found' })
  })

  it('sends anything else to not-found instead of guessing', () => {
    for (const hash of [
      '#/nope',
      '#/apps/crm/forms/invoice/abc',
      '#/apps/crm/forms/invoice/0',
      '#/apps/crm/forms/invoice/1/extra',
      '#/apps/crm/reports',
      '#/apps/%E0%A4%A',
    ]) {
      expect(parseRoute(hash).name, hash).toBe('not-found')
    }
  })

  it('gives back every route it printed', () => {
    const routes: Route[] = [
      { name: 'home', query: {} },
      { name: 'app', app: 'customer-settlement', query: {} },
      { name: 'dashboard', app: 'a', key: 'k', query: { asOf: '2013-06-30', region: '华东 & 华北' } },
      { name: 'report', app: 'a', key: 'aging', query: { asOf: '2013-06-30' } },
      { name: 'list', app: 'a', form: 'invoice', query: { q: 'INV #1?', sort: '-amount,number' } },
      { name: 'new', app: 'a', form: 'invoice', query: {} },
      { name: 'form-designs', app: 'a', query: { new: '1' } },
      { name: 'form-builder', app: 'a', form: 'invoice', query: {} },
      { name: 'record', app: 'a', form: 'invoice', id: 9007199254740991, query: {} },
    ]
    for (const route of routes) expect(parseRoute(routeHref(route))).toEqual(route)
  })

  it('leaves empty query values out of the href', () => {
    expect(routeHref({ name: 'list', app: 'a', form: 'f', query: { q: '', page: '2' } })).toBe(
      '#/apps/a/forms/f?page=2',
    )
  })
})
