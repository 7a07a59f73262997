import { describe, expect, it } from 'vitest'
import type { AccessScope } from '@tessera/core'
import { tokenMayCall } from './token-route-scope.js'

const scopes: AccessScope[] = [
  { app: 'crm', form: 'invoice', actions: ['read', 'update', 'import'] },
  { app: 'crm', form: 'customer', actions: ['import'] },
  { app: 'crm', report: 'aging', actions: ['run'] },
]
const invoice = { app: 'crm', form: 'invoice', id: '3' }

describe('which routes an API token may call', () => {
  it('maps record routes to form actions', () => {
    expect(tokenMayCall(scopes, 'GET', '/api/apps/:app/forms/:form/records', invoice)).toBe(true)
    expect(tokenMayCall(scopes, 'HEAD', '/api/apps/:app/forms/:form/records/:id', invoice)).toBe(true)
    expect(tokenMayCall(scopes, 'GET', '/api/apps/:app/forms/:form/options', invoice)).toBe(true)
    expect(tokenMayCall(scopes, 'PATCH', '/api/apps/:app/forms/:form/records/:id', invoice)).toBe(true)
    expect(tokenMayCall(scopes, 'POST', '/api/apps/:app/forms/:form/records', invoice)).toBe(false)
    expect(tokenMayCall(scopes, 'DELETE', '/api/apps/:app/forms/:form/records/:id', invoice)).toBe(false)
    expect(tokenMayCall(scopes, 'GET', '/api/apps/:app/forms/:form/export', invoice)).toBe(false)
    expect(tokenMayCall(scopes, 'GET', '/api/apps/:app/forms/:form/records', { app: 'crm', form: 'receipt' })).toBe(false)
  })

  it('opens reports one by one, and app metadata only inside its apps', () => {
    expect(tokenMayCall(scopes, 'GET', '/api/apps/:app/reports/:key/run', { app: 'crm', key: 'aging' })).toBe(true)
    expect(tokenMayCall(scopes, 'GET', '/api/apps/:app/reports/:key/run', { app: 'crm', key: 'top' })).toBe(false)
    expect(tokenMayCall(scopes, 'GET', '/api/apps/:app', { app: 'crm' })).toBe(true)
    expect(tokenMayCall(scopes, 'GET', '/api/apps/:app', { app: 'hr' })).toBe(false)
    expect(tokenMayCall(scopes, 'GET', '/api/apps', {})).toBe(true)
  })

  it('needs import on every form an import mapping writes', () => {
    const route = '/api/apps/:app/imports/:mapping'
    const params = { app: 'crm', mapping: 'ledger' }
    expect(tokenMayCall(scopes, 'POST', route, params, ['customer', 'invoice'])).toBe(true)
    expect(tokenMayCall(scopes, 'POST', route, params, ['customer', 'invoice', 'receipt'])).toBe(false)
    expect(tokenMayCall(scopes, 'POST', route, params, [])).toBe(false)
  })

  it('keeps every other route closed, including ones it has never heard of', () => {
    for (const [method, route] of [
      ['GET', '/api/apps/:app/dashboards/:key'],
      ['PUT', '/api/apps/:app/reports/:key'],
      ['GET', '/api/admin/users'],
      ['POST', '/api/tokens'],
      ['POST', '/api/auth/password'],
      ['GET', '/api/apps/:app/forms/:form/records/:id/approve'],
      ['GET', undefined],
    ] as const) {
      expect(tokenMayCall(scopes, method, route, invoice), `${method} ${route}`).toBe(false)
    }
  })
})
