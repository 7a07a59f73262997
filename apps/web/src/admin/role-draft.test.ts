import { readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { FieldDefinition, RoleSpec } from '@tessera/core'
import { describe, expect, it } from 'vitest'
import { emptyDraft, fieldRuleChoices, fromDraft, rowRuleFields, staleFieldRules, toDraft } from './role-draft.js'

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

  it('drops the rules of fields taken out of their form, which the server would refuse the role for', () => {
    const role: RoleSpec = { key: 'approver', label: '审批人', forms: {
      invoice_request: { actions: ['read', 'update'], fields: { lines: 'readonly', finance_approval: 'readonly' } },
      invoice: { actions: ['read'], fields: { amount: 'hidden' } },
    } }
    const forms = [
      { key: 'invoice_request', fields: [{ key: 'lines' }, { key: 'sales_approval' }] },
      { key: 'invoice', fields: [{ key: 'amount' }] },
    ]
    const stale = staleFieldRules(role, forms)
    expect(stale).toEqual([{ form: 'invoice_request', field: 'finance_approval' }])
    expect(fromDraft(toDraft(role, FORMS, stale)).spec.forms).toEqual({
      invoice_request: { actions: ['read', 'update'], fields: { lines: 'readonly' } },
      invoice: { actions: ['read'], fields: { amount: 'hidden' } },
    })
    // A form not among those given is left as it is.
    expect(staleFieldRules(role, [])).toEqual([])
  })

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

describe('what a role may set on a form', () => {
  const fields = [
    { key: 'owner_id', type: 'text', label: '负责人 ID' },
    { key: 'account', type: 'member', label: '系统账号' },
    { key: 'team', type: 'department', label: '部门' },
    { key: 'dept_no', type: 'number', integer: true, label: '部门号' },
    { key: 'amount', type: 'money', label: '金额' },
    { key: 'total', type: 'formula', result: 'money', expression: { var: 'amount' }, label: '合计' },
  ] as FieldDefinition[]

  it('offers a member field (or a text of user ids) to name whose rows are own, a department field for department rows', () => {
    expect(rowRuleFields(fields, 'own').map((field) => field.key)).toEqual(['owner_id', 'account'])
    expect(rowRuleFields(fields, 'department').map((field) => field.key)).toEqual(['team', 'dept_no'])
  })

  it('offers a computed field shown or hidden, never read-only', () => {
    expect(fieldRuleChoices(fields[5])).toEqual(['free', 'hidden'])
    expect(fieldRuleChoices(fields[4])).toEqual(['free', 'readonly', 'hidden'])
  })
})
