import { describe, expect, it } from 'vitest'
import { scopeAllows, scopeTouchesApp, type AccessScope } from './access-scope.js'

const scopes: AccessScope[] = [
  { app: 'crm', form: 'invoice', actions: ['read', 'create'] },
  { app: 'crm', report: 'aging', actions: ['run'] },
]

describe('scopeAllows', () => {
  it('lets through only the listed form actions', () => {
    expect(scopeAllows(scopes, { app: 'crm', form: 'invoice', action: 'read' })).toBe(true)
    expect(scopeAllows(scopes, { app: 'crm', form: 'invoice', action: 'create' })).toBe(true)
    expect(scopeAllows(scopes, { app: 'crm', form: 'invoice', action: 'delete' })).toBe(false)
    expect(scopeAllows(scopes, { app: 'crm', form: 'receipt', action: 'read' })).toBe(false)
    expect(scopeAllows(scopes, { app: 'hr', form: 'invoice', action: 'read' })).toBe(false)
  })

  it('keeps reports and forms apart even when keys collide', () => {
    expect(scopeAllows(scopes, { app: 'crm', report: 'aging', action: 'run' })).toBe(true)
    expect(scopeAllows(scopes, { app: 'crm', report: 'invoice', action: 'run' })).toBe(false)
    expect(scopeAllows(scopes, { app: 'crm', form: 'aging', action: 'run' })).toBe(false)
  })

  it('narrows nothing for an actor that is not a token', () => {
    expect(scopeAllows(undefined, { app: 'x', form: 'y', action: 'delete' })).toBe(true)
    expect(scopeTouchesApp(undefined, 'x')).toBe(true)
    expect(scopeTouchesApp(scopes, 'crm')).toBe(true)
    expect(scopeTouchesApp(scopes, 'hr')).toBe(false)
    expect(scopeAllows([], { app: 'crm', form: 'invoice', action: 'read' })).toBe(false)
  })
})
