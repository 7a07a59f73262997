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

// Values that only Postgres itself can refuse (out of range, NUL, year 0)
// are the client's bad input: a 400 in the reader's language, never a 500,
// and nothing written.
describe.each(databaseSuites())('values the database refuses, on $name', (suite) => {
  let platform: Platform
  let server: TestServer
  let customerId: number

  beforeAll(async () => {
    platform = new Platform(await suite.open())
    await platform.installTemplate(TEMPLATE, SYSTEM_ACTOR)
    await loadDemo(platform, TEMPLATE, {
      outDir: mkdtempSync(join(tmpdir(), 'tessera-bad-')), size: 30, end: '2026-06-30', actor: SYSTEM_ACTOR,
    })
    server = await createTestServer(platform)
    customerId = (await server.inject({ url: `${APP}/forms/customer/records?pageSize=1` })).json().items[0].id
  })
  afterAll(async () => {
    await server?.close()
    await platform?.close()
  })

  const invoice = (values: Record<string, unknown>) => ({
    method: 'POST' as const,
    url: `${APP}/forms/invoice/records`,
    payload: { values: { number: 'BAD-1', customer: customerId, invoice_date: '2026-01-01', due_date: '2026-02-01', amount: '1.00', ...values } },
  })

  it('answers 400, not 500, and writes nothing', async () => {
    const count = async () => (await server.inject({ url: `${APP}/forms/invoice/records?pageSize=1` })).json().total
    const before = await count()
    const attempts = [
      invoice({ customer: 99999999999999999999 }),
      invoice({ contract_no: 'a\u0000b' }),
      invoice({ invoice_date: '0000-01-01' }),
      { method: 'GET' as const, url: `${APP}/forms/invoice/records/99999999999999999999` },
      { method: 'GET' as const, url: `${APP}/forms/invoice/records?filter=${encodeURIComponent('{">=":[{"var":"amount"},"abc"]}')}` },
      { method: 'GET' as const, url: `${APP}/forms/invoice/records?filter=${encodeURIComponent('{">=":[{"var":"invoice_date"},"not-a-date"]}')}` },
    ]
    for (const attempt of attempts) {
      const response = await server.inject(attempt)
      const label = `${attempt.method} ${attempt.url} ${JSON.stringify((attempt as { payload?: unknown }).payload ?? '')}`
      expect(response.statusCode, label).toBeGreaterThanOrEqual(400)
      expect(response.statusCode, label).toBeLessThan(500)
    }
    expect(await count()).toBe(before)
  })

  it('words conflicts in the reader’s language', async () => {
    const created = (await server.inject(invoice({ number: 'BAD-2' }))).json()
    await server.inject({ method: 'PATCH', url: `${APP}/forms/invoice/records/${created.id}`, payload: { version: 1, values: { amount: '2.00' } } })
    const stale = await server.inject({ method: 'PATCH', url: `${APP}/forms/invoice/records/${created.id}`, payload: { version: 1, values: { amount: '3.00' } } })
    expect(stale.json().error).toMatchObject({ code: 'conflict.version', message: expect.stringContaining('已被他人修改') })

    const linked = await server.inject({ method: 'DELETE', url: `${APP}/forms/customer/records/${customerId}` })
    expect(linked.statusCode).toBe(409)
    expect(linked.json().error.message).toBe('该客户记录仍被其他记录引用，请先解除引用')
    const english = await server.inject({ method: 'DELETE', url: `${APP}/forms/customer/records/${customerId}`, headers: { 'accept-language': 'en' } })
    expect(english.json().error.message).toBe('this Customer record is still linked from other records; remove those links first')

    const missing = await server.inject({ url: `${APP}/forms/nothing` })
    expect(missing.json().error.message).toBe('表单「customer-settlement/nothing」不存在')

    // A request of the wrong shape: the schema's checks, worded in Chinese.
    const shape = await server.inject({ method: 'POST', url: `${APP}/forms/invoice/records`, payload: { values: 'x' } })
    expect(shape.statusCode).toBe(400)
    expect(shape.json().error.message).toBe('请求的 body 有误：body.values 应当是 object 类型')
    expect(shape.json().error.issues).toEqual([expect.objectContaining({ field: 'body.values', rule: 'type' })])
    const shapeEn = await server.inject({
      method: 'POST', url: `${APP}/forms/invoice/records`, payload: { values: 'x' }, headers: { 'accept-language': 'en' },
    })
    expect(shapeEn.json().error.issues[0].message).toBe('must be object')
  })
})
