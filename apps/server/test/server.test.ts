import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '@tessera/core'
import { loadDemo, Platform } from '@tessera/platform'
import { databaseSuites } from '@tessera/store/testing'
import { createTestServer, type TestServer } from './support.js'

const TEMPLATE = resolve(__dirname, '../../../templates/customer-settlement')
const APP = '/api/apps/customer-settlement'

describe.each(databaseSuites())('HTTP API on $name', (suite) => {
  let platform: Platform
  let server: TestServer
  let customerId: number

  beforeAll(async () => {
    platform = new Platform(await suite.open())
    await platform.installTemplate(TEMPLATE, SYSTEM_ACTOR)
    await loadDemo(platform, TEMPLATE, {
      outDir: mkdtempSync(join(tmpdir(), 'tessera-demo-')), size: 150, end: '2026-06-30', actor: SYSTEM_ACTOR,
    })
    server = await createTestServer(platform)
    const customers = await server.inject({ url: `${APP}/forms/customer/records?pageSize=1` })
    customerId = customers.json().items[0].id
  })
  afterAll(async () => {
    await server?.close()
    await platform?.close()
  })

  it('describes the app, its forms, reports and dashboards', async () => {
    const apps = await server.inject({ url: '/api/apps' })
    expect(apps.json().map((a: { key: string }) => a.key)).toEqual(['customer-settlement'])
    const app = (await server.inject({ url: APP })).json()
    expect(app.forms.map((f: { key: string }) => f.key)).toEqual(['customer', 'contract', 'order', 'invoice_request', 'invoice', 'receipt', 'allocation', 'write_off'])
    expect(app.dashboards.map((d: { key: string }) => d.key)).toEqual(['receivables'])
    const form = (await server.inject({ url: `${APP}/forms/invoice` })).json()
    expect(form.definition.fields.find((f: { key: string }) => f.key === 'customer')).toMatchObject({ type: 'link', column: 'customer_id' })
  })

  it('creates, reads, updates and deletes a record over HTTP', async () => {
    const created = await server.inject({
      method: 'POST', url: `${APP}/forms/invoice/records`,
      payload: { values: { number: 'HTTP-1', customer: customerId, invoice_date: '2026-05-01', due_date: '2026-05-31', amount: '1234.5' } },
    })
    expect(created.statusCode).toBe(201)
    const record = created.json()
    expect(record.values.amount).toBe('1234.50')
    expect(record.titles.customer).toEqual(expect.any(String))

    const patched = await server.inject({
      method: 'PATCH', url: `${APP}/forms/invoice/records/${record.id}`,
      payload: { version: record.version, values: { amount: '99.99' } },
    })
    expect(patched.statusCode).toBe(200)
    expect(patched.json()).toMatchObject({ version: 2, values: { amount: '99.99', number: 'HTTP-1' } })

    const stale = await server.inject({
      method: 'PATCH', url: `${APP}/forms/invoice/records/${record.id}`,
      payload: { version: 1, values: { amount: '1.00' } },
    })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().error.code).toBe('conflict.version')

    const listed = await server.inject({ url: `${APP}/forms/invoice/records?q=HTTP-1` })
    expect(listed.json()).toMatchObject({ total: 1, items: [{ id: record.id }] })

    const deleted = await server.inject({ method: 'DELETE', url: `${APP}/forms/invoice/records/${record.id}` })
    expect(deleted.statusCode).toBe(204)
    expect((await server.inject({ url: `${APP}/forms/invoice/records/${record.id}` })).statusCode).toBe(404)
  })

  it('answers bad values with field-level messages in the asked language', async () => {
    const payload = { values: { number: '', customer: customerId, invoice_date: '2026-02-30', due_date: '2026-03-01', amount: 12.5 } }
    const zh = await server.inject({ method: 'POST', url: `${APP}/forms/invoice/records`, payload })
    expect(zh.statusCode).toBe(400)
    const error = zh.json().error
    expect(error.code).toBe('validation.failed')
    expect(error.issues.map((i: { field: string }) => i.field).sort()).toEqual(['amount', 'invoice_date', 'number'])
    expect(error.issues.find((i: { field: string }) => i.field === 'amount').message).toContain('金额')

    const en = await server.inject({ method: 'POST', url: `${APP}/forms/invoice/records`, payload, headers: { 'accept-language': 'en-US,en;q=0.9' } })
    expect(en.json().error.issues.find((i: { field: string }) => i.field === 'amount').message).toContain('Amount')
  })

  it('keeps a settlement chain within one customer, and due dates after invoice dates', async () => {
    const post = (form: string, values: object) =>
      server.inject({ method: 'POST', url: `${APP}/forms/${form}/records`, payload: { values } })
    const a = (await post('customer', { code: 'CH-A', name: '链甲' })).json().id
    const b = (await post('customer', { code: 'CH-B', name: '链乙' })).json().id
    const order = await post('order', { customer: a, order_date: '2026-02-01',
      items: [{ product: '钢梁', quantity: 2, unit_price: '500.00' }] })
    expect(order.statusCode, order.body).toBe(201)
    const lines = [{ description: '钢梁', quantity: 1, unit_price: '500.00', tax_rate: '0.13' }]

    const crossed = await post('invoice_request', { order: order.json().id, customer: b, request_date: '2026-02-02',
      invoice_type: 'normal', lines })
    expect(crossed.statusCode).toBe(400)
    expect(crossed.json().error).toMatchObject({ code: 'validation.failed',
      issues: [expect.objectContaining({ field: 'order', rule: 'agreement', message: '客户须与订单的客户一致' })] })
    const fine = await post('invoice_request', { order: order.json().id, customer: a, request_date: '2026-02-02',
      invoice_type: 'normal', lines })
    expect(fine.statusCode, fine.body).toBe(201)
    // Beyond the order's amount: the refusal names the order by its number.
    const beyond = await post('invoice_request', { order: order.json().id, customer: a, request_date: '2026-02-03',
      invoice_type: 'normal', lines: [{ ...lines[0], unit_price: '600.00' }] })
    expect(beyond.statusCode).toBe(409)
    expect(beyond.json().error.message)
      .toBe(`开票申请合计不能超过订单金额（订单「${order.json().values.number}」：合计 1,100.00，上限 1,000.00，此前尚余 500.00）`)

    // Invoices of one request stay within its amount.
    const request = fine.json()
    expect(request.values.amount).toBe('500.00')
    const invoiced = (number: string, amount: string) => post('invoice', { number, customer: a, request: request.id,
      invoice_date: '2026-02-05', due_date: '2026-03-05', amount })
    expect((await invoiced('CH-INV-1', '450.00')).statusCode).toBe(201)
    const twice = await invoiced('CH-INV-2', '450.00')
    expect(twice.statusCode).toBe(409)
    expect(twice.json().error.message)
      .toBe(`同一开票申请下的发票合计不能超过申请金额（开票申请「${request.values.number}」：合计 900.00，上限 500.00，此前尚余 50.00）`)
    expect((await invoiced('CH-INV-3', '50.00')).statusCode).toBe(201)

    const huge = await server.inject({ method: 'POST', url: `${APP}/forms/invoice/records`,
      headers: { 'content-type': 'application/json' },
      payload: '{"values":{"number":"CH-X","customer":99999999999999999999,"invoice_date":"2026-03-01","due_date":"2026-03-31","amount":"1.00"}}' })
    expect(huge.statusCode).toBe(400)
    expect(huge.json().error.issues).toEqual([expect.objectContaining({ field: 'customer' })])

    const early = await post('invoice', { number: 'CH-INV', customer: a, invoice_date: '2026-03-01',
      due_date: '2026-02-01', amount: '10.00' })
    expect(early.statusCode).toBe(400)
    expect(early.json().error.issues).toEqual([expect.objectContaining({ field: 'due_date' })])
  })

  it('runs a report with params and refuses a bad one clearly', async () => {
    const run = await server.inject({ url: `${APP}/reports/aging_buckets/run?asOf=2026-06-30` })
    expect(run.statusCode).toBe(200)
    const body = run.json()
    expect(body.params.asOf).toBe('2026-06-30')
    expect(body.rows).toHaveLength(5)
    for (const row of body.rows) expect(row.open).toMatch(/^\d+\.\d{2}$/)

    const bad = await server.inject({ url: `${APP}/reports/aging_buckets/run?asOf=2026-13-01` })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error).toMatchObject({ code: 'report.param_invalid' })
    expect(bad.json().error.message).toContain('asOf')
  })

  it('never answers bad input with a 500, and loses nothing', async () => {
    const count = async () => (await server.inject({ url: `${APP}/forms/invoice/records?pageSize=1` })).json().total
    const before = await count()
    const attempts = [
      { method: 'POST' as const, url: `${APP}/forms/invoice/records`, payload: '{not json', headers: { 'content-type': 'application/json' } },
      { method: 'POST' as const, url: `${APP}/forms/invoice/records`, payload: { values: 'x' } },
      { method: 'POST' as const, url: `${APP}/forms/invoice/records`, payload: { values: { nope: 1 } } },
      { method: 'POST' as const, url: `${APP}/forms/nothing/records`, payload: { values: {} } },
      { method: 'PATCH' as const, url: `${APP}/forms/invoice/records/abc`, payload: { version: 1, values: {} } },
      { method: 'GET' as const, url: `${APP}/forms/invoice/records?filter=${encodeURIComponent('{"==":[{"var":"amount; drop table x"},1]}')}` },
      { method: 'GET' as const, url: `${APP}/forms/invoice/records?filter=not-json` },
      { method: 'GET' as const, url: `${APP}/forms/invoice/records?sort=${encodeURIComponent('number;drop table x')}` },
      { method: 'GET' as const, url: `${APP}/forms/invoice/records?pageSize=100000` },
      { method: 'GET' as const, url: `${APP}/reports/nothing/run` },
      { method: 'GET' as const, url: `${APP}/reports/aging/run?asOf=${encodeURIComponent("2026-01-01'; drop table x; --")}` },
      { method: 'GET' as const, url: `${APP}/reports/aging/run?unknown=1` },
      { method: 'POST' as const, url: `${APP}/forms/invoice/records`, payload: { values: { number: 'x'.repeat(2_000_000) } } },
    ]
    for (const attempt of attempts) {
      const response = await server.inject(attempt)
      expect(response.statusCode, `${attempt.method} ${attempt.url.slice(0, 120)}`).toBeGreaterThanOrEqual(400)
      expect(response.statusCode, `${attempt.method} ${attempt.url.slice(0, 120)}`).toBeLessThan(500)
      expect(response.json().error.code).toEqual(expect.any(String))
    }
    expect(await count()).toBe(before)
  })
})
