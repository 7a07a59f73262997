import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FORM_ACTIONS, SYSTEM_ACTOR, type Actor, type FormAction } from '@tessera/core'
import { loadDemo, Platform } from '@tessera/platform'
import { databaseSuites } from '@tessera/store/testing'
import { createTestServer, type Inject, type TestServer } from './support.js'

const TEMPLATE = resolve(__dirname, '../../../templates/customer-settlement')
const APP = 'customer-settlement'
const API = `/api/apps/${APP}`
const AS_OF = '2026-06-30'
const FORMS = [
  'customer', 'contract', 'order', 'invoice_request', 'invoice', 'receipt', 'allocation', 'write_off',
] as const
/** The reports the salesperson's role lists; the others list "*", every report. */
const SALES_REPORTS = ['aging', 'aging_buckets', 'receivables_summary', 'top_overdue_customers', 'customer_statement', 'customer_ledger']
const EVERY_REPORT = ['*']

type Form = (typeof FORMS)[number]
type Who = 'salesperson' | 'finance_clerk' | 'finance_director' | 'general_manager' | 'administrator' | 'nobody'

const ALL_ACTIONS = [...FORM_ACTIONS]
const EVERY_FORM = (actions: FormAction[]) =>
  Object.fromEntries(FORMS.map((form) => [form, actions])) as Record<Form, FormAction[]>

/** What each template role may do, form by form: the template's promise. */
const MATRIX: Record<Who, { forms: Record<Form, FormAction[]>; reports: string[]; dashboard: boolean }> = {
  salesperson: {
    forms: {
      customer: ['read', 'update'], contract: ['read'], order: ['read'], invoice_request: ['create', 'read'],
      invoice: ['read'], receipt: ['read'], allocation: ['read'], write_off: ['read'],
    },
    reports: SALES_REPORTS,
    dashboard: true,
  },
  finance_clerk: { forms: EVERY_FORM(['create', 'read', 'update', 'import']), reports: EVERY_REPORT, dashboard: true },
  finance_director: { forms: EVERY_FORM(ALL_ACTIONS), reports: EVERY_REPORT, dashboard: true },
  general_manager: { forms: EVERY_FORM(['read']), reports: EVERY_REPORT, dashboard: true },
  administrator: { forms: EVERY_FORM(ALL_ACTIONS), reports: EVERY_REPORT, dashboard: true },
  nobody: { forms: EVERY_FORM([]), reports: [], dashboard: false },
}
const WHO = Object.keys(MATRIX) as Who[]

describe.each(databaseSuites())('the permission matrix on $name', (suite) => {
  let platform: Platform
  let server: TestServer
  const users = {} as Record<Who, { inject: Inject; actor: Actor }>
  const owned: number[] = []
  let sample: Record<Form, number>
  let reports: string[] = []
  const reportsOf = (who: Who) => MATRIX[who].reports[0] === '*' ? reports : MATRIX[who].reports

  const db = () => platform.database.db
  const ids = async (query: ReturnType<typeof sql<{ id: number }>>) =>
    (await query.execute(db())).rows.map((r) => r.id).sort((a, b) => a - b)

  /** The rows a salesperson owning `owned` should reach, computed in plain SQL. */
  const salespersonRows = (form: Form) => {
    const mine = sql.join(owned)
    switch (form) {
      case 'customer':
        return ids(sql`select id from customer_settlement.customer where id in (${mine})`)
      case 'contract':
      case 'order':
      case 'invoice_request':
      case 'invoice':
      case 'receipt':
        return ids(sql`select id from ${sql.table(`customer_settlement.${form}`)} where customer_id in (${mine})`)
      case 'allocation':
      case 'write_off':
        return ids(sql`select a.id from ${sql.table(`customer_settlement.${form}`)} a
          join customer_settlement.invoice i on i.id = a.invoice_id where i.customer_id in (${mine})`)
    }
  }
  const allRows = (form: Form) => ids(sql`select id from ${sql.table(`customer_settlement.${form}`)}`)

  const listIds = async (who: Who, form: Form) => {
    const response = await users[who].inject(`${API}/forms/${form}/records?pageSize=500&sort=id`)
    expect(response.statusCode, `${who} lists ${form}`).toBe(200)
    const body = response.json()
    expect(body.total).toBeLessThanOrEqual(500)
    return (body.items as { id: number }[]).map((r) => r.id).sort((a, b) => a - b)
  }

  beforeAll(async () => {
    platform = new Platform(await suite.open())
    await platform.installTemplate(TEMPLATE, SYSTEM_ACTOR)
    await loadDemo(platform, TEMPLATE, {
      outDir: mkdtempSync(join(tmpdir(), 'tessera-matrix-')), size: 120, end: AS_OF, actor: SYSTEM_ACTOR,
    })
    server = await createTestServer(platform)
    reports = (await platform.catalog.listMeta(APP, 'report')).map((r) => r.key)
    expect(reports).toEqual(expect.arrayContaining(SALES_REPORTS))
    for (const who of WHO) {
      const roles = who === 'nobody' ? [] : [`${APP}/${who}`]
      const signed = await server.createUser({ username: `u_${who}`, roles })
      users[who] = { inject: signed.inject, actor: { id: String(signed.user.id), roles } }
    }

    // The salesperson owns the customers with the most invoices and
    // receipts, so their figures are never trivially empty.
    const { rows } = await sql<{ id: number }>`
      select c.id from customer_settlement.customer c
      order by (select count(*) from customer_settlement.invoice i where i.customer_id = c.id) desc, c.id
      limit 3`.execute(db())
    owned.push(...rows.map((r) => r.id))
    await sql`update customer_settlement.customer set owner = ${users.salesperson.actor.id}
      where id in (${sql.join(owned)})`.execute(db())
    await sql`update customer_settlement.customer set owner = '999999' where owner is null
      and id = (select max(id) from customer_settlement.customer)`.execute(db())

    // The demo ledger holds no contracts, orders, requests or write-offs:
    // one of each for an owned customer and one for another customer.
    const settle = async (customer: number, n: string) => {
      const create = (form: string, values: Record<string, unknown>) =>
        platform.records.create(SYSTEM_ACTOR, APP, form, values)
      const contract = await create('contract', {
        number: `HT-${n}`, customer, signed_on: '2026-01-05', amount: '500000.00' })
      const order = await create('order', { customer, contract: contract.id, order_date: '2026-02-01',
        items: [{ product: '钢结构件', quantity: 100, unit_price: '1000.00' }] })
      await create('invoice_request', { order: order.id, customer, request_date: '2026-02-10',
        invoice_type: 'special', lines: [{ description: '钢结构件', quantity: 10, unit_price: '1000.00', tax_rate: '0.13' }] })
      const { rows } = await sql<{ id: number }>`select id from customer_settlement.invoice
        where customer_id = ${customer} and writable > 0 order by id limit 1`.execute(db())
      await create('write_off', { invoice: rows[0].id, date: '2026-06-01', amount: '0.01', reason: 'rounding' })
    }
    await settle(owned[0], 'MINE')
    const stranger = (await sql<{ id: number }>`select min(c.id) as id from customer_settlement.customer c
      where c.id not in (${sql.join(owned)}) and exists (select 1 from customer_settlement.invoice i
        where i.customer_id = c.id and i.writable > 0)`.execute(db())).rows[0].id
    await settle(stranger, 'OTHER')

    const first = async (form: Form, where = sql`true`) => (await sql<{ id: number }>`
      select min(id) as id from ${sql.table(`customer_settlement.${form}`)} where ${where}`.execute(db())).rows[0].id
    const others = sql.join(owned)
    sample = {
      customer: await first('customer', sql`id not in (${others})`),
      contract: await first('contract', sql`customer_id not in (${others})`),
      order: await first('order', sql`customer_id not in (${others})`),
      invoice_request: await first('invoice_request', sql`customer_id not in (${others})`),
      invoice: await first('invoice', sql`customer_id not in (${others})`),
      receipt: await first('receipt', sql`customer_id not in (${others})`),
      allocation: await first('allocation'),
      write_off: await first('write_off', sql`invoice_id in (select id from customer_settlement.invoice
        where customer_id not in (${others}))`),
    }
  })
  afterAll(async () => {
    await server?.close()
    await platform?.close()
  })

  it('lists the app only for those holding a role in it, with exactly their forms and actions', async () => {
    for (const who of WHO) {
      const apps = (await users[who].inject('/api/apps')).json() as { key: string }[]
      expect(apps.map((a) => a.key), who).toEqual(who === 'nobody' ? [] : [APP])
      const app = await users[who].inject(API)
      if (who === 'nobody') {
        expect(app.statusCode).toBe(403)
        expect(app.json().error.code).toBe('auth.forbidden')
        continue
      }
      const body = app.json()
      const expected = FORMS.map((key) => ({ key, actions: MATRIX[who].forms[key] }))
      expect(body.forms.map((f: { key: string; actions: string[] }) => ({ key: f.key, actions: f.actions })), who)
        .toEqual(expected)
      expect(body.reports.map((r: { key: string }) => r.key).sort(), who).toEqual([...reportsOf(who)].sort())
      expect(body.dashboards.map((d: { key: string }) => d.key), who).toEqual(MATRIX[who].dashboard ? ['receivables'] : [])
    }
  })

  it('reads exactly the rows each role reaches, in lists, records and pickers', async () => {
    for (const who of WHO) {
      for (const form of FORMS) {
        const may = MATRIX[who].forms[form].includes('read')
        const list = await users[who].inject(`${API}/forms/${form}/records?pageSize=500`)
        const one = await users[who].inject(`${API}/forms/${form}/records/${sample[form]}`)
        const picker = await users[who].inject(`${API}/forms/${form}/options?limit=100`)
        if (!may) {
          for (const response of [list, one, picker]) {
            expect(response.statusCode, `${who} ${form}`).toBe(403)
            expect(response.json().error.code).toBe('auth.forbidden')
          }
          continue
        }
        const expected = who === 'salesperson' ? await salespersonRows(form) : await allRows(form)
        expect(await listIds(who, form), `${who} ${form}`).toEqual(expected)
        expect(one.statusCode, `${who} ${form} ${sample[form]}`)
          .toBe(expected.includes(sample[form]) ? 200 : 404)
        const offered = (picker.json() as { id: number }[]).map((o) => o.id)
        expect(offered.every((id) => expected.includes(id)), `${who} picks ${form}`).toBe(true)
        expect(offered.length).toBe(Math.min(100, expected.length))
      }
    }
  })

  it('never shows a salesperson another customer through search, pickers or links', async () => {
    const { rows } = await sql<{ name: string }>`
      select name from customer_settlement.customer where id = ${sample.customer}`.execute(db())
    const stranger = rows[0].name
    const sales = users.salesperson.inject
    const q = encodeURIComponent(stranger)
    expect((await sales(`${API}/forms/customer/records?q=${q}`)).json().total).toBe(0)
    expect((await sales(`${API}/forms/customer/options?q=${q}`)).json()).toEqual([])
    const filter = encodeURIComponent(JSON.stringify({ '==': [{ var: 'customer' }, sample.customer] }))
    expect((await sales(`${API}/forms/invoice/records?filter=${filter}`)).json().total).toBe(0)
    const invoices = (await sales(`${API}/forms/invoice/records?pageSize=500`)).json().items as
      { values: { customer: number }; titles: { customer: string } }[]
    expect(invoices.length).toBeGreaterThan(0)
    for (const invoice of invoices) expect(owned).toContain(invoice.values.customer)
  })

  it('hides the credit limit from salespeople in forms, lists, filters and history', async () => {
    const sales = users.salesperson.inject
    const form = (await sales(`${API}/forms/customer`)).json()
    expect(form.definition.fields.map((f: { key: string }) => f.key)).not.toContain('credit_limit')
    expect(form.definition.ui.list.columns).not.toContain('credit_limit')
    expect(form.access).toEqual({ actions: ['read', 'update'], readonly: expect.arrayContaining(['owner', 'code']) })

    const list = (await sales(`${API}/forms/customer/records?pageSize=500`)).json()
    for (const item of list.items) expect(item.values).not.toHaveProperty('credit_limit')
    const { rows } = await sql<{ limit: string }>`
      select credit_limit::text as limit from customer_settlement.customer where id = ${owned[0]}`.execute(db())
    const probe = encodeURIComponent(JSON.stringify({ '==': [{ var: 'credit_limit' }, rows[0].limit] }))
    expect((await sales(`${API}/forms/customer/records?filter=${probe}`)).json().total).toBe(0)

    const record = (await sales(`${API}/forms/customer/records/${owned[0]}`)).json()
    const changed = await sales({
      method: 'PATCH', url: `${API}/forms/customer/records/${owned[0]}`,
      payload: { version: record.version, values: { name: `${record.values.name}（改）` } },
    })
    expect(changed.statusCode).toBe(200)
    const history = (await sales(`${API}/forms/customer/records/${owned[0]}/history`)).json() as
      { action: string; before: object | null; after: object | null }[]
    expect(history.map((h) => h.action)).toContain('record.update')
    for (const line of history) {
      for (const values of [line.before, line.after]) if (values) expect(values).not.toHaveProperty('credit_limit')
    }
    const full = (await server.inject(`${API}/forms/customer/records/${owned[0]}/history`)).json()
    expect(full.at(-1).before).toHaveProperty('credit_limit')
    expect((await sales(`${API}/forms/customer/records/${sample.customer}/history`)).statusCode).toBe(404)

    const limit = await sales({
      method: 'PATCH', url: `${API}/forms/customer/records/${owned[0]}`,
      payload: { version: record.version + 1, values: { credit_limit: '1.00' } },
    })
    expect(limit.statusCode).toBe(403)
    expect(limit.json().error.issues).toEqual([expect.objectContaining({ field: 'credit_limit', rule: 'hidden' })])
  })

  it('creates, updates, deletes and exports only as the matrix allows', async () => {
    const customer = owned[0]
    const { rows } = await sql<{ receipt: number; invoice: number }>`
      select r.id as receipt, i.id as invoice from customer_settlement.receipt r
      join customer_settlement.invoice i on i.customer_id = r.customer_id
      where not exists (select 1 from customer_settlement.allocation a
                        where a.receipt_id = r.id and a.invoice_id = i.id)
      limit 1`.execute(db())
    // The demo ledger allocates receipts and invoices in full; the allocation
    // constraints would refuse another cent, so give this pair some room.
    await sql`update customer_settlement.receipt set amount = amount + 100 where id = ${rows[0].receipt}`
      .execute(db())
    // Stored formulas of the invoice follow its amount, as a write through the API would keep them.
    await sql`update customer_settlement.invoice set amount = amount + 100, open_amount = open_amount + 100,
      allocatable = allocatable + 100, writable = writable + 100 where id = ${rows[0].invoice}`
      .execute(db())
    const { rows: orders } = await sql<{ id: number }>`select id from customer_settlement."order"
      where customer_id = ${customer} order by id limit 1`.execute(db())
    const payloads = (n: string): Record<Form, Record<string, unknown>> => ({
      customer: { code: `M-${n}`, name: `矩阵客户 ${n}` },
      invoice: { number: `M-INV-${n}`, customer, invoice_date: '2026-06-01', due_date: '2026-06-30', amount: '10.00' },
      receipt: { number: `M-RCP-${n}`, customer, date: '2026-06-02', amount: '10.00', method: 'transfer' },
      allocation: { receipt: rows[0].receipt, invoice: rows[0].invoice, date: '2026-06-03', amount: '0.01' },
      contract: { number: `M-HT-${n}`, customer, signed_on: '2026-06-01', amount: '10.00' },
      order: { customer, order_date: '2026-06-01', items: [{ product: '螺栓', quantity: 1, unit_price: '10.00' }] },
      invoice_request: { order: orders[0].id, customer, request_date: '2026-06-01', invoice_type: 'normal',
        lines: [{ description: '螺栓', quantity: 1, unit_price: '1.00', tax_rate: '0.13' }] },
      write_off: { invoice: rows[0].invoice, date: '2026-06-03', amount: '0.01', reason: 'rounding' },
    })
    const patches: Record<Form, (values: Record<string, unknown>) => Record<string, unknown>> = {
      customer: (values) => ({ name: `${values.name}·` }),
      contract: (values) => ({ title: `${values.title ?? ''}·` }),
      order: (values) => ({ order_date: values.order_date }),
      invoice_request: () => ({ status: 'submitted' }),
      invoice: (values) => ({ amount: values.amount }),
      receipt: (values) => ({ amount: values.amount }),
      allocation: (values) => ({ amount: values.amount }),
      write_off: (values) => ({ note: `${values.note ?? ''}·` }),
    }

    for (const who of WHO) {
      for (const form of FORMS) {
        const actions = MATRIX[who].forms[form]
        const { inject } = users[who]
        const created = await inject({ method: 'POST', url: `${API}/forms/${form}/records`, payload: { values: payloads(who)[form] } })
        expect(created.statusCode, `${who} creates ${form}: ${created.body.slice(0, 200)}`)
          .toBe(actions.includes('create') ? 201 : 403)
        // Without create, the update is tried on a record every role can read.
        const target = created.statusCode === 201
          ? created.json()
          : (await server.inject(`${API}/forms/${form}/records/${(await salespersonRows(form))[0]}`)).json()

        const patch = patches[form](target.values)
        const updated = await inject({
          method: 'PATCH', url: `${API}/forms/${form}/records/${target.id}`, payload: { version: target.version, values: patch },
        })
        expect(updated.statusCode, `${who} updates ${form}: ${updated.body.slice(0, 200)}`)
          .toBe(actions.includes('update') ? 200 : 403)

        const exported = await inject(`${API}/forms/${form}/export?format=csv`)
        expect(exported.statusCode, `${who} exports ${form}`).toBe(actions.includes('export') ? 200 : 403)

        if (created.statusCode !== 201) continue
        const removed = await inject({ method: 'DELETE', url: `${API}/forms/${form}/records/${target.id}` })
        expect(removed.statusCode, `${who} deletes ${form}`).toBe(actions.includes('delete') ? 204 : 403)
        if (removed.statusCode !== 204) {
          expect((await server.inject({ method: 'DELETE', url: `${API}/forms/${form}/records/${target.id}` })).statusCode).toBe(204)
        }
      }
    }
  })

  it('exports the rows and fields the exporter may see, and audits the export', async () => {
    const csv = await users.finance_director.inject(`${API}/forms/customer/export?format=csv`)
    expect(csv.headers['content-type']).toContain('text/csv')
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n')
    expect(lines.length - 1).toBe((await allRows('customer')).length)
    expect(lines[0]).toContain('信用额度')
    const audit = (await server.inject('/api/admin/audit?action=record.export&form=customer')).json()
    expect(audit.items[0]).toMatchObject({
      actor: users.finance_director.actor.id, action: 'record.export', form: 'customer',
      context: expect.objectContaining({ rows: lines.length - 1 }),
    })
  })

  it('runs reports only for roles that list them, on the rows each role reaches', async () => {
    for (const who of WHO) {
      for (const report of reports) {
        // (The ledger asks for its customer: any name will do to tell a run from a refusal.)
        const asked = report === 'customer_ledger' ? `?customer=${encodeURIComponent('某客户')}` : ''
        const run = await users[who].inject(`${API}/reports/${report}/run${asked}`)
        const summary = await users[who].inject(`${API}/reports/${report}`)
        const expected = reportsOf(who).includes(report) ? 200 : 403
        expect(run.statusCode, `${who} runs ${report}: ${run.body.slice(0, 200)}`).toBe(expected)
        expect(summary.statusCode, `${who} reads ${report}`).toBe(expected)
      }
      const dashboard = await users[who].inject(`${API}/dashboards/receivables`)
      expect(dashboard.statusCode, `${who} opens the dashboard`).toBe(MATRIX[who].dashboard ? 200 : 403)
      if (who === 'salesperson') {
        // A refusal names the report by its label, not its key.
        const refused = await users[who].inject({ url: `${API}/reports/collection_rate/run`, headers: { 'accept-language': 'zh-CN' } })
        expect(refused.json().error.message).toBe('你无权查看报表「回款率」')
        // So is a drill of a widget their dashboard leaves out for its report (a manager's link).
        for (const url of [`${API}/dashboards/receivables/widgets/collection/run`,
          `${API}/forms/invoice/records?drill=${encodeURIComponent(JSON.stringify({ dashboard: 'receivables', widget: 'collection', path: {} }))}`]) {
          const hidden = await users[who].inject({ url, headers: { 'accept-language': 'zh-CN' } })
          expect(hidden.statusCode, url).toBe(403)
          expect(hidden.json().error.message).toBe('你无权查看报表「回款率」')
        }
        expect((await users[who].inject(`${API}/dashboards/receivables/widgets/no_such_widget/run`)).statusCode).toBe(404)
      }
      if (dashboard.statusCode !== 200) continue
      const shown = (dashboard.json().widgets as { report: string }[]).map((w) => w.report)
      expect(shown.every((report) => reportsOf(who).includes(report)), who).toBe(true)
    }

    // Open = amount less allocations and write-offs dated on or before the day.
    const { rows } = await sql<{ open: string; invoices: number }>`
      with alloc as (
        select invoice_id, sum(amount) as s from (
          select invoice_id, amount, date from customer_settlement.allocation
          union all select invoice_id, amount, date from customer_settlement.write_off) settled
        where date <= ${AS_OF}::date group by invoice_id)
      select coalesce(sum(i.amount - coalesce(a.s, 0)), 0)::numeric(20, 2)::text as open,
             count(*)::int as invoices
      from customer_settlement.invoice i
      left join alloc a on a.invoice_id = i.id
      where i.customer_id in (${sql.join(owned)}) and i.invoice_date <= ${AS_OF}::date
        and i.amount - coalesce(a.s, 0) > 0`.execute(db())
    const mine = (await users.salesperson.inject(`${API}/reports/receivables_summary/run?asOf=${AS_OF}`)).json()
    expect(mine.rows[0]).toMatchObject({ open: rows[0].open, invoices: rows[0].invoices })

    const everything = (await users.administrator.inject(`${API}/reports/receivables_summary/run?asOf=${AS_OF}`)).json()
    const manager = (await users.general_manager.inject(`${API}/reports/receivables_summary/run?asOf=${AS_OF}`)).json()
    expect(manager.rows).toEqual(everything.rows)
    expect(everything.rows[0].open).not.toBe(rows[0].open)

    // The salesperson's aging buckets are the aging of their own customers.
    const { rows: buckets } = await sql<{ bucket: number; open: string }>`
      with alloc as (
        select invoice_id, sum(amount) as s from (
          select invoice_id, amount, date from customer_settlement.allocation
          union all select invoice_id, amount, date from customer_settlement.write_off) settled
        where date <= ${AS_OF}::date group by invoice_id),
      open as (
        select i.amount - coalesce(a.s, 0) as open, ${AS_OF}::date - i.due_date as late
        from customer_settlement.invoice i left join alloc a on a.invoice_id = i.id
        where i.customer_id in (${sql.join(owned)}) and i.invoice_date <= ${AS_OF}::date
          and i.amount - coalesce(a.s, 0) > 0)
      select case when late <= 0 then 0 when late <= 30 then 1 when late <= 60 then 2
                  when late <= 90 then 3 else 4 end as bucket,
             sum(open)::numeric(20, 2)::text as open
      from open group by 1`.execute(db())
    const aging = (await users.salesperson.inject(`${API}/reports/aging_buckets/run?asOf=${AS_OF}`)).json()
    const expected = [0, 1, 2, 3, 4].map((i) => buckets.find((b) => b.bucket === i)?.open ?? '0.00')
    expect(aging.rows.map((r: { open: string }) => r.open)).toEqual(expected)
    expect(expected.some((open) => open !== '0.00')).toBe(true)

    const top = (await users.salesperson.inject(`${API}/reports/top_overdue_customers/run?asOf=${AS_OF}`)).json()
    const { rows: names } = await sql<{ name: string }>`
      select name from customer_settlement.customer where id in (${sql.join(owned)})`.execute(db())
    const column = top.columns.find((c: { kind: string }) => c.kind === 'dimension').key
    for (const row of top.rows) expect(names.map((n) => n.name)).toContain(row[column])
  })

  it('tells a reader which forms a report sums they may not read, and which fields it reads are hidden from them', async () => {
    // A role an administrator might save: the statement, reading customers and invoices only.
    await platform.catalog.putMeta(APP, 'role', 'statement_reader', {
      key: 'statement_reader', label: { 'zh-CN': '对账查看', en: 'Statement reader' },
      forms: { customer: { actions: ['read'] }, invoice: { actions: ['read'] } },
      reports: ['customer_statement', 'receivables_summary'], dashboards: ['receivables'],
    }, SYSTEM_ACTOR)
    const reader = await server.createUser({ username: 'u_statement_reader', roles: [`${APP}/statement_reader`] })
    const period = '2026-06-01..2026-06-30'
    const run = await reader.inject(`${API}/reports/customer_statement/run?period=${period}`)
    expect(run.statusCode, run.body).toBe(200)
    const body = run.json()
    // Receipts and write-offs read as none: the received column is all zero, and the reader is told why.
    expect(body.unreadable).toEqual([
      { form: 'receipt', label: { 'zh-CN': '收款', en: 'Receipt' } },
      { form: 'write_off', label: expect.objectContaining({ 'zh-CN': expect.any(String) }) },
    ].sort((a, b) => a.form.localeCompare(b.form)))
    expect(body.rows.every((row: { received: string }) => row.received === '0.00')).toBe(true)
    // The summary sums invoices less allocations and write-offs: those two are named.
    const summary = (await reader.inject(`${API}/reports/receivables_summary/run?asOf=${AS_OF}`)).json()
    expect(summary.unreadable.map((form: { form: string }) => form.form).sort()).toEqual(['allocation', 'write_off'])
    // So does the dashboard's card of the same figure.
    const card = (await reader.inject(`${API}/dashboards/receivables/widgets/total/run?asOf=${AS_OF}`)).json()
    expect(card.unreadable).toEqual(summary.unreadable)
    // Whoever reads every form it sums (or only some rows of them) is told nothing, on any report.
    for (const who of ['general_manager', 'salesperson', 'administrator'] as const) {
      const full = (await users[who].inject(`${API}/reports/customer_statement/run?period=${period}`)).json()
      expect(full.unreadable, who).toBeUndefined()
      expect(full.rows.length, who).toBeGreaterThan(0)
      for (const report of reportsOf(who)) {
        const asked = report === 'customer_ledger' ? `&customer=${encodeURIComponent('某客户')}` : ''
        const run = (await users[who].inject(`${API}/reports/${report}/run?asOf=${AS_OF}${asked}`)).json()
        expect([run.unreadable, run.hidden], `${who} runs ${report}`).toEqual([undefined, undefined])
      }
    }
    // A field hidden from the reader (the salesperson's credit limits) is named where a report sums it.
    await platform.catalog.putMeta(APP, 'report', 'credit_by_region', {
      key: 'credit_by_region', label: '各区域信用额度', source: 'customer',
      dimensions: [{ key: 'region', expr: { var: 'region' } }],
      measures: [{ key: 'limit', agg: 'sum', expr: { var: 'credit_limit' }, type: 'money' }],
    }, SYSTEM_ACTOR)
    const salesperson = await platform.catalog.getMeta<{ reports: string[] }>(APP, 'role', 'salesperson')
    await platform.catalog.putMeta(APP, 'role', 'salesperson', { ...salesperson, reports: [...salesperson.reports, 'credit_by_region'] }, SYSTEM_ACTOR)
    try {
      const limits = (await users.salesperson.inject(`${API}/reports/credit_by_region/run`)).json()
      expect(limits.hidden).toEqual([{
        form: 'customer', formLabel: expect.objectContaining({ 'zh-CN': '客户' }),
        field: 'credit_limit', label: expect.objectContaining({ 'zh-CN': '信用额度' }),
      }])
      expect(limits.rows.every((row: { limit: string }) => row.limit === '0.00')).toBe(true)
      const admin = (await users.administrator.inject(`${API}/reports/credit_by_region/run`)).json()
      expect(admin.hidden).toBeUndefined()
      expect(admin.rows.some((row: { limit: string }) => row.limit !== '0.00')).toBe(true)
    } finally {
      await platform.catalog.putMeta(APP, 'role', 'salesperson', salesperson, SYSTEM_ACTOR)
      await platform.catalog.deleteMeta(APP, 'report', 'credit_by_region', undefined, SYSTEM_ACTOR)
    }
    await platform.catalog.deleteMeta(APP, 'role', 'statement_reader', undefined, SYSTEM_ACTOR)
  })

  it('imports only for roles with the import action on every form the mapping writes', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'tessera-matrix-import-'))
    const file = join(outDir, 'ledger.csv')
    const { writeFileSync } = await import('node:fs')
    writeFileSync(file, 'Customer,Invoice number,Invoice date,Due date,Amount\n')
    const attempt = (who: Who, mapping: string) =>
      platform.runImport(APP, mapping, file, { actor: users[who].actor }).then(() => 'ran', (e) => e.code)
    expect(await attempt('salesperson', 'ledger')).toBe('auth.forbidden')
    expect(await attempt('general_manager', 'ledger')).toBe('auth.forbidden')
    expect(await attempt('nobody', 'ledger')).toBe('auth.forbidden')
    // The clerk may not set credit limits, which demo_customers writes.
    expect(await attempt('finance_clerk', 'demo_customers')).toBe('auth.forbidden')
    for (const who of ['finance_clerk', 'finance_director', 'administrator'] as const) {
      expect(await attempt(who, 'ledger'), who).not.toBe('auth.forbidden')
    }
  })

  it('keeps the audit trail and role documents to administrators, and audits role changes', async () => {
    for (const who of WHO) {
      expect((await users[who].inject('/api/admin/audit')).statusCode, who).toBe(403)
      expect((await users[who].inject(`/api/admin/apps/${APP}/roles`)).statusCode, who).toBe(403)
    }
    const roles = (await server.inject(`/api/admin/apps/${APP}/roles`)).json() as { key: string }[]
    expect(roles.map((r) => r.key)).toEqual(['administrator', 'finance_clerk', 'finance_director', 'general_manager', 'salesperson'])

    const manager = roles.find((r) => r.key === 'general_manager')!
    const refused = await users.administrator.inject({
      method: 'PUT', url: `/api/admin/apps/${APP}/roles/general_manager`, payload: manager,
    })
    expect(refused.statusCode).toBe(403)
    const saved = await server.inject({
      method: 'PUT', url: `/api/admin/apps/${APP}/roles/general_manager`,
      payload: { ...manager, dashboards: [] },
    })
    expect(saved.statusCode).toBe(200)
    expect((await users.general_manager.inject(`${API}/dashboards/receivables`)).statusCode).toBe(403)
    const audit = (await server.inject('/api/admin/audit?action=role.*')).json()
    expect(audit.items[0]).toMatchObject({ action: 'role.save', after: { key: 'general_manager', dashboards: [] } })
    await server.inject({ method: 'PUT', url: `/api/admin/apps/${APP}/roles/general_manager`, payload: manager })
    expect((await users.general_manager.inject(`${API}/dashboards/receivables`)).statusCode).toBe(200)
  })
})
