import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_TIME_ZONE, SYSTEM_ACTOR, todayIn, type FormDefinition } from '@tessera/core'
import { Catalog, Permissions, RecordService, RoleDocuments, type Database } from '../src/index.js'
import { databaseSuites } from '../src/testing.js'

const APP = 'date-default'

const receipt: FormDefinition = {
  key: 'receipt', label: '收款',
  fields: [
    { key: 'number', type: 'text', label: '收款号', required: true },
    { key: 'date', type: 'date', label: '收款日期', required: true, default: 'today' },
    {
      key: 'method', type: 'select', label: '收款方式', default: 'bank',
      options: [{ value: 'bank', label: '银行转账' }, { value: 'cash', label: '现金' }],
    },
  ],
}

describe.each(databaseSuites())('a date defaulting to today on $name', (suite) => {
  let database: Database
  let records: RecordService
  let guarded: RecordService

  beforeAll(async () => {
    database = await suite.open()
    const catalog = new Catalog(database)
    records = new RecordService(database, catalog)
    guarded = new RecordService(database, catalog, { permissions: new Permissions(database, catalog) })
    await catalog.saveApp({ key: APP, label: '默认日期' })
    await catalog.saveDraft(APP, receipt)
    await catalog.publish(APP, ['receipt'], SYSTEM_ACTOR)
    await new RoleDocuments(database, catalog).save(SYSTEM_ACTOR, APP, {
      key: 'cashier', label: '出纳',
      forms: { receipt: { actions: ['create', 'read'], fields: { date: 'readonly', method: 'readonly' } } },
    })
  })
  afterAll(() => database?.close())

  it('fills the company\'s today into a new record given no date, and keeps one given', async () => {
    const today = todayIn(DEFAULT_TIME_ZONE)
    expect((await records.create(SYSTEM_ACTOR, APP, 'receipt', { number: 'R-1' })).values.date).toBe(today)
    expect((await records.create(SYSTEM_ACTOR, APP, 'receipt', { number: 'R-2', date: null })).values.date).toBe(today)
    expect((await records.create(SYSTEM_ACTOR, APP, 'receipt', { number: 'R-3', date: '2026-01-05' })).values.date)
      .toBe('2026-01-05')
  })

  it('gives a select its default option when the field is not sent, and keeps a value or null sent', async () => {
    expect((await records.create(SYSTEM_ACTOR, APP, 'receipt', { number: 'S-1' })).values.method).toBe('bank')
    expect((await records.create(SYSTEM_ACTOR, APP, 'receipt', { number: 'S-2', method: 'cash' })).values.method).toBe('cash')
    expect((await records.create(SYSTEM_ACTOR, APP, 'receipt', { number: 'S-3', method: null })).values.method).toBeNull()
  })

  it('does not fill a date an update clears: the required date is refused instead', async () => {
    const stored = await records.create(SYSTEM_ACTOR, APP, 'receipt', { number: 'R-4', date: '2026-02-01' })
    await expect(records.update(SYSTEM_ACTOR, APP, 'receipt', stored.id, { version: stored.version, values: { date: null } }))
      .rejects.toMatchObject({ code: 'validation.failed', issues: [{ field: 'date', rule: 'required' }] })
  })

  it('takes a read-only field sent with its default on create (the form shows and sends it), and no other value', async () => {
    const cashier = { id: '7', roles: [`${APP}/cashier`] }
    const today = todayIn(DEFAULT_TIME_ZONE)
    const created = await guarded.create(cashier, APP, 'receipt', { number: 'RO-1', date: today, method: 'bank' })
    expect(created.values).toMatchObject({ date: today, method: 'bank' })
    await expect(guarded.create(cashier, APP, 'receipt', { number: 'RO-2', method: 'cash' }, { locale: 'en' }))
      .rejects.toMatchObject({ code: 'auth.forbidden', issues: [{ field: 'method', rule: 'readonly' }] })
    await expect(guarded.create(cashier, APP, 'receipt', { number: 'RO-3', date: '2026-01-05' }))
      .rejects.toMatchObject({ code: 'auth.forbidden', issues: [{ field: 'date', rule: 'readonly' }] })
    // Sent blank, a read-only field keeps its default: a role that may not change it cannot empty it.
    const blank = await guarded.create(cashier, APP, 'receipt', { number: 'RO-4', date: null, method: null })
    expect(blank.values).toMatchObject({ date: today, method: 'bank' })
    // (Whoever may change it may still clear it.)
    expect((await records.create(SYSTEM_ACTOR, APP, 'receipt', { number: 'RO-5', method: null })).values.method).toBeNull()
  })
})
