import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type TesseraError } from '@tessera/core'
import { loadDemo, Platform, setPeriodClose } from '@tessera/platform'
import { databaseSuites } from '@tessera/store/testing'
import { createTestServer, saveRole, type TestServer } from './support.js'

const TEMPLATE = resolve(__dirname, '../../../templates/customer-settlement')
const APP = '/api/apps/customer-settlement'
const CLOSE = '/api/admin/period-close'

describe.each(databaseSuites())('closing periods over HTTP on $name', (suite) => {
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

  const close = (closedThrough: unknown, inject = server.inject) =>
    inject({ method: 'PUT', url: `${CLOSE}?locale=en`, payload: { closedThrough } })
  const summaryAsOf = async (asOf: string) =>
    (await server.inject({ url: `${APP}/reports/receivables_summary/run?asOf=${asOf}` })).json().rows

  it('lets only an administrator close, and refuses a date that is no date or not yet past', async () => {
    const clerk = await server.createUser({ username: 'clerk', roles: [] })
    const forbidden = await close('2026-03-31', clerk.inject)
    expect(forbidden.statusCode).toBe(403)
    expect(forbidden.json().error.code).toBe('auth.forbidden')

    const notADate = await close('2026-02-30')
    expect(notADate.statusCode).toBe(400)
    expect(notADate.json().error).toMatchObject({
      code: 'validation.failed',
      issues: [{ field: 'closedThrough', rule: 'date', received: '2026-02-30' }],
    })
    const tomorrow = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10)
    const future = await close(tomorrow)
    expect(future.statusCode).toBe(400)
    expect(future.json().error.issues[0]).toMatchObject({ field: 'closedThrough', rule: 'max', received: tomorrow })
    expect(future.json().error.message).toContain('a period can be closed only once it has ended')
    const today = (await server.inject({ url: '/api/settings' })).json().today as string
    const closingToday = await close(today)
    expect(closingToday.statusCode).toBe(400)
    expect(closingToday.json().error.message).toContain(`is today (${today})`)
    const missing = await server.inject({ method: 'PUT', url: CLOSE, payload: {} })
    expect(missing.statusCode).toBe(400)
    expect((await server.inject({ url: '/api/settings' })).json().closedThrough).toBeNull()
  })

  it('closes a month: its records are kept as they are, and its as-of figures stop changing', async () => {
    const before = await summaryAsOf('2026-03-31')
    const done = await close('2026-03-31')
    expect(done.statusCode).toBe(200)
    expect(done.json()).toEqual({ closedThrough: '2026-03-31', previous: null })
    expect((await server.inject({ url: '/api/settings' })).json()).toMatchObject({ closedThrough: '2026-03-31' })

    const invoices = (await server.inject({ url: `${APP}/forms/invoice/records?pageSize=200` })).json().items as
      { id: number; version: number; values: Record<string, unknown> }[]
    const old = invoices.find((invoice) => String(invoice.values.invoice_date) <= '2026-03-31')!
    const backdated = await server.inject({
      method: 'POST', url: `${APP}/forms/receipt/records?locale=en`,
      payload: { values: { number: 'R-LATE', customer: old.values.customer, date: '2026-03-20', amount: '10.00' } },
    })
    expect(backdated.statusCode).toBe(409)
    expect(backdated.json().error).toMatchObject({
      code: 'conflict.closed_period',
      issues: [{ field: 'date', rule: 'closed_period', received: '2026-03-20' }],
    })
    const changed = await server.inject({
      method: 'PATCH', url: `${APP}/forms/invoice/records/${old.id}`,
      payload: { version: old.version, values: { amount: '1.00' } },
    })
    expect(changed.statusCode).toBe(409)
    expect(changed.json().error.issues[0].message).toMatch(/^开票日期 2026-\d\d-\d\d 在已结账期间内（已结账至 2026-03-31），不能修改该期间的记录$/)
    const deleted = await server.inject({ method: 'DELETE', url: `${APP}/forms/invoice/records/${old.id}` })
    expect(deleted.statusCode).toBe(409)

    // Money received after the close, against an invoice of the closed month, is an open-period record.
    const receipt = await server.inject({
      method: 'POST', url: `${APP}/forms/receipt/records`,
      payload: { values: { number: 'R-APRIL', customer: old.values.customer, date: '2026-04-02', amount: '0.01' } },
    })
    expect(receipt.statusCode).toBe(201)
    expect(await summaryAsOf('2026-03-31')).toEqual(before)
  })

  it('does not quote the date of a closed record to a writer the date is hidden from', async () => {
    await saveRole(server, 'customer-settlement', 'dateless', {
      customer: { actions: ['read'] },
      invoice: { actions: ['read', 'update', 'delete'], fields: { invoice_date: 'hidden' } },
    })
    const writer = await server.createUser({ username: 'dateless', roles: ['customer-settlement/dateless'] })
    const invoices = (await server.inject({ url: `${APP}/forms/invoice/records?pageSize=5&sort=invoice_date` })).json().items as
      { id: number; version: number; values: Record<string, string> }[]
    const closed = invoices.find((invoice) => invoice.values.invoice_date <= '2026-03-31')!
    expect((await writer.inject({ url: `${APP}/forms/invoice/records/${closed.id}` })).json().values.invoice_date).toBeUndefined()

    const change = await writer.inject({
      method: 'PATCH', url: `${APP}/forms/invoice/records/${closed.id}`,
      payload: { version: closed.version, values: { contract_no: 'HT-CHANGED' } },
    })
    expect(change.statusCode).toBe(409)
    expect(change.json().error.issues).toEqual([{
      rule: 'closed_period', expected: { after: '2026-03-31' },
      message: '该记录在已结账期间内（已结账至 2026-03-31），不能修改',
    }])
    expect(change.body).not.toContain(closed.values.invoice_date)
    const removal = await writer.inject({ method: 'DELETE', url: `${APP}/forms/invoice/records/${closed.id}?locale=en` })
    expect(removal.statusCode).toBe(409)
    expect(removal.json().error.issues[0].message).toBe('this record is in a closed period (closed through 2026-03-31) and cannot be deleted')
    expect(removal.body).not.toContain(closed.values.invoice_date)
  })

  it('writes every close and reopening to the audit trail', async () => {
    const reopened = await close(null)
    expect(reopened.json()).toEqual({ closedThrough: null, previous: '2026-03-31' })
    const again = await close('2026-01-31')
    expect(again.json()).toEqual({ closedThrough: '2026-01-31', previous: null })
    const back = await close('2026-01-15')
    expect(back.json()).toEqual({ closedThrough: '2026-01-15', previous: '2026-01-31' })
    const same = await close('2026-01-15')
    expect(same.json()).toEqual({ closedThrough: '2026-01-15', previous: '2026-01-15' })

    const rows = (await server.inject({ url: '/api/admin/audit?action=period.*' })).json().items
    // Each line names the administrator who closed, as the record history does.
    expect(rows.map((row: { actorName?: string }) => row.actorName)).toEqual(rows.map(() => server.admin.user.displayName))
    const trail = async (action: string) => (await server.inject({ url: `/api/admin/audit?action=${action}` })).json().items
      .map((row: { actor: string; before: unknown; after: unknown }) => [row.before, row.after])
    expect(await trail('period.close')).toEqual([
      [{ closedThrough: null }, { closedThrough: '2026-01-31' }],
      [{ closedThrough: null }, { closedThrough: '2026-03-31' }],
    ])
    expect(await trail('period.reopen')).toEqual([
      [{ closedThrough: '2026-01-31' }, { closedThrough: '2026-01-15' }],
      [{ closedThrough: '2026-03-31' }, { closedThrough: null }],
    ])
    await close(null)
  })

  it.runIf(suite.name === 'postgres')('gives up a close that waits too long for writes under way, letting them go on', async () => {
    const admin = { id: 'closer', name: 'closer', admin: true }
    const customer = (await server.inject({ url: `${APP}/forms/customer/records?pageSize=1` })).json().items[0].id
    let release!: () => void
    const held = new Promise<void>((resolve) => (release = resolve))
    let written!: () => void
    const wasWritten = new Promise<void>((resolve) => (written = resolve))
    // A write that holds the close shared, as a long import does.
    const writing = platform.database.transaction(async (trx) => {
      await platform.records.create(admin, 'customer-settlement', 'receipt',
        { number: 'R-HOLD', customer, date: '2026-05-02', amount: '1.00' }, { trx })
      written()
      await held
    })
    await wasWritten
    const started = Date.now()
    const attempt = await setPeriodClose(platform, admin, '2026-05-31', { waitMs: 300, locale: 'en' })
      .then(() => undefined, (error: TesseraError) => error)
    expect(attempt).toMatchObject({ code: 'conflict.retry' })
    expect(attempt!.message).toContain('writes or imports of dated records were still running after 0.3 s')
    expect(Date.now() - started).toBeLessThan(5_000)
    // Writes go on meanwhile: the close no longer stands in the queue.
    const other = await server.inject({
      method: 'POST', url: `${APP}/forms/receipt/records`,
      payload: { values: { number: 'R-AFTER', customer, date: '2026-05-03', amount: '1.00' } },
    })
    expect(other.statusCode).toBe(201)
    release()
    await writing
    expect((await setPeriodClose(platform, admin, '2026-05-31')).closedThrough).toBe('2026-05-31')
    await setPeriodClose(platform, admin, null)
  })
})
