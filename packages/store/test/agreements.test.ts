import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type FormDefinition } from '@tessera/core'
import { checkFormDefinition } from '@tessera/forms'
import { Catalog, RecordService, type Database } from '../src/index.js'
import { databaseSuites } from '../src/testing.js'

const APP = 'agree-lab'

const client: FormDefinition = {
  key: 'client', label: '客户', titleField: 'name',
  fields: [{ key: 'name', type: 'text', label: '名称', required: true }],
}
const order: FormDefinition = {
  key: 'order', label: '订单',
  fields: [
    { key: 'number', type: 'text', label: '单号', required: true },
    { key: 'client', type: 'link', form: 'client', label: '客户', required: true },
  ],
}
const request: FormDefinition = {
  key: 'request', label: '申请',
  fields: [
    { key: 'order', type: 'link', form: 'order', label: '订单', required: true },
    { key: 'client', type: 'link', form: 'client', label: '客户' },
  ],
  agreements: [{ key: 'same_client', paths: ['client', 'order.client'],
    message: { 'zh-CN': '客户须与订单的客户一致', en: 'The client must be the order\'s client' } }],
}

const bill: FormDefinition = {
  key: 'bill', label: '账单', titleField: 'number',
  fields: [
    { key: 'number', type: 'text', label: '单号', required: true },
    { key: 'issued', type: 'date', label: '开票日期' },
  ],
}
const payment: FormDefinition = {
  key: 'payment', label: '付款',
  fields: [
    { key: 'bill', type: 'link', form: 'bill', label: '账单', required: true },
    { key: 'paid_on', type: 'date', label: '付款日期' },
    { key: 'note', type: 'text', label: '备注' },
    { key: 'amount', type: 'money', label: '金额' },
  ],
  agreements: [{ key: 'after_bill', paths: ['bill.issued', 'paid_on'], compare: '<=',
    message: { 'zh-CN': '付款日期不能早于开票日期', en: 'A payment cannot predate its bill' } }],
}

describe.each(databaseSuites())('agreements across linked records on $name', (suite) => {
  let database: Database
  let records: RecordService
  let catalog: Catalog
  const ids: Record<string, number> = {}

  beforeAll(async () => {
    database = await suite.open()
    catalog = new Catalog(database)
    records = new RecordService(database, catalog)
    await catalog.saveApp({ key: APP, label: '一致性' })
    for (const form of [client, order, request, bill, payment]) await catalog.saveDraft(APP, form)
    await catalog.publish(APP, ['client', 'order', 'request', 'bill', 'payment'], SYSTEM_ACTOR)
    ids.a = (await records.create(SYSTEM_ACTOR, APP, 'client', { name: '甲' })).id
    ids.b = (await records.create(SYSTEM_ACTOR, APP, 'client', { name: '乙' })).id
    ids.order = (await records.create(SYSTEM_ACTOR, APP, 'order', { number: 'O-1', client: ids.a })).id
  })
  afterAll(() => database?.close())

  const requests = async () => (await sql<{ n: number }>`select count(*)::int as n from agree_lab.request`
    .execute(database.db)).rows[0].n

  it('accepts values that agree, or a path left empty', async () => {
    await records.create(SYSTEM_ACTOR, APP, 'request', { order: ids.order, client: ids.a })
    await records.create(SYSTEM_ACTOR, APP, 'request', { order: ids.order })
    expect(await requests()).toBe(2)
  })

  it('refuses a record whose values disagree, naming the link, and writes nothing', async () => {
    const refused = records.create(SYSTEM_ACTOR, APP, 'request', { order: ids.order, client: ids.b }, { locale: 'en' })
    await expect(refused).rejects.toMatchObject({
      code: 'validation.failed',
      message: 'The client must be the order\'s client',
      issues: [expect.objectContaining({ field: 'order', rule: 'agreement' })],
    })
    // A refused new record has no id: the one its insert took is rolled back.
    const createError = await refused.catch((error: { issues: { expected: object }[] }) => error)
    expect((createError as { issues: { expected: object }[] }).issues[0].expected)
      .toEqual({ agreement: 'same_client', paths: ['client', 'order.client'] })
    expect(await requests()).toBe(2)

    const kept = await records.create(SYSTEM_ACTOR, APP, 'request', { order: ids.order, client: ids.a })
    // Changing its own client, the refusal stands on the client it changed, not on the order.
    await expect(records.update(SYSTEM_ACTOR, APP, 'request', kept.id, { version: kept.version, values: { client: ids.b } }))
      .rejects.toMatchObject({
        code: 'validation.failed',
        issues: [expect.objectContaining({ field: 'client', expected: expect.objectContaining({ record: kept.id }) })],
      })
    expect((await records.get(SYSTEM_ACTOR, APP, 'request', kept.id)).values.client).toBe(ids.a)
  })

  it('checks the paths an agreement names when the form is saved', () => {
    let problem: unknown
    try {
      checkFormDefinition({ ...request, agreements: [
        { key: 'x', paths: ['client', 'nowhere.client'], message: 'x' },
        { key: 'y', paths: ['client.name.more', 'order.client'], message: 'y' },
      ] })
    } catch (error) {
      problem = error
    }
    expect(problem).toMatchObject({ code: 'metadata.invalid', issues: [
      expect.objectContaining({ field: 'agreements[0].paths[1]', rule: 'reference' }),
      expect.objectContaining({ field: 'agreements[1].paths[0]', rule: 'reference' }),
    ] })
  })

  it('refuses on publish values that can never be equal, and paths into the linked form that do not exist', async () => {
    const catalog = new Catalog(database)
    const publish = async (agreements: unknown[]) => {
      await catalog.saveDraft(APP, { ...request, agreements } as typeof request)
      return catalog.publish(APP, ['request'], SYSTEM_ACTOR)
    }
    // A client link and an order link: a client is never an order.
    await expect(publish([{ key: 'mixed', paths: ['client', 'order'], message: 'x' }])).rejects.toMatchObject({
      code: 'metadata.invalid',
      issues: [expect.objectContaining({ field: 'agreements[0].paths', message: expect.stringContaining('can never be equal') })],
      messages: { 'zh-CN': '表单「申请」不能发布：一致性要求 mixed 中「客户」与「订单」是不同种类的值（例如指向不同表单的关联），永远不会相等' },
    })
    await expect(publish([{ key: 'gone', paths: ['client', 'order.nothing'], message: 'x' }])).rejects.toMatchObject({
      code: 'metadata.invalid',
      issues: [expect.objectContaining({ field: 'agreements[0].paths[1]' })],
    })
    // The published version still holds.
    await catalog.saveDraft(APP, request)
    expect((await catalog.getForm(APP, 'request')).definition.agreements).toEqual(request.agreements)
  })

  it('holds dates in order: a payment on or after its bill\'s date, refused on the date before, nothing written', async () => {
    const issued = (await records.create(SYSTEM_ACTOR, APP, 'bill', { number: 'B-1', issued: '2026-03-10' })).id
    const payments = async () => (await sql<{ n: number }>`select count(*)::int as n from agree_lab.payment`
      .execute(database.db)).rows[0].n
    // The same day, a later one, and no date at all agree.
    const same = await records.create(SYSTEM_ACTOR, APP, 'payment', { bill: issued, paid_on: '2026-03-10' })
    await records.create(SYSTEM_ACTOR, APP, 'payment', { bill: issued, paid_on: '2026-04-01' })
    await records.create(SYSTEM_ACTOR, APP, 'payment', { bill: issued })
    expect(await payments()).toBe(3)

    await expect(records.create(SYSTEM_ACTOR, APP, 'payment', { bill: issued, paid_on: '2026-03-09' }))
      .rejects.toMatchObject({
        code: 'validation.failed',
        message: '付款日期不能早于开票日期',
        // On the date to change, not on the bill.
        issues: [{ field: 'paid_on', rule: 'agreement', message: '付款日期不能早于开票日期',
          expected: { agreement: 'after_bill', paths: ['bill.issued', 'paid_on'] } }],
      })
    expect(await payments()).toBe(3)
    await expect(records.update(SYSTEM_ACTOR, APP, 'payment', same.id, { version: same.version, values: { paid_on: '2025-12-31' } }))
      .rejects.toMatchObject({ issues: [expect.objectContaining({ field: 'paid_on', expected: expect.objectContaining({ record: same.id }) })] })
    expect((await records.get(SYSTEM_ACTOR, APP, 'payment', same.id)).values.paid_on).toBe('2026-03-10')

    // Strictly after: the same day is refused too.
    await catalog.saveDraft(APP, { ...payment, agreements: [{ ...payment.agreements![0], compare: '<' }] })
    await catalog.publish(APP, ['payment'], SYSTEM_ACTOR)
    await expect(records.create(SYSTEM_ACTOR, APP, 'payment', { bill: issued, paid_on: '2026-03-10' }))
      .rejects.toMatchObject({ code: 'validation.failed' })
    await records.create(SYSTEM_ACTOR, APP, 'payment', { bill: issued, paid_on: '2026-03-11' })
    await catalog.saveDraft(APP, payment)
    await catalog.publish(APP, ['payment'], SYSTEM_ACTOR)
  })

  it('refuses moving a bill\'s date past its payments, on the date, naming them, and keeps the bill', async () => {
    const bill = await records.create(SYSTEM_ACTOR, APP, 'bill', { number: 'B-2', issued: '2026-03-01' })
    const paid = []
    for (const day of ['2026-03-05', '2026-03-20', '2026-04-02', '2026-04-15']) {
      paid.push((await records.create(SYSTEM_ACTOR, APP, 'payment', { bill: bill.id, paid_on: day })).id)
    }
    await records.create(SYSTEM_ACTOR, APP, 'payment', { bill: bill.id })
    const move = (issued: string, locale: 'zh-CN' | 'en' = 'zh-CN') =>
      records.update(SYSTEM_ACTOR, APP, 'bill', bill.id, { version: bill.version, values: { issued } }, { locale })

    await expect(move('2026-03-21')).rejects.toMatchObject({
      code: 'validation.failed',
      issues: [{ field: 'issued', rule: 'agreement',
        message: `已有付款 #${paid[0]}、#${paid[1]} 与此不符：付款日期不能早于开票日期`,
        expected: { agreement: 'after_bill', form: 'payment', paths: ['bill.issued', 'paid_on'], records: paid.slice(0, 2) } }],
    })
    await expect(move('2026-05-01', 'en')).rejects.toMatchObject({
      issues: [expect.objectContaining({ field: 'issued',
        message: `付款 #${paid[0]}, #${paid[1]}, #${paid[2]} and 1 more would no longer agree: A payment cannot predate its bill` })],
    })
    await expect(move('2026-05-01')).rejects.toMatchObject({
      issues: [expect.objectContaining({ message: expect.stringContaining(`#${paid[2]} 等 4 条与此不符`) })],
    })
    expect((await records.get(SYSTEM_ACTOR, APP, 'bill', bill.id)).values.issued).toBe('2026-03-01')

    // Up to the first payment's day is fine; a change to another field reads no payment.
    const moved = await move('2026-03-05')
    expect(moved.values.issued).toBe('2026-03-05')
    await records.update(SYSTEM_ACTOR, APP, 'bill', bill.id, { version: moved.version, values: { number: 'B-2a' } })
  })

  it('refuses changing an order\'s client under requests that name the old one', async () => {
    const order = await records.create(SYSTEM_ACTOR, APP, 'order', { number: 'O-2', client: ids.a })
    const named = await records.create(SYSTEM_ACTOR, APP, 'request', { order: order.id, client: ids.a })
    await records.create(SYSTEM_ACTOR, APP, 'request', { order: order.id })
    await expect(records.update(SYSTEM_ACTOR, APP, 'order', order.id, { version: order.version, values: { client: ids.b } }))
      .rejects.toMatchObject({ issues: [{ field: 'client', rule: 'agreement',
        message: `已有申请 #${named.id} 与此不符：客户须与订单的客户一致`,
        expected: expect.objectContaining({ form: 'request', records: [named.id] }) }] })
    expect((await records.get(SYSTEM_ACTOR, APP, 'order', order.id)).values.client).toBe(ids.a)
    // Once the request names no client, the order's client may change.
    const request = await records.get(SYSTEM_ACTOR, APP, 'request', named.id)
    await records.update(SYSTEM_ACTOR, APP, 'request', named.id, { version: request.version, values: { client: null } })
    await records.update(SYSTEM_ACTOR, APP, 'order', order.id, { version: order.version, values: { client: ids.b } })
  })

  // Two connections are needed: PGlite has one, so these run on PostgreSQL.
  it.runIf(suite.name === 'postgres')('checks a request and a change of its order\'s client written at the same moment one after the other', async () => {
    // Settles once `pending` has, or once it waits for a lock another transaction holds.
    const waiting = async (pending: Promise<unknown>) => {
      let settled = false
      void pending.finally(() => (settled = true))
      for (let round = 0; round < 200 && !settled; round += 1) {
        const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_locks where not granted`.execute(database.db)
        if (rows[0].n > 0) return
        await new Promise((resolve) => setTimeout(resolve, 25))
      }
    }
    const outcome = (write: Promise<unknown>) => write.then(() => 'written', (error: { code?: string }) => error.code)

    // The order's client changes first; the request, checked meanwhile, waits and reads the new client.
    const order = await records.create(SYSTEM_ACTOR, APP, 'order', { number: 'O-4', client: ids.a })
    let request: Promise<unknown> = Promise.resolve()
    await database.db.transaction().execute(async (trx) => {
      await records.update(SYSTEM_ACTOR, APP, 'order', order.id, { version: order.version, values: { client: ids.b } }, { trx })
      request = outcome(records.create(SYSTEM_ACTOR, APP, 'request', { order: order.id, client: ids.a }))
      await waiting(request)
    })
    expect(await request).toBe('validation.failed')

    // The request comes first; the change of the order's client waits and then finds it.
    const other = await records.create(SYSTEM_ACTOR, APP, 'order', { number: 'O-5', client: ids.a })
    let change: Promise<unknown> = Promise.resolve()
    await database.db.transaction().execute(async (trx) => {
      await records.create(SYSTEM_ACTOR, APP, 'request', { order: other.id, client: ids.a }, { trx })
      change = outcome(records.update(SYSTEM_ACTOR, APP, 'order', other.id, { version: other.version, values: { client: ids.b } }))
      await waiting(change)
    })
    expect(await change).toBe('validation.failed')
  })

  it('refuses an order between values that have none, or between a date and a number', async () => {
    const publish = async (agreements: unknown[]) => {
      await catalog.saveDraft(APP, { ...payment, agreements } as typeof payment)
      return catalog.publish(APP, ['payment'], SYSTEM_ACTOR)
    }
    await expect(publish([{ key: 'texts', paths: ['bill.number', 'note'], compare: '<=', message: 'x' }])).rejects.toMatchObject({
      code: 'metadata.invalid',
      issues: [expect.objectContaining({ field: 'agreements[0].compare', message: expect.stringContaining('has no order') })],
    })
    await expect(publish([{ key: 'mixed', paths: ['bill.issued', 'amount'], compare: '<=', message: 'x' }])).rejects.toMatchObject({
      issues: [expect.objectContaining({ field: 'agreements[0].paths', message: expect.stringContaining('cannot be put in order') })],
    })
    expect(() => checkFormDefinition({ ...payment, agreements: [{ key: 'z', paths: ['paid_on', 'bill.issued'], compare: '>', message: 'z' }] }))
      .toThrow(expect.objectContaining({ code: 'metadata.invalid' }))
    await catalog.saveDraft(APP, payment)
    expect((await catalog.getForm(APP, 'payment')).definition.agreements).toEqual(payment.agreements)
  })

  it('holds date-times in order too', async () => {
    // Date-times have an order too.
    await catalog.saveDraft(APP, { ...payment, fields: [...payment.fields, { key: 'booked', type: 'datetime', label: '预订' },
      { key: 'back', type: 'datetime', label: '返回' }], agreements: [{ key: 'times', paths: ['booked', 'back'], compare: '<', message: '返回须晚于预订' }] })
    await catalog.publish(APP, ['payment'], SYSTEM_ACTOR)
    const bill = (await records.create(SYSTEM_ACTOR, APP, 'bill', { number: 'B-9', issued: '2026-04-01' })).id
    const early = records.create(SYSTEM_ACTOR, APP, 'payment', { bill, paid_on: '2026-05-01',
      booked: '2026-05-01T10:00:00+08:00', back: '2026-05-01T09:00:00+08:00' })
    await expect(early).rejects.toMatchObject({ issues: [expect.objectContaining({ field: 'booked', message: '返回须晚于预订' })] })
  })
})
