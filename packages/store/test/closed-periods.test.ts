import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, TesseraError, type FormDefinition } from '@tessera/core'
import { checkFormDefinition } from '@tessera/forms'
import { Catalog, closedThroughForWrite, lockCloseForChange, RecordService, type Database } from '../src/index.js'
import { databaseSuites } from '../src/testing.js'

const APP = 'close-lab'

const bill: FormDefinition = {
  key: 'bill', label: { 'zh-CN': '账单', en: 'Bill' }, titleField: 'number', periodField: 'issued',
  fields: [
    { key: 'number', type: 'text', label: '单号', required: true, unique: true },
    { key: 'issued', type: 'date', label: { 'zh-CN': '开票日期', en: 'Issued on' }, required: true },
    { key: 'amount', type: 'money', label: '金额', required: true },
    { key: 'note', type: 'text', label: '备注' },
    { key: 'paid', type: 'rollup', label: '已付', form: 'payment', link: 'bill', agg: 'sum', field: 'amount' },
  ],
}
const payment: FormDefinition = {
  key: 'payment', label: { 'zh-CN': '付款', en: 'Payment' }, periodField: 'paid_on',
  fields: [
    { key: 'bill', type: 'link', form: 'bill', label: '账单', required: true },
    { key: 'paid_on', type: 'date', label: { 'zh-CN': '付款日期', en: 'Paid on' }, required: true },
    { key: 'amount', type: 'money', label: '金额', required: true },
  ],
}
/** A form without a period field: the close leaves it alone. */
const memo: FormDefinition = {
  key: 'memo', label: '备忘',
  fields: [
    { key: 'title', type: 'text', label: '标题', required: true },
    { key: 'on', type: 'date', label: '日期' },
  ],
}

describe.each(databaseSuites())('closed periods on $name', (suite) => {
  let database: Database
  let records: RecordService

  beforeAll(async () => {
    database = await suite.open()
    const catalog = new Catalog(database)
    records = new RecordService(database, catalog)
    await catalog.saveApp({ key: APP, label: '结账' })
    for (const form of [bill, payment, memo]) await catalog.saveDraft(APP, form)
    await catalog.publish(APP, ['bill', 'payment', 'memo'], SYSTEM_ACTOR)
  })
  afterAll(() => database?.close())

  // As the platform's close does it: under the close's lock, taken exclusively.
  const closeThrough = (date: string | null) => database.transaction(async (trx) => {
    await lockCloseForChange(trx)
    await sql`update tessera.setting set value = ${JSON.stringify(date)}::jsonb where key = 'closedThrough'`.execute(trx)
  })
  const count = async (table: string) =>
    (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(`close_lab.${table}`)}`.execute(database.db)).rows[0].n
  const refusal = (promise: Promise<unknown>) => promise.then(
    () => { throw new Error('the write was accepted') },
    (error: unknown) => {
      if (!(error instanceof TesseraError)) throw error
      return error
    })

  it('starts with nothing closed: the migration leaves the setting to lock', async () => {
    const { rows } = await sql<{ value: unknown }>`select value from tessera.setting where key = 'closedThrough'`.execute(database.db)
    expect(rows).toEqual([{ value: null }])
    expect(await closedThroughForWrite(database.db)).toBeNull()
    await records.create(SYSTEM_ACTOR, APP, 'bill', { number: 'B-1', issued: '2026-03-10', amount: '100.00' })
  })

  it('refuses a new record dated on or before the close, on its period field, and writes nothing', async () => {
    await closeThrough('2026-03-31')
    const before = await count('bill')
    for (const issued of ['2026-03-15', '2026-03-31']) {
      const error = await refusal(records.create(SYSTEM_ACTOR, APP, 'bill', { number: `B-${issued}`, issued, amount: '5.00' }, { locale: 'en' }))
      expect(error.code).toBe('conflict.closed_period')
      expect(error.details).toMatchObject({ form: 'bill', closedThrough: '2026-03-31' })
      expect(error.issues).toEqual([{
        field: 'issued',
        rule: 'closed_period',
        message: `Issued on ${issued} is in a closed period (closed through 2026-03-31): a record of a closed period cannot be created`,
        expected: { after: '2026-03-31' },
        received: issued,
      }])
    }
    const chinese = await refusal(records.create(SYSTEM_ACTOR, APP, 'bill', { number: 'B-zh', issued: '2026-01-02', amount: '5.00' }))
    expect(chinese.issues[0].message).toBe('开票日期 2026-01-02 在已结账期间内（已结账至 2026-03-31），不能新建该期间的记录')
    expect(await count('bill')).toBe(before)
    // The day after the close is open.
    await records.create(SYSTEM_ACTOR, APP, 'bill', { number: 'B-2', issued: '2026-04-01', amount: '200.00' })
    expect(await count('bill')).toBe(before + 1)
  })

  it('refuses changing or deleting a record of a closed period, and moving one into it', async () => {
    const closed = (await records.list(SYSTEM_ACTOR, APP, 'bill', { filter: { '==': [{ var: 'number' }, 'B-1'] } })).items[0]
    const change = records.update(SYSTEM_ACTOR, APP, 'bill', closed.id, { version: closed.version, values: { note: '改' } }, { locale: 'en' })
    expect((await refusal(change)).issues[0]).toMatchObject({
      field: 'issued', rule: 'closed_period', received: '2026-03-10',
      message: 'Issued on 2026-03-10 is in a closed period (closed through 2026-03-31): a record of a closed period cannot be changed',
    })
    // Moving it out of the closed period is a change of that period too.
    await refusal(records.update(SYSTEM_ACTOR, APP, 'bill', closed.id, { version: closed.version, values: { issued: '2026-04-02' } }))
    const deleting = await refusal(records.delete(SYSTEM_ACTOR, APP, 'bill', closed.id))
    expect(deleting.issues[0].message).toBe('开票日期 2026-03-10 在已结账期间内（已结账至 2026-03-31），不能删除该期间的记录')
    // Saved as it is, nothing changes and nothing is refused.
    const same = await records.update(SYSTEM_ACTOR, APP, 'bill', closed.id, { version: closed.version, values: { amount: '100.00' } })
    expect(same.version).toBe(closed.version)
    expect((await records.get(SYSTEM_ACTOR, APP, 'bill', closed.id)).values).toMatchObject({ issued: '2026-03-10', note: null })

    const open = (await records.list(SYSTEM_ACTOR, APP, 'bill', { filter: { '==': [{ var: 'number' }, 'B-2'] } })).items[0]
    const moving = await refusal(records.update(SYSTEM_ACTOR, APP, 'bill', open.id, { version: open.version, values: { issued: '2026-03-20' } }))
    expect(moving.issues[0].message).toBe('开票日期 2026-03-20 在已结账期间内（已结账至 2026-03-31），不能把记录改到该期间')
    expect((await records.get(SYSTEM_ACTOR, APP, 'bill', open.id)).values.issued).toBe('2026-04-01')
    // An open record stays editable within the open days.
    const edited = await records.update(SYSTEM_ACTOR, APP, 'bill', open.id, { version: open.version, values: { note: '开放' } })
    expect(edited.values.note).toBe('开放')
  })

  it('lets a record of an open period update totals kept on a closed one', async () => {
    const closed = (await records.list(SYSTEM_ACTOR, APP, 'bill', { filter: { '==': [{ var: 'number' }, 'B-1'] } })).items[0]
    await refusal(records.create(SYSTEM_ACTOR, APP, 'payment', { bill: closed.id, paid_on: '2026-03-30', amount: '10.00' }))
    await records.create(SYSTEM_ACTOR, APP, 'payment', { bill: closed.id, paid_on: '2026-04-03', amount: '30.00' })
    expect((await records.get(SYSTEM_ACTOR, APP, 'bill', closed.id)).values).toMatchObject({ paid: '30.00', issued: '2026-03-10' })
  })

  it('leaves forms without a period field alone', async () => {
    const memoRecord = await records.create(SYSTEM_ACTOR, APP, 'memo', { title: '旧事', on: '2025-01-01' })
    await records.delete(SYSTEM_ACTOR, APP, 'memo', memoRecord.id)
  })

  it('opens the periods again when the close is moved back or cleared', async () => {
    const closed = (await records.list(SYSTEM_ACTOR, APP, 'bill', { filter: { '==': [{ var: 'number' }, 'B-1'] } })).items[0]
    await closeThrough('2026-03-09')
    const changed = await records.update(SYSTEM_ACTOR, APP, 'bill', closed.id, { version: closed.version, values: { note: '重开' } })
    expect(changed.values.note).toBe('重开')
    await closeThrough(null)
    await records.create(SYSTEM_ACTOR, APP, 'bill', { number: 'B-3', issued: '2020-01-01', amount: '1.00' })
  })

  it.runIf(suite.name === 'postgres')('makes a close wait for a write already checked against the old date', async () => {
    await closeThrough('2026-01-31')
    let closeDone = false
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    let checked!: () => void
    const wasChecked = new Promise<void>((resolve) => (checked = resolve))
    const writing = database.transaction(async (trx) => {
      await records.create(SYSTEM_ACTOR, APP, 'bill', { number: 'B-race', issued: '2026-02-15', amount: '7.00' }, { trx })
      checked()
      await held
    })
    await wasChecked
    const closing = closeThrough('2026-02-28').then(() => (closeDone = true))
    await new Promise((resolve) => setTimeout(resolve, 300))
    // The close waits on the lock the write took, shared, when it read the old date.
    expect(closeDone).toBe(false)
    // A write arriving while the close waits queues behind it, rather than slipping in with the old
    // date (and, with many such writes, keeping the close waiting without end).
    const after = records.create(SYSTEM_ACTOR, APP, 'bill', { number: 'B-queued', issued: '2026-02-20', amount: '7.00' })
      .then(() => 'accepted', (error: unknown) => (error as TesseraError).code)
    await new Promise((resolve) => setTimeout(resolve, 300))
    release()
    await writing
    await closing
    expect(closeDone).toBe(true)
    expect(await after).toBe('conflict.closed_period')
    // The record written before the close is in it now, and a new one of that month is refused.
    await refusal(records.create(SYSTEM_ACTOR, APP, 'bill', { number: 'B-late', issued: '2026-02-16', amount: '7.00' }))
    await closeThrough(null)
  })

  it('refuses to name a period field while stored records have no date in it', async () => {
    const catalog = new Catalog(database)
    const undated = await records.create(SYSTEM_ACTOR, APP, 'memo', { title: '无日期' })
    const dated: FormDefinition = {
      ...memo, periodField: 'on',
      fields: [memo.fields[0], { ...memo.fields[1], required: true } as FormDefinition['fields'][number]],
    }
    await catalog.saveDraft(APP, dated)
    const refused = await catalog.publish(APP, ['memo'], SYSTEM_ACTOR).then(() => undefined, (error: TesseraError) => error)
    expect(refused).toMatchObject({
      code: 'metadata.invalid',
      issues: [{ field: 'periodField', rule: 'undated', received: { records: 1 } }],
    })
    expect(refused!.messages['zh-CN']).toBe('结账期间字段「日期」：已有 1 条记录的该日期为空，这些记录不属于任何期间，结账管不到它们；请先补齐日期再发布')
    expect((await catalog.getForm(APP, 'memo')).definition.periodField).toBeUndefined()
    await records.update(SYSTEM_ACTOR, APP, 'memo', undated.id, { version: undated.version, values: { on: '2026-05-01' } })
    await catalog.publish(APP, ['memo'], SYSTEM_ACTOR)
    const published = (await catalog.getForm(APP, 'memo')).definition
    expect(published.periodField).toBe('on')
    // Renamed, the period field keeps its column and its dates: no record is undated.
    const renamed: FormDefinition = {
      ...published, periodField: 'happened',
      fields: published.fields.map((field) => (field.key === 'on' ? { ...field, key: 'happened' } : field)),
    }
    await catalog.saveDraft(APP, renamed)
    await catalog.publish(APP, ['memo'], SYSTEM_ACTOR)
    expect((await catalog.getForm(APP, 'memo')).definition.periodField).toBe('happened')
  })

  it('checks the period field when the form is saved', () => {
    const issuesOf = (definition: FormDefinition) => {
      try {
        checkFormDefinition(definition)
      } catch (error) {
        return (error as TesseraError).issues.filter((issue) => issue.field === 'periodField').map((issue) => issue.message)
      }
      return []
    }
    expect(issuesOf(bill)).toEqual([])
    expect(issuesOf({ ...bill, periodField: 'nowhere' })).toEqual(['periodField "nowhere" is not a field of this form'])
    expect(issuesOf({ ...bill, periodField: 'number' })).toEqual(['periodField "number" must be a date field, not text'])
    const optional = { ...memo, periodField: 'on' }
    expect(issuesOf(optional)).toEqual(['periodField "on" must be a required date field that is always shown'])
    const hidden: FormDefinition = { ...memo, periodField: 'on', fields: [memo.fields[0], { ...memo.fields[1], required: true, visibleWhen: { '==': [1, 1] } } as never] }
    expect(issuesOf(hidden)).toEqual(['periodField "on" must be a required date field that is always shown'])
  })
})
