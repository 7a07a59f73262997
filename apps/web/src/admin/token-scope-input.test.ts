import { describe, expect, it } from 'vitest'
import { actionsFor, toScopes } from './token-scope-input.js'

describe('token scope rows', () => {
  it('become API scopes for forms and reports', () => {
    expect(toScopes([
      { app: 'crm', target: 'form:invoice', actions: ['read', 'create'] },
      { app: 'crm', target: 'report:aging', actions: ['run'] },
    ])).toEqual([
      { app: 'crm', form: 'invoice', actions: ['read', 'create'] },
      { app: 'crm', report: 'aging', actions: ['run'] },
    ])
  })

  it('drop incomplete rows and actions that do not fit the target', () => {
    expect(toScopes([
      { app: 'crm', target: 'form:invoice', actions: ['run'] },
      { app: 'crm', target: 'report:aging', actions: ['read', 'run'] },
      { target: 'form:x', actions: ['read'] },
      { app: 'crm', actions: ['read'] },
      {},
    ])).toEqual([{ app: 'crm', report: 'aging', actions: ['run'] }])
  })

  it('offer the actions of the chosen target', () => {
    expect(actionsFor('report:aging')).toEqual(['run'])
    expect(actionsFor('form:invoice')).toContain('delete')
    expect(actionsFor(undefined)).toEqual([])
  })
})
