import { describe, expect, it } from 'vitest'
import { isTesseraError, type Actor, type RoleSpec } from '@tessera/core'
import { checkRoleSpec, RoleGrants, type RoleSpecContext } from '../src/index.js'
import { APP, client, order, payment, published, ROLES } from './access-fixtures.js'

const context: RoleSpecContext = {
  forms: new Map([client, order, payment].map((d) => [d.key, published(d)])),
  reports: new Set(['sales']),
  dashboards: new Set(['overview']),
  locale: 'en',
}

function issuesOf(spec: unknown): { field?: string; rule: string }[] {
  try {
    checkRoleSpec(spec, context)
  } catch (error) {
    if (isTesseraError(error) && error.code === 'metadata.invalid') {
      return error.issues.map(({ field, rule }) => ({ field, rule }))
    }
    throw error
  }
  return []
}

const role = (key: string) => ROLES.find((r) => r.key === key)!

describe('checkRoleSpec', () => {
  it('accepts every role of the fixture app', () => {
    for (const spec of ROLES) expect(checkRoleSpec(spec, context)).toEqual(spec)
  })

  it('says a refusal in each language, not Chinese inside English', () => {
    const refusal = (() => {
      try {
        checkRoleSpec({ key: 'tester', label: '测试', dashboards: ['nosuch'] }, context)
      } catch (error) {
        return error
      }
    })() as { messages?: Record<string, string> }
    expect(refusal.messages?.['zh-CN']).toMatch(/^角色 "tester" 有误（dashboards\[0\]）：/)
    expect(refusal.messages?.en).toMatch(/^role "tester" is invalid at dashboards\[0\]: /)
    expect(refusal.messages?.en).not.toMatch(/[\u4e00-\u9fff]/)
  })

  it('lists every problem with its path', () => {
    const issues = issuesOf({
      key: 'Bad Key',
      label: '',
      colour: 'red',
      reports: ['sales', 'nope'],
      dashboards: 'overview',
      forms: {
        ghost: { actions: ['read'] },
        client: {
          actions: ['read', 'read', 'fly'],
          rows: { kind: 'own', field: 'limit' },
          fields: { nothing: 'hidden', name: 'invisible' },
        },
        order: { actions: ['read'], rows: { kind: 'via', link: 'amount' }, extra: 1 },
        payment: { actions: ['read'], rows: { kind: 'everything' } },
      },
    })
    expect(issues).toEqual(expect.arrayContaining([
      { field: 'key', rule: 'pattern' },
      { field: 'label', rule: 'required' },
      { field: 'colour', rule: 'unknown_property' },
      { field: 'reports[1]', rule: 'unknown_report' },
      { field: 'dashboards', rule: 'type' },
      { field: 'forms.ghost', rule: 'unknown_form' },
      { field: 'forms.client.actions', rule: 'enum' },
      { field: 'forms.client.rows.field', rule: 'field' },
      { field: 'forms.client.fields.nothing', rule: 'unknown_field' },
      { field: 'forms.client.fields.name', rule: 'enum' },
      { field: 'forms.order.rows.link', rule: 'link' },
      { field: 'forms.order.extra', rule: 'unknown_property' },
      { field: 'forms.payment.rows.kind', rule: 'enum' },
    ]))
    expect(issues).toHaveLength(13)
  })

  it('refuses a via rule whose linked form the role cannot read', () => {
    const spec = { key: 'x', label: 'x', forms: { order: { actions: ['read'], rows: { kind: 'via', link: 'client' } } } }
    expect(issuesOf(spec)).toEqual([{ field: 'forms.order.rows.link', rule: 'via' }])
  })

  it('refuses via rules that come back to where they started', () => {
    const node = published({
      key: 'node', label: 'node',
      fields: [{ key: 'parent', type: 'link', form: 'node', label: 'parent' }],
    })
    const spec = { key: 'x', label: 'x', forms: { node: { actions: ['read'], rows: { kind: 'via', link: 'parent' } } } }
    expect(() => checkRoleSpec(spec, { ...context, forms: new Map([['node', node]]) }))
      .toThrow(/cycle: node → node/)
  })

  it('refuses custom rules that name unknown fields, unknown $me values or inject SQL', () => {
    const rules = [
      { '==': [{ var: 'name; drop table x' }, 'a'] },
      { '==': [{ var: 'name' }, { var: '$me.password' }] },
      { '==': [{ var: 'name' }, { var: '$me.constructor' }] },
      { or: [] },
      { raw: 'true) or (1=1' },
      { '==': [{ var: 'name' }, { nested: 'object' }] },
    ]
    for (const rule of rules) {
      const spec = { key: 'x', label: 'x', forms: { client: { actions: ['read'], rows: { kind: 'custom', rule } } } }
      expect(issuesOf(spec), JSON.stringify(rule)).toEqual([{ field: 'forms.client.rows.rule', rule: 'rule' }])
    }
  })

  it('does not mistake inherited object keys for forms', () => {
    const spec = JSON.parse('{"key":"x","label":"x","forms":{"constructor":{"actions":["read"]},"__proto__":{"actions":["read"]}}}')
    expect(issuesOf(spec).map((i) => i.field).sort()).toEqual(['forms.__proto__', 'forms.constructor'])
  })
})

describe('RoleGrants', () => {
  const actor = (roles: string[], extra: Partial<Actor> = {}): Actor => ({ id: '7', roles, ...extra })
  const grants = (a: Actor, ...keys: string[]) => new RoleGrants(a, APP, keys.map(role))

  it('allows only what a held role grants', () => {
    const rep = grants(actor([`${APP}/rep`]), 'rep')
    expect(rep.can('client', 'read')).toBe(true)
    expect(rep.can('client', 'delete')).toBe(false)
    expect(rep.can('payment', 'create')).toBe(false)
    expect(rep.rows('client', 'read')).toEqual([{ kind: 'own', field: 'owner' }])
    expect(rep.fields('client')).toEqual(new Map([
      ['limit', 'readonly'], ['owner', 'readonly'], ['secret_note', 'hidden'],
    ]))
    expect(rep.entered).toBe(true)
  })

  it('adds roles up: actions, rows, and the freest field rule', () => {
    const both = grants(actor([]), 'rep', 'viewer')
    expect(both.rows('client', 'read')).toBe('all')
    expect(both.rows('client', 'update')).toEqual([{ kind: 'own', field: 'owner' }])
    // limit: readonly for rep, hidden for viewer → readonly; owner: only rep
    // restricts it, viewer leaves it free → free.
    expect(both.fields('client')).toEqual(new Map([['limit', 'readonly'], ['secret_note', 'hidden']]))
  })

  it('gives nothing without a role and everything to admins', () => {
    const none = grants(actor([]))
    expect(none.entered).toBe(false)
    expect(none.can('client', 'read')).toBe(false)
    expect(none.canRunReport('sales')).toBe(false)
    for (const admin of [grants(actor([]), 'boss'), grants(actor([], { admin: true }))]) {
      expect(admin.can('payment', 'delete')).toBe(true)
      expect(admin.rows('payment', 'delete')).toBe('all')
      expect(admin.canRunReport('sales')).toBe(true)
      expect(admin.canOpenDashboard('overview')).toBe(true)
    }
  })

  it('narrows an API token to its scopes, even for an admin', () => {
    const token = actor([], {
      admin: true,
      scopes: [{ app: APP, form: 'order', actions: ['read'] }, { app: APP, report: 'sales', actions: ['run'] }],
    })
    const g = grants(token)
    expect(g.can('order', 'read')).toBe(true)
    expect(g.can('order', 'update')).toBe(false)
    expect(g.can('client', 'read')).toBe(false)
    expect(g.canRunReport('sales')).toBe(true)
    expect(g.canRunReport('other')).toBe(false)
    expect(new RoleGrants({ ...token, scopes: [] }, APP, []).entered).toBe(false)
  })

  it('reads "*" as every report or dashboard', () => {
    const all: RoleSpec = { key: 'gm', label: 'GM', reports: ['*'], dashboards: ['*'] }
    const g = new RoleGrants(actor([]), APP, [all])
    expect(g.canRunReport('anything')).toBe(true)
    expect(g.canOpenDashboard('anything')).toBe(true)
  })

  it('treats a form named like an Object member as just a name', () => {
    const g = grants(actor([]), 'rep')
    expect(g.can('constructor', 'read')).toBe(false)
    expect(g.fields('toString')).toEqual(new Map())
  })
})
