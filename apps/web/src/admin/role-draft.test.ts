import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { RoleSpec } from '@tessera/core'
import { describe, expect, it } from 'vitest'
import { emptyDraft, fromDraft, toDraft } from './role-draft.js'

const ROLES = resolve(__dirname, '../../../../templates/customer-settlement/roles')
const FORMS = ['customer', 'contract', 'order', 'invoice_request', 'invoice', 'receipt', 'allocation', 'write_off']

const templateRoles = readdirSync(ROLES).map((file) =>
  JSON.parse(readFileSync(join(ROLES, file), 'utf8')) as RoleSpec)

describe('role drafts', () => {
  it.each(templateRoles.map((role) => [role.key, role] as const))(
    'turn the template role %s into a draft and back unchanged',
    (_key, role) => {
      const draft = toDraft(role, FORMS)
      expect(Object.keys(draft.forms)).toEqual(FORMS)
      expect(fromDraft(draft)).toEqual({ spec: role, problems: [] })
    },
  )

  it('leaves out forms without actions or field rules, and empty texts', () => {
    const draft = emptyDraft(FORMS)
    draft.key = 'viewer'
    draft.labelZh = '只读'
    draft.forms.invoice.actions = ['read', 'export']
    draft.forms.customer.fields = { credit_limit: 'hidden' }
    draft.dashboards = { all: true, keys: ['ignored'] }
    expect(fromDraft(draft).spec).toEqual({
      key: 'viewer',
      label: '只读',
      forms: {
        customer: { actions: [], fields: { credit_limit: 'hidden' } },
        invoice: { actions: ['read', 'export'] },
      },
      dashboards: ['*'],
    })
  })

  it('keeps actions in their canonical order', () => {
    const draft = emptyDraft(['invoice'])
    draft.forms.invoice.actions = ['export', 'read', 'create']
    expect(fromDraft(draft).spec.forms?.invoice.actions).toEqual(['create', 'read', 'export'])
  })

  it('edits custom rules as JSON text and reports text that is not JSON', () => {
    const rule = { '==': [{ var: 'region' }, { var: '$me.name' }] }
    const role: RoleSpec = { key: 'r', label: 'r', forms: { customer: { actions: ['read'], rows: { kind: 'custom', rule } } } }
    const draft = toDraft(role, FORMS)
    expect(JSON.parse(draft.forms.customer.rows.rule)).toEqual(rule)
    draft.forms.customer.rows.rule = '{"==": [ {"var": "region"}, '
    const { problems } = fromDraft(draft)
    expect(problems).toEqual([{ path: 'forms.customer.rows.rule', message: expect.any(String) }])
  })

  it('writes "own" without a field as the creator rule', () => {
    const draft = emptyDraft(['invoice'])
    draft.forms.invoice = { actions: ['read'], rows: { kind: 'own', field: '', link: 'x', rule: 'x' }, fields: {} }
    expect(fromDraft(draft).spec.forms?.invoice.rows).toEqual({ kind: 'own' })
  })
})
