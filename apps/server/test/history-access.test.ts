import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '@tessera/core'
import { Platform } from '@tessera/platform'
import { databaseSuites } from '@tessera/store/testing'
import { createTestServer, saveRole, type SignedIn, type TestServer } from './support.js'

const TEMPLATE = resolve(__dirname, '../../../templates/customer-settlement')
const APP = 'customer-settlement'
const API = `/api/apps/${APP}`

/**
 * A record's history keeps the values as written, lookups' copies of the
 * linked record included. A reader sees a lookup live through the linked
 * form's rules; its stored copy in the history must not show them more.
 */
describe.each(databaseSuites())('lookups in a record history on $name', (suite) => {
  let platform: Platform
  let server: TestServer
  let hider: SignedIn
  let someCustomers: SignedIn
  let viaCustomer: SignedIn
  const ids = { contract: 0, writeOff: 0 }

  const changes = async (who: SignedIn, form: string, id: number) => {
    const response = await who.inject(`${API}/forms/${form}/records/${id}/history`)
    expect(response.statusCode, response.body).toBe(200)
    return (response.json() as Array<{ before: Record<string, unknown> | null; after: Record<string, unknown> | null }>)
  }

  beforeAll(async () => {
    platform = new Platform(await suite.open())
    await platform.installTemplate(TEMPLATE, SYSTEM_ACTOR)
    server = await createTestServer(platform)
    await saveRole(server, APP, 'hider', {
      customer: { actions: ['read'] }, contract: { actions: ['read'] },
      invoice: { actions: ['read'], fields: { amount: 'hidden' } }, write_off: { actions: ['read'] },
    })
    await saveRole(server, APP, 'some_customers', {
      customer: { actions: ['read'], rows: { kind: 'own', field: 'owner' } }, contract: { actions: ['read'] },
    })
    await saveRole(server, APP, 'via_customer', {
      customer: { actions: ['read'], rows: { kind: 'own', field: 'owner' } },
      contract: { actions: ['read'], rows: { kind: 'via', link: 'customer' } },
    })
    hider = await server.createUser({ username: 'hist.hider', roles: [`${APP}/hider`] })
    someCustomers = await server.createUser({ username: 'hist.some', roles: [`${APP}/some_customers`] })
    viaCustomer = await server.createUser({ username: 'hist.via', roles: [`${APP}/via_customer`] })

    const customer = await platform.records.create(SYSTEM_ACTOR, APP, 'customer', {
      code: 'C-HIST', name: '华东某公司', region: '华东', owner: String(viaCustomer.user.id),
    })
    ids.contract = (await platform.records.create(SYSTEM_ACTOR, APP, 'contract', {
      number: 'HT-HIST-1', customer: customer.id, signed_on: '2026-10-01', amount: '5000.00',
    })).id
    const invoice = await platform.records.create(SYSTEM_ACTOR, APP, 'invoice', {
      number: 'INV-HIST-1', customer: customer.id, invoice_date: '2026-11-01', due_date: '2026-12-01', amount: '7371.45',
    })
    ids.writeOff = (await platform.records.create(SYSTEM_ACTOR, APP, 'write_off', {
      invoice: invoice.id, date: '2026-11-20', amount: '0.45', reason: 'rounding',
    })).id
  })
  afterAll(async () => {
    await server?.close()
    await platform?.close()
  })

  it('leaves out a lookup of a field hidden from the reader, which the record itself reads as empty', async () => {
    const record = (await hider.inject(`${API}/forms/write_off/records/${ids.writeOff}`)).json()
    expect(record.values.invoice_amount ?? null).toBeNull()
    const [created] = await changes(hider, 'write_off', ids.writeOff)
    expect(created.after).toMatchObject({ amount: '0.45', reason: 'rounding' })
    expect(created.after).not.toHaveProperty('invoice_amount')
    // The administrator sees the copy as stored.
    const [stored] = await changes(server.admin, 'write_off', ids.writeOff)
    expect(stored.after).toMatchObject({ invoice_amount: '7371.45' })
  })

  it('leaves out a lookup through a link to records the reader may not all read', async () => {
    const [created] = await changes(someCustomers, 'contract', ids.contract)
    expect(created.after).toMatchObject({ number: 'HT-HIST-1' })
    expect(created.after).not.toHaveProperty('customer_region')
  })

  it('leaves out a lookup of a rollup the reader sees recomputed over their own rows', async () => {
    // A probe form with a lookup of an invoice's allocated total (a rollup over allocations).
    await platform.catalog.saveDraft(APP, {
      key: 'probe', label: '探针', titleField: 'code',
      fields: [
        { key: 'code', type: 'text', label: '编号', required: true },
        { key: 'inv', type: 'link', form: 'invoice', label: '发票' },
        { key: 'inv_alloc', type: 'lookup', link: 'inv', field: 'allocated_total', label: '发票已核销' },
      ],
    })
    await platform.catalog.publish(APP, ['probe'], SYSTEM_ACTOR)
    const invoice = await platform.records.create(SYSTEM_ACTOR, APP, 'invoice', {
      number: 'INV-HIST-2', customer: (await platform.records.create(SYSTEM_ACTOR, APP, 'customer', { code: 'C-HIST-2', name: '核销客户' })).id,
      invoice_date: '2026-11-01', due_date: '2026-12-01', amount: '500.00',
    })
    const receipt = await platform.records.create(SYSTEM_ACTOR, APP, 'receipt', {
      number: 'RC-HIST-2', customer: invoice.values.customer, date: '2026-11-05', amount: '300.00',
    })
    await platform.records.create(SYSTEM_ACTOR, APP, 'allocation', { receipt: receipt.id, invoice: invoice.id, date: '2026-11-05', amount: '300.00' })
    const probe = await platform.records.create(SYSTEM_ACTOR, APP, 'probe', { code: 'P-1', inv: invoice.id })
    await saveRole(server, APP, 'big_allocations', {
      probe: { actions: ['read'] }, invoice: { actions: ['read'] }, customer: { actions: ['read'] },
      allocation: { actions: ['read'], rows: { kind: 'custom', rule: { '>': [{ var: 'amount' }, '100000'] } } },
    })
    const reader = await server.createUser({ username: 'hist.bigalloc', roles: [`${APP}/big_allocations`] })
    // The record reads the total over the reader's allocations (none of them)…
    expect((await reader.inject(`${API}/forms/probe/records/${probe.id}`)).json().values.inv_alloc).toBe('0.00')
    // …and its history does not show the stored total over all of them.
    const [created] = await changes(reader, 'probe', probe.id)
    expect(created.after).toMatchObject({ code: 'P-1' })
    expect(created.after).not.toHaveProperty('inv_alloc')
    const [stored] = await changes(server.admin, 'probe', probe.id)
    expect(stored.after).toMatchObject({ inv_alloc: '300.00' })
  })

  it('keeps a lookup for a reader who reaches the record only through that link', async () => {
    const [created] = await changes(viaCustomer, 'contract', ids.contract)
    expect(created.after).toMatchObject({ number: 'HT-HIST-1', customer_region: '华东' })
  })
})

/**
 * A history keeps the keys of its day; a field renamed since is shown under
 * today's key (its label, and today's field rules), one removed since only
 * to a reader no field rule limits, with its last definition.
 */
describe.each(databaseSuites())('a record history after its form changed, on $name', (suite) => {
  const LAB = 'history-lab'
  let platform: Platform
  let server: TestServer
  let limited: SignedIn
  let id = 0

  beforeAll(async () => {
    platform = new Platform(await suite.open())
    await platform.catalog.saveApp({ key: LAB, label: '历史实验' })
    await platform.catalog.saveDraft(LAB, {
      key: 'claim', label: '报销', titleField: 'number',
      fields: [
        { key: 'number', type: 'text', label: '单号', required: true },
        { key: 'invoice_no', type: 'text', label: '发票号' },
        { key: 'secret', type: 'text', label: '内部备注' },
        { key: 'category', type: 'select', label: '类别', options: [{ value: 'travel', label: '差旅' }] },
        { key: 'items', type: 'lines', label: '明细', fields: [{ key: 'what', type: 'text', label: '事项' }] },
      ],
    })
    await platform.catalog.publish(LAB, ['claim'], SYSTEM_ACTOR)
    id = (await platform.records.create(SYSTEM_ACTOR, LAB, 'claim', {
      number: 'BX-1', invoice_no: 'FP001', secret: '只给财务看', category: 'travel', items: [{ what: '机票' }],
    })).id
    // Renamed (same column) and removed since.
    const published = (await platform.catalog.getForm(LAB, 'claim')).definition
    await platform.catalog.saveDraft(LAB, {
      ...published,
      fields: published.fields
        .filter((field) => field.key !== 'category')
        .map((field) => field.key === 'invoice_no' ? { ...field, key: 'fapiao_no', label: '发票号码' }
          : field.key === 'secret' ? { ...field, key: 'internal_note' }
            : field.key === 'items' ? { ...field, key: 'entries' } : field),
    })
    await platform.catalog.publish(LAB, ['claim'], SYSTEM_ACTOR)
    server = await createTestServer(platform)
    await saveRole(server, LAB, 'reader', { claim: { actions: ['read'], fields: { internal_note: 'hidden' } } })
    limited = await server.createUser({ username: 'hist.limited', roles: [`${LAB}/reader`] })
  })
  afterAll(async () => {
    await server?.close()
    await platform?.close()
  })

  const created = async (who: SignedIn) => {
    const response = await who.inject(`/api/apps/${LAB}/forms/claim/records/${id}/history`)
    expect(response.statusCode, response.body).toBe(200)
    return (response.json() as Array<{ after: Record<string, unknown>; removedFields?: Array<{ key: string; label: unknown }> }>)[0]
  }

  it('shows a renamed field under its key of today, and a removed one with its last definition', async () => {
    const row = await created(server.admin)
    expect(row.after).toMatchObject({ number: 'BX-1', fapiao_no: 'FP001', internal_note: '只给财务看', category: 'travel' })
    expect(row.after).not.toHaveProperty('invoice_no')
    expect(row.removedFields).toMatchObject([{ key: 'category', label: '类别' }])
  })

  it('applies today\u2019s field rules to a renamed field, and shows a removed one to no limited reader', async () => {
    const row = await created(limited)
    expect(row.after).toMatchObject({ number: 'BX-1', fapiao_no: 'FP001', entries: [expect.objectContaining({ what: '机票' })] })
    expect(row.after).not.toHaveProperty('items')
    expect(row.after).not.toHaveProperty('internal_note')
    expect(row.after).not.toHaveProperty('secret')
    expect(row.after).not.toHaveProperty('category')
    expect(row.removedFields).toBeUndefined()
  })
})
