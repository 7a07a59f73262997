import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type Actor, type FormDefinition, type RoleSpec } from '@tessera/core'
import { Catalog, Permissions, RecordService, RoleDocuments, type Database } from '../src/index.js'
import { databaseSuites } from '../src/testing.js'

/**
 * An approver who may only set the approval: the request's line items and
 * the finance countersign are read-only for them. Saving the form as it
 * was read (its lines sent back as they came) is no write of the lines,
 * and a read-only field the request's own condition hides is emptied by
 * the platform, whatever the form sent for it.
 */
const APP = 'approvals'

const request: FormDefinition = {
  key: 'request', label: '开票申请', titleField: 'number',
  fields: [
    { key: 'number', type: 'text', label: '申请号', required: true },
    { key: 'lines', type: 'lines', label: '开票明细', fields: [
      { key: 'item', type: 'text', label: '项目', required: true },
      { key: 'qty', type: 'number', label: '数量', required: true },
      { key: 'price', type: 'money', label: '单价', required: true },
      { key: 'amount', type: 'formula', label: '金额', result: 'money', expression: { 'dec*': [{ var: 'qty' }, { var: 'price' }] } },
    ] },
    { key: 'total', type: 'rollup', label: '申请金额', lines: 'lines', agg: 'sum', field: 'amount' },
    { key: 'sales_approval', type: 'select', label: '销售审批', options: [
      { value: 'pending', label: '待审批' }, { value: 'approved', label: '同意' },
    ] },
    { key: 'finance_approval', type: 'select', label: '财务会签', options: [
      { value: 'pending', label: '待审批' }, { value: 'approved', label: '同意' },
    ], visibleWhen: { 'dec>': [{ var: 'total' }, '100000'] } },
  ],
}

const ROLES: RoleSpec[] = [
  { key: 'approver', label: '审批人', forms: { request: { actions: ['read', 'update'],
    fields: { lines: 'readonly', finance_approval: 'readonly', number: 'readonly' } } } },
  { key: 'clerk', label: '文员', forms: { request: { actions: ['read', 'create', 'update'],
    fields: { sales_approval: 'readonly', finance_approval: 'readonly' } } } },
]

describe.each(databaseSuites())('read-only fields sent back as read on $name', (suite) => {
  let database: Database
  let records: RecordService
  const approver: Actor = { id: '11', roles: [`${APP}/approver`] }
  const clerk: Actor = { id: '12', roles: [`${APP}/clerk`] }

  beforeAll(async () => {
    database = await suite.open()
    const catalog = new Catalog(database)
    records = new RecordService(database, catalog, { permissions: new Permissions(database, catalog) })
    await catalog.saveApp({ key: APP, label: '审批' })
    await catalog.saveDraft(APP, request)
    await catalog.publish(APP, ['request'], SYSTEM_ACTOR)
    const roles = new RoleDocuments(database, catalog)
    for (const role of ROLES) await roles.save(SYSTEM_ACTOR, APP, role)
  })
  afterAll(() => database?.close())

  it('lets an approver save the form with its read-only lines sent back as read', async () => {
    const created = await records.create(SYSTEM_ACTOR, APP, 'request', {
      number: 'IR-1', lines: [{ item: '运维', qty: 2, price: '25000.5' }, { item: '备件', qty: 1, price: '100' }],
      sales_approval: 'pending',
    })
    const read = await records.get(approver, APP, 'request', created.id)
    const saved = await records.update(approver, APP, 'request', created.id, {
      version: read.version, values: { ...read.values, sales_approval: 'approved' },
    })
    expect(saved.values.sales_approval).toBe('approved')
    expect(saved.values.total).toBe('50101.00')
    // Lines changed are still refused.
    const again = await records.get(approver, APP, 'request', created.id)
    const lines = again.values.lines as Array<Record<string, unknown>>
    await expect(records.update(approver, APP, 'request', created.id, {
      version: again.version, values: { lines: [{ ...lines[0], qty: 3 }, lines[1]] },
    })).rejects.toMatchObject({ code: 'auth.forbidden', issues: [{ field: 'lines', rule: 'readonly' }] })
  })

  it('lets a clerk lower the amount when that hides a read-only countersign, which the platform empties', async () => {
    const created = await records.create(SYSTEM_ACTOR, APP, 'request', {
      number: 'IR-2', lines: [{ item: '设备', qty: 2, price: '65000' }], sales_approval: 'approved', finance_approval: 'approved',
    })
    const read = await records.get(clerk, APP, 'request', created.id)
    const lines = read.values.lines as Array<Record<string, unknown>>
    // As the form sends it: every field, the hidden countersign as empty.
    const saved = await records.update(clerk, APP, 'request', created.id, {
      version: read.version, values: { ...read.values, lines: [{ ...lines[0], qty: 1 }], finance_approval: null },
    })
    expect(saved.values.total).toBe('65000.00')
    expect(saved.values.finance_approval).toBeNull()
    // While it stays shown, a read-only countersign still cannot be changed or emptied.
    const big = await records.create(SYSTEM_ACTOR, APP, 'request', {
      number: 'IR-3', lines: [{ item: '设备', qty: 3, price: '65000' }], finance_approval: 'approved',
    })
    const shown = await records.get(clerk, APP, 'request', big.id)
    await expect(records.update(clerk, APP, 'request', big.id, {
      version: shown.version, values: { ...shown.values, finance_approval: null },
    })).rejects.toMatchObject({ code: 'auth.forbidden', issues: [{ field: 'finance_approval', rule: 'readonly' }] })
  })
})
