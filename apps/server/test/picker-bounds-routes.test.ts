import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '@tessera/core'
import { loadDemo, Platform } from '@tessera/platform'
import { databaseSuites } from '@tessera/store/testing'
import { createTestServer, saveRole, type TestServer } from './support.js'

const TEMPLATE = resolve(__dirname, '../../../templates/customer-settlement')
const APP = '/api/apps/customer-settlement'

describe.each(databaseSuites())('link pickers bounded by the form\'s agreements over HTTP on $name', (suite) => {
  let platform: Platform
  let server: TestServer

  beforeAll(async () => {
    platform = new Platform(await suite.open())
    await platform.installTemplate(TEMPLATE, SYSTEM_ACTOR)
    await loadDemo(platform, TEMPLATE, {
      outDir: mkdtempSync(join(tmpdir(), 'tessera-demo-')), size: 60, end: '2026-06-30', actor: SYSTEM_ACTOR,
    })
    server = await createTestServer(platform)
  })
  afterAll(async () => {
    await server?.close()
    await platform?.close()
  })

  const get = async <T>(url: string) => {
    const response = await server.inject({ url })
    expect(response.statusCode, response.body).toBe(200)
    return response.json() as T
  }
  const invoices = async () =>
    (await get<{ items: Array<{ id: number; values: { customer: number; invoice_date: string; open_amount: string } }> }>(
      `${APP}/forms/invoice/records?pageSize=500`)).items
  const offered = async (values: Record<string, unknown>) => (await get<Array<{ id: number }>>(
    `${APP}/forms/invoice/options?limit=100&for=allocation.invoice&values=${encodeURIComponent(JSON.stringify(values))}`,
  )).map((option) => option.id).sort((a, b) => a - b)

  it('offers an allocation only the open invoices of its receipt\'s customer, dated on or before it', async () => {
    const receipt = (await get<{ items: Array<{ id: number; values: { customer: number } }> }>(
      `${APP}/forms/receipt/records?pageSize=1`)).items[0]
    const all = await invoices()
    const open = all.filter((one) => Number(one.values.open_amount) > 0)
    // The template's allocation offers open invoices only (its invoice link's pickWhere).
    expect(await offered({})).toEqual(open.map((one) => one.id).sort((a, b) => a - b))
    expect(open.length).toBeLessThan(all.length)
    const theirs = open.filter((one) => one.values.customer === receipt.values.customer)
    expect(theirs.length).toBeGreaterThan(0)
    expect(theirs.length).toBeLessThan(open.length)
    expect(await offered({ receipt: receipt.id })).toEqual(theirs.map((one) => one.id).sort((a, b) => a - b))

    const dates = theirs.map((one) => one.values.invoice_date).sort()
    const middle = dates[Math.floor(dates.length / 2)]
    expect(await offered({ receipt: receipt.id, date: middle })).toEqual(
      theirs.filter((one) => one.values.invoice_date <= middle).map((one) => one.id).sort((a, b) => a - b))
  })

  it('offers an invoice request whose order is chosen only the order\'s customer', async () => {
    const customers = (await get<{ items: Array<{ id: number }> }>(`${APP}/forms/customer/records?pageSize=2&sort=id`)).items
    const placed = await server.inject({ method: 'POST', url: `${APP}/forms/order/records`, payload: { values: {
      customer: customers[1].id, order_date: '2026-04-01', items: [{ product: '打印机', quantity: 1, unit_price: '100.00' }],
    } } })
    expect(placed.statusCode, placed.body).toBe(201)
    const order = placed.json().id as number
    const offered = await get<Array<{ id: number }>>(`${APP}/forms/customer/options?limit=100&for=invoice_request.customer&values=${
      encodeURIComponent(JSON.stringify({ order }))}`)
    expect(offered.map((one) => one.id)).toEqual([customers[1].id])
  })

  it('names the links pointing at a form that the caller may read, for its records\' related lists', async () => {
    type View = { linkedFrom: Array<{ form: string; field: string }> }
    const links = (view: View) => view.linkedFrom.map((link) => `${link.form}.${link.field}`).sort()
    expect(links(await get<View>(`${APP}/forms/customer`))).toEqual(
      ['contract.customer', 'invoice.customer', 'invoice_request.customer', 'order.customer', 'receipt.customer'])
    // A role reading customers and invoices, the invoice's customer hidden: no link at all.
    await saveRole(server, 'customer-settlement', 'reads_invoices', {
      customer: { actions: ['read'] }, invoice: { actions: ['read'], fields: { customer: 'hidden' } }, receipt: { actions: ['read'] },
    })
    const reader = await server.createUser({ username: 'invoice.reader', roles: ['customer-settlement/reads_invoices'] })
    const view = await reader.inject({ url: `${APP}/forms/customer` })
    expect(view.statusCode, view.body).toBe(200)
    expect(links(view.json() as View)).toEqual(['receipt.customer'])
  })

  it('refuses a picker naming no link, values that are no object, and a value of the wrong kind, by name', async () => {
    const bad = async (query: string) => {
      const response = await server.inject({ url: `${APP}/forms/invoice/options?${query}` })
      expect(response.statusCode, response.body).toBe(400)
      return response.json().error as { code: string; message: string; details?: { field?: string }; issues?: Array<{ field: string }> }
    }
    expect(await bad('for=allocation.amount&values=%7B%7D')).toMatchObject({ code: 'request.invalid', details: { field: 'for' } })
    expect(await bad('for=Allocation')).toMatchObject({ code: 'request.invalid' })
    expect(await bad('for=allocation.invoice&values=%5B1%5D')).toMatchObject({
      code: 'request.invalid', issues: [{ field: 'values' }],
    })
    const wrongKind = await bad(`for=allocation.invoice&values=${encodeURIComponent('{"date":"soon"}')}&locale=en`)
    expect(wrongKind).toMatchObject({ code: 'request.invalid', details: { field: 'values.date' } })
    expect(wrongKind.message).toContain('soon')
  })
})
