import { describe, expect, it } from 'vitest'
import { parseRoute, routeHref } from './route.js'

describe('admin routes', () => {
  it('read #/admin/:page and print it back', () => {
    expect(parseRoute('#/admin/users')).toEqual({ name: 'admin', page: 'users', query: {} })
    expect(parseRoute('#/admin/tokens?x=1')).toEqual({ name: 'admin', page: 'tokens', query: { x: '1' } })
    expect(routeHref({ name: 'admin', page: 'departments' })).toBe('#/admin/departments')
    expect(parseRoute(routeHref({ name: 'admin', page: 'a b' }))).toEqual({ name: 'admin', page: 'a b', query: {} })
  })

  it('send deeper or empty admin paths to not-found', () => {
    expect(parseRoute('#/admin').name).toBe('not-found')
    expect(parseRoute('#/admin/users/3').name).toBe('not-found')
  })
})
