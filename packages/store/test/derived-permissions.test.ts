import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, TesseraError, type Actor, type FormDefinition, type RoleSpec } from '@tessera/core'
import { Catalog, Permissions, RecordService, RoleDocuments, type Database } from '../src/index.js'
import { databaseSuites } from '../src/testing.js'

/**
 * Stored rollups and formulas over them, and constraint messages, as seen
 * by readers who may not read every row summed: they must learn nothing
 * about the rows outside their reach.
 */
const APP = 'derived-reach'

const account: FormDefinition = {
  key: 'account',
  label: '客户',
  titleField: 'name',
  fields: [
    { key: 'name', type: 'text', label: '名称', required: true },
    { key: 'limit', type: 'money', label: '额度' },
    { key: 'billed', type: 'rollup', label: '开票合计', form: 'bill', link: 'account', agg: 'sum', field: 'amount' },
    { key: 'bills', type: 'rollup', label: '开票笔数', form: 'bill', link: 'account', agg: 'count' },
    { key: 'largest', type: 'rollup', label: '最大一笔', form: 'bill', link: 'account', agg: 'max', field: 'amount' },
    { key: 'headroom', type: 'formula', label: '剩余额度', result: 'money',
      expression: { 'dec-': [{ var: 'limit' }, { var: 'billed' }] } },
    { key: 'paid', type: 'rollup', label: '已收合计', form: 'bill', link: 'account', agg: 'sum', field: 'settled' },
  ],
}

const bill: FormDefinition = {
  key: 'bill',
  label: '账单',
  fields: [
    { key: 'account', type: 'link', form: 'account', label: '客户', required: true },
    { key: 'owner', type: 'text', label: '经办人' },
    { key: 'amount', type: 'money', label: '金额', required: true },
    { key: 'paid', type: 'rollup', label: '已收', form: 'payment', link: 'bill', agg: 'sum', field: 'amount' },
    { key: 'settled', type: 'formula', label: '已结清', result: 'money', expression: { var: 'paid' } },
  ],
}

const payment: FormDefinition = {
  key: 'payment',
  label: '收款',
  fields: [
    { key: 'bill', type: 'link', form: 'bill', label: '账单', required: true },
    { key: 'owner', type: 'text', label: '经办人' },
    { key: 'amount', type: 'money', label: '金额', required: true },
  ],
  constraints: [
    { key: 'within_bill', per: 'bill', sum: 'amount', max: 'amount',
      message: { 'zh-CN': '收款合计不能超过账单金额', en: 'Payments cannot exceed the bill' } },
  ],
}

const ROLES: RoleSpec[] = [
  {
    // Every account, but only the bills and payments they handle themselves.
    key: 'clerk',
    label: '经办',
    forms: {
      account: { actions: ['read'] },
      bill: { actions: ['read'], rows: { kind: 'own', field: 'owner' } },
      payment: { actions: ['read', 'create'], rows: { kind: 'own', field: 'owner' } },
    },
  },
  {
    // Bills through the accounts: every bill of an account they read.
    key: 'reviewer',
    label: '复核',
    forms: {
      account: { actions: ['read'] },
      bill: { actions: ['read'], rows: { kind: 'via', link: 'account' } },
      payment: { actions: ['read', 'create'], rows: { kind: 'via', link: 'bill' } },
    },
  },
  {
    key: 'no_amounts',
    label: '看不到金额',
    forms: {
      account: { actions: ['read'] },
      bill: { actions: ['read'], fields: { amount: 'hidden' } },
    },
  },
  {
    key: 'accounts_only',
    label: '只看客户',
    forms: { account: { actions: ['read'] } },
  },
]

const as = (id: string, role: string): Actor => ({ id, roles: [`${APP}/${role}`] })

describe.each(databaseSuites())('derived values and row reach on $name', (suite) => {
  let database: Database
  let records: RecordService
  let accountId = 0
  let mine = 0
  let theirs = 0

  const clerk = as('7', 'clerk')
  const reviewer = as('8', 'reviewer')

  beforeAll(async () => {
    database = await suite.open()
    const catalog = new Catalog(database)
    const permissions = new Permissions(database, catalog)
    records = new RecordService(database, catalog, { permissions })
    await catalog.saveApp({ key: APP, label: '可见范围' })
    for (const form of [account, bill, payment]) await catalog.saveDraft(APP, form)
    await catalog.publish(APP, ['account', 'bill', 'payment'], SYSTEM_ACTOR)
    const roles = new RoleDocuments(database, catalog)
    for (const role of ROLES) await roles.save(SYSTEM_ACTOR, APP, role)

    const create = (form: string, values: Record<string, unknown>) =>
      records.create(SYSTEM_ACTOR, APP, form, values)
    accountId = (await create('account', { name: '东方', limit: '1000.00' })).id
    mine = (await create('bill', { account: accountId, owner: '7', amount: '100.00' })).id
    theirs = (await create('bill', { account: accountId, owner: '9', amount: '700.00' })).id
    await create('payment', { bill: mine, owner: '7', amount: '40.00' })
    await create('payment', { bill: theirs, owner: '9', amount: '500.00' })
  }, 60_000)

  afterAll(async () => {
    await database?.close()
  })

  it('stores the totals over every row', async () => {
    const stored = await records.get(SYSTEM_ACTOR, APP, 'account', accountId)
    expect(stored.values).toMatchObject({
      billed: '800.00', bills: 2, largest: '700.00', headroom: '200.00', paid: '540.00',
    })
  })

  it('sums a rollup over the reader’s own rows and hides the formula built on it', async () => {
    const seen = await records.get(clerk, APP, 'account', accountId)
    expect(seen.values.billed).toBe('100.00')
    expect(seen.values.bills).toBe(1)
    expect(seen.values.largest).toBe('100.00')
    expect(seen.values.headroom ?? null).toBeNull()
    // A formula over the bill's recomputed rollup is hidden, and so is the rollup over it.
    expect(seen.values.paid ?? null).toBeNull()

    const [listed] = (await records.list(clerk, APP, 'account')).items
    expect(listed.values).toMatchObject({ billed: '100.00', bills: 1 })
    expect(listed.values.headroom ?? null).toBeNull()

    const bills = (await records.list(clerk, APP, 'bill')).items
    expect(bills.map((b) => [b.id, b.values.paid, b.values.settled ?? null])).toEqual([[mine, '40.00', null]])
  })

  it('keeps a filter over a rollup to what the reader sees', async () => {
    const over = (amount: string) =>
      records.list(clerk, APP, 'account', { filter: { '>=': [{ var: 'billed' }, amount] } })
    expect((await over('100')).total).toBe(1)
    expect((await over('101')).total).toBe(0)
  })

  it('shows stored totals to a reader who reads every linked row through the link', async () => {
    const seen = await records.get(reviewer, APP, 'account', accountId)
    expect(seen.values).toMatchObject({ billed: '800.00', bills: 2, headroom: '200.00', paid: '540.00' })
  })

  it('hides a rollup of a hidden field and a rollup over a form the reader cannot read', async () => {
    const blind = await records.get(as('10', 'no_amounts'), APP, 'account', accountId)
    expect(blind.values.billed ?? null).toBeNull()
    expect(blind.values.largest ?? null).toBeNull()
    expect(blind.values.headroom ?? null).toBeNull()
    expect(blind.values.bills).toBe(2)

    const outsider = await records.get(as('11', 'accounts_only'), APP, 'account', accountId)
    for (const key of ['billed', 'bills', 'largest', 'headroom', 'paid']) {
      expect(outsider.values[key] ?? null).toBeNull()
    }
    expect(outsider.values.name).toBe('东方')
  })

  it('leaves stored totals out of the record history of a reader with fewer rows', async () => {
    const history = await records.history(clerk, APP, 'account', accountId)
    expect(history.length).toBeGreaterThan(0)
    for (const row of history) {
      for (const values of [row.before, row.after]) {
        if (!values) continue
        expect(Object.keys(values)).not.toContain('billed')
        expect(Object.keys(values)).not.toContain('headroom')
      }
    }
    const full = await records.history(reviewer, APP, 'account', accountId)
    expect(full.some((row) => Object.keys(row.after ?? {}).includes('billed'))).toBe(true)
  })

  it('refuses an over-limit payment without telling totals the writer cannot read', async () => {
    const refused = async (actor: Actor, bill: number, amount: string) => {
      try {
        await records.create(actor, APP, 'payment', { bill, owner: actor.id, amount }, { locale: 'en' })
      } catch (error) {
        return error as TesseraError
      }
      throw new Error('the payment was accepted')
    }

    const blind = await refused(clerk, mine, '61.00')
    expect(blind.code).toBe('conflict.constraint')
    expect(blind.message).toBe('Payments cannot exceed the bill')
    expect(JSON.stringify(blind.issues)).not.toMatch(/100\.00|101\.00|40\.00/)

    const told = await refused(reviewer, theirs, '201.00')
    expect(told.code).toBe('conflict.constraint')
    expect(told.message).toContain('total 701.00, limit 700.00')

    const after = await records.get(SYSTEM_ACTOR, APP, 'bill', mine)
    expect(after.values.paid).toBe('40.00')
  })
})
