import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type Actor, type FormDefinition, type RoleSpec } from '@tessera/core'
import { Catalog, Permissions, RecordService, RoleDocuments, type Database } from '../src/index.js'
import { databaseSuites } from '../src/testing.js'

/**
 * A change refused because records of another form linking to it would no
 * longer agree names those records only to a writer who may read every one
 * of them (and their titles).
 */
const APP = 'agree-reach'

const bill: FormDefinition = {
  key: 'bill', label: '账单', titleField: 'number',
  fields: [
    { key: 'number', type: 'text', label: '单号', required: true },
    { key: 'issued', type: 'date', label: '开票日期' },
  ],
}
const payment: FormDefinition = {
  key: 'payment', label: '付款', titleField: 'number',
  fields: [
    { key: 'number', type: 'text', label: '付款单号', required: true },
    { key: 'bill', type: 'link', form: 'bill', label: '账单', required: true },
    { key: 'owner', type: 'text', label: '经办人' },
    { key: 'paid_on', type: 'date', label: '付款日期' },
  ],
  agreements: [{ key: 'after_bill', paths: ['bill.issued', 'paid_on'], compare: '<=',
    message: { 'zh-CN': '付款日期不能早于开票日期', en: 'A payment cannot predate its bill' } }],
}

const ROLES: RoleSpec[] = [
  {
    // Edits bills, reads only the payments they handled.
    key: 'clerk', label: '经办',
    forms: {
      bill: { actions: ['read', 'update'] },
      payment: { actions: ['read'], rows: { kind: 'own', field: 'owner' } },
    },
  },
  {
    key: 'blind', label: '不看付款',
    forms: { bill: { actions: ['read', 'update'] } },
  },
  {
    key: 'keeper', label: '全看',
    forms: { bill: { actions: ['read', 'update'] }, payment: { actions: ['read'] } },
  },
]

const as = (id: string, role: string): Actor => ({ id, roles: [`${APP}/${role}`] })

describe.each(databaseSuites())('agreement refusals and row reach on $name', (suite) => {
  let database: Database
  let records: RecordService
  let billId = 0

  beforeAll(async () => {
    database = await suite.open()
    const catalog = new Catalog(database)
    records = new RecordService(database, catalog, { permissions: new Permissions(database, catalog) })
    await catalog.saveApp({ key: APP, label: '可见范围' })
    for (const form of [bill, payment]) await catalog.saveDraft(APP, form)
    await catalog.publish(APP, ['bill', 'payment'], SYSTEM_ACTOR)
    const roles = new RoleDocuments(database, catalog)
    for (const role of ROLES) await roles.save(SYSTEM_ACTOR, APP, role)
    billId = (await records.create(SYSTEM_ACTOR, APP, 'bill', { number: 'B-1', issued: '2026-03-01' })).id
    await records.create(SYSTEM_ACTOR, APP, 'payment', { number: 'P-7', bill: billId, owner: '7', paid_on: '2026-03-05' })
    await records.create(SYSTEM_ACTOR, APP, 'payment', { number: 'P-9', bill: billId, owner: '9', paid_on: '2026-03-06' })
  })
  afterAll(() => database?.close())

  const move = async (actor: Actor) => {
    const stored = await records.get(SYSTEM_ACTOR, APP, 'bill', billId)
    return records.update(actor, APP, 'bill', billId, { version: stored.version, values: { issued: '2026-03-10' } })
      .then(() => undefined, (error: { code: string; issues: Array<{ message: string; expected: object }> }) => error)
  }

  it('names the payments in the way to a writer who reads them all', async () => {
    const refused = await move(as('5', 'keeper'))
    expect(refused).toMatchObject({ code: 'validation.failed', issues: [{ field: 'issued',
      message: '已有付款 P-7、P-9 与此不符：付款日期不能早于开票日期' }] })
    expect(refused!.issues[0].expected).toHaveProperty('records')
  })

  it('names none to a writer who reads only some of them, or none', async () => {
    for (const actor of [as('7', 'clerk'), as('5', 'blind')]) {
      const refused = await move(actor)
      expect(refused).toMatchObject({ code: 'validation.failed', issues: [{ field: 'issued',
        message: '已有付款与此不符：付款日期不能早于开票日期' }] })
      expect(refused!.issues[0].expected).not.toHaveProperty('records')
      expect(JSON.stringify(refused)).not.toMatch(/P-9|#\d/)
    }
    expect((await records.get(SYSTEM_ACTOR, APP, 'bill', billId)).values.issued).toBe('2026-03-01')
  })
})
