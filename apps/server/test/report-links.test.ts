import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '@tessera/core'
import { Platform, drillAbout, loadDemo } from '@tessera/platform'
import { databaseSuites } from '@tessera/store/testing'
import { type Inject, type TestServer, createTestServer } from './support.js'

const TEMPLATE = resolve(__dirname, '../../../templates/customer-settlement')
const APP = 'customer-settlement'
const API = `/api/apps/${APP}`
const JUNE = '2026-06-01..2026-06-30'

type Row = Record<string, string>

/**
 * A report over several forms (the template's customer ledger: invoices,
 * receipts and write-offs as one list) and a report whose rows open
 * another (the statement's rows open that ledger), over HTTP: per reader,
 * as saved, and refused where they cannot be.
 */
describe.each(databaseSuites())('union reports and reports opening reports over HTTP on $name', (suite) => {
  let platform: Platform
  let server: TestServer
  let sales: Inject
  let owned: { code: string; name: string }

  beforeAll(async () => {
    platform = new Platform(await suite.open())
    await platform.installTemplate(TEMPLATE, SYSTEM_ACTOR)
    await loadDemo(platform, TEMPLATE, {
      outDir: mkdtempSync(join(tmpdir(), 'tessera-links-')), size: 120, end: '2026-06-30', actor: SYSTEM_ACTOR,
    })
    server = await createTestServer(platform)
    const signed = await server.createUser({ username: 'sales_links', roles: [`${APP}/salesperson`] })
    sales = signed.inject
    const { rows } = await sql<{ code: string; name: string }>`
      update customer_settlement.customer set owner = ${String(signed.user.id)}
      where id = (select min(id) from customer_settlement.customer) returning code, name`.execute(platform.database.db)
    owned = rows[0]
  })
  afterAll(async () => {
    await server?.close()
    await platform?.close()
  })

  const get = async (url: string, as: Inject = server.inject) => {
    const response = await as({ url })
    expect(response.statusCode, `${url}: ${response.body}`).toBe(200)
    return response.json()
  }
  const put = (key: string, spec: object) => server.inject({ method: 'PUT', url: `${API}/reports/${key}`, payload: spec })

  it('says which report a statement row opens, and that a union has no source form to list', async () => {
    const statement = await get(`${API}/reports/customer_statement`)
    expect(statement).toMatchObject({ source: 'customer',
      drillTo: { report: 'customer_ledger', params: { customer: { dimension: 'customer' }, period: { param: 'period' } } } })
    const ledger = await get(`${API}/reports/customer_ledger`)
    expect(ledger).not.toHaveProperty('source')
    expect(ledger.params.map((param: { key: string }) => param.key)).toEqual(['customer', 'period'])

    // A reader who may run the statement but not the ledger: the rows open the customers instead.
    const role = await server.inject({ method: 'PUT', url: `/api/admin/apps/${APP}/roles/statement_only`, payload: {
      key: 'statement_only', label: 'statement only', forms: { customer: { actions: ['read'] } }, reports: ['customer_statement'],
    } })
    expect(role.statusCode, role.body).toBe(200)
    const reader = await server.createUser({ username: 'statement_reader', roles: [`${APP}/statement_only`] })
    const seen = await get(`${API}/reports/customer_statement`, reader.inject)
    expect(seen).not.toHaveProperty('drillTo')
    expect((await reader.inject({ url: `${API}/reports/customer_ledger` })).statusCode).toBe(403)
  })

  it('ends each customer\'s ledger at the statement\'s closing balance, for every customer', async () => {
    const statement = (await get(`${API}/reports/customer_statement/run?period=${JUNE}`)).rows as Row[]
    expect(statement.length).toBeGreaterThan(5)
    for (const row of statement) {
      const lines = (await get(`${API}/reports/customer_ledger/run?${new URLSearchParams({ customer: row.customer, period: JUNE })}`)).rows as Row[]
      expect(lines[0].balance, row.customer).toBe(row.opening)
      expect(lines.at(-1)?.balance, row.customer).toBe(row.closing)
    }
    // A customer named like another's code is that customer, not the other.
    const [first, second] = statement
    await sql`update customer_settlement.customer set name = ${first.code} where code = ${second.code}`.execute(platform.database.db)
    const named = await get(`${API}/reports/customer_ledger/run?${new URLSearchParams({ customer: first.code, period: JUNE })}`)
    expect(named.rows.at(-1)?.balance).toBe(second.closing)
    await sql`update customer_settlement.customer set name = ${second.customer} where code = ${second.code}`.execute(platform.database.db)
    // Without a customer it does not run, and says which param is missing.
    const missing = await server.inject({ url: `${API}/reports/customer_ledger/run?period=${JUNE}` })
    expect(missing.statusCode).toBe(400)
    expect(missing.json().error).toMatchObject({ code: 'report.param_invalid', issues: [expect.objectContaining({ field: 'customer' })] })
  })

  it('gives a salesperson the ledger of their own customers only, and drills into each form of a union\'s line', async () => {
    const own = await get(`${API}/reports/customer_ledger/run?${new URLSearchParams({ customer: owned.name, period: JUNE })}`, sales)
    const full = await get(`${API}/reports/customer_ledger/run?${new URLSearchParams({ customer: owned.name, period: JUNE })}`)
    expect(own.rows.length).toBeGreaterThan(0)
    expect(own.rows).toEqual(full.rows)
    const { rows: [other] } = await sql<{ name: string }>`select name from customer_settlement.customer
      where code <> ${owned.code} order by id limit 1`.execute(platform.database.db)
    expect((await get(`${API}/reports/customer_ledger/run?${new URLSearchParams({ customer: other.name, period: JUNE })}`)).rows.length)
      .toBeGreaterThan(0)
    expect((await get(`${API}/reports/customer_ledger/run?${new URLSearchParams({ customer: other.name, period: JUNE })}`, sales)).rows)
      .toEqual([])

    // A drill into a union's line names the form whose records to list; the web app asks which forms hold any.
    const drill = JSON.stringify({ report: 'customer_ledger', params: { customer: owned.name, period: JUNE }, path: {} })
    const refused = await server.inject({ url: `${API}/forms/customer/records?${new URLSearchParams({ drill })}` })
    expect(refused.statusCode).toBe(400)
    expect(refused.json().error).toMatchObject({ code: 'request.invalid', details: { expected: ['invoice', 'receipt', 'write_off'] } })
    const direct = await server.inject({ url: `${API}/reports/customer_ledger/drill?${new URLSearchParams({ customer: owned.name, period: JUNE })}` })
    expect(direct.statusCode).toBe(400)
    expect(direct.json().error.issues).toEqual([expect.objectContaining({ field: 'form' })])
    // Another customer's line holds nothing a salesperson may read.
    const others = JSON.stringify({ report: 'customer_ledger', params: { customer: other.name, period: JUNE }, path: {} })
    expect(await get(`${API}/drill/forms?${new URLSearchParams({ drill: others })}`, sales)).toEqual([])
    expect((await get(`${API}/drill/forms?${new URLSearchParams({ drill: others })}`)).length).toBeGreaterThan(0)
  })

  it('lists the invoices, receipts and write-offs behind a ledger line, each with its share', async () => {
    // A customer with invoices and receipts before June, and (written off through the API) a write-off.
    const { rows: [customer] } = await sql<{ id: number; name: string; invoice: number; dated: string }>`
      select c.id, c.name, i.id as invoice, to_char(i.invoice_date, 'YYYY-MM-DD') as dated
      from customer_settlement.customer c join customer_settlement.invoice i on i.customer_id = c.id
      where i.open_amount > 1 and i.invoice_date < '2026-05-31'
        and exists (select 1 from customer_settlement.receipt r where r.customer_id = c.id and r.date < '2026-06-01')
      order by c.id, i.id limit 1`.execute(platform.database.db)
    expect(customer).toBeDefined()
    const written = await server.inject({ method: 'POST', url: `${API}/forms/write_off/records`,
      payload: { values: { invoice: customer.invoice, date: '2026-05-31', amount: '1.00', reason: 'rounding' } } })
    expect(written.statusCode, written.body).toBe(201)
    const params = { customer: customer.name, period: JUNE }
    const lines = (await get(`${API}/reports/customer_ledger/run?${new URLSearchParams(params)}`)).rows as Row[]
    const opening = lines[0]
    expect(opening.document).toBe('期初余额')
    const path = { date: opening.date, document: opening.document, kind: opening.kind }
    const drill = JSON.stringify({ report: 'customer_ledger', params, path })

    const before = async (query: ReturnType<typeof sql<{ id: number; amount: string }>>) =>
      (await query.execute(platform.database.db)).rows.map((row) => ({ id: Number(row.id), amount: row.amount }))
    const oracle = {
      invoice: await before(sql`select id, amount::text from customer_settlement.invoice
        where customer_id = ${customer.id} and invoice_date < '2026-06-01' order by id`),
      receipt: await before(sql`select id, amount::text from customer_settlement.receipt
        where customer_id = ${customer.id} and date < '2026-06-01' order by id`),
      write_off: await before(sql`select w.id, w.amount::text from customer_settlement.write_off w
        join customer_settlement.invoice i on i.id = w.invoice_id
        where i.customer_id = ${customer.id} and w.date < '2026-06-01' order by w.id`),
    }
    const forms = await get(`${API}/drill/forms?${new URLSearchParams({ drill })}`)
    expect(forms).toEqual([
      { form: 'invoice', label: expect.anything(), count: oracle.invoice.length },
      { form: 'receipt', label: expect.anything(), count: oracle.receipt.length },
      { form: 'write_off', label: expect.anything(), count: oracle.write_off.length },
    ])
    let net = 0n
    const cents = (text: string) => BigInt(text.replace('.', ''))
    for (const [form, expected] of Object.entries(oracle)) {
      const listed = await get(`${API}/forms/${form}/records?${new URLSearchParams({ drill, pageSize: '500', sort: 'id' })}`)
      expect(listed.total, form).toBe(expected.length)
      expect(listed.items.map((item: { id: number }) => item.id), form).toEqual(expected.map((one) => one.id))
      // Each record's share of the opening balance: an invoice's amount, a receipt's or write-off's
      // less (the opening line leaves debit and credit out: they are before the period).
      const netOf = (amount: string) => (form === 'invoice' ? amount : `-${amount}`)
      for (const one of expected) {
        expect(listed.drill.values[String(one.id)].net, `${form} ${one.id}`).toBe(netOf(one.amount))
        expect(listed.drill.values[String(one.id)].debit, `${form} ${one.id}`).toBeNull()
      }
      for (const one of expected) net += cents(listed.drill.values[String(one.id)].net)
      const exported = await server.inject({ url: `${API}/forms/${form}/export?${new URLSearchParams({ drill, format: 'csv' })}` })
      expect(exported.statusCode).toBe(200)
      expect(exported.body.trim().split('\n').length - 1, form).toBe(expected.length)
    }
    // The line's balance is what its records add up to.
    expect(net).toBe(cents(opening.balance))
    // An exported list's 说明 sheet says the opening line's empty kind as empty.
    const about = await drillAbout(platform, APP, { report: 'customer_ledger', params, path }, [], 'zh-CN')
    expect(about.lines).toEqual(expect.arrayContaining([['单据号', '期初余额'], ['类型', '（空）']]))

    // A document's own line holds that document alone.
    const line = lines.find((one) => one.kind === '收款')
    expect(line).toBeDefined()
    const own = JSON.stringify({ report: 'customer_ledger', params, path: { date: line?.date, document: line?.document, kind: line?.kind } })
    const [receipt] = await get(`${API}/drill/forms?${new URLSearchParams({ drill: own })}`)
    expect(receipt).toMatchObject({ form: 'receipt', count: 1 })
    const direct = await get(`${API}/reports/customer_ledger/drill?${new URLSearchParams({ ...params, form: 'receipt',
      'dim.date': String(line?.date), 'dim.document': String(line?.document), 'dim.kind': String(line?.kind) })}`)
    expect(direct).toMatchObject({ form: 'receipt', total: 1, rows: [{ credit: line?.credit }] })
    // The line's values are as shown in the language it was clicked in: a list read in English later
    // still finds the records of 期初余额, and a query string's empty 类型 is the line's empty kind.
    const clickedInChinese = JSON.stringify({ report: 'customer_ledger', params, path, locale: 'zh-CN' })
    const readInEnglish = await get(`${API}/forms/invoice/records?${new URLSearchParams({ drill: clickedInChinese, locale: 'en' })}`)
    expect(readInEnglish.total).toBe(oracle.invoice.length)
    expect(readInEnglish.drill.columns.map((column: { label: { en: string } }) => column.label.en)).toContain('Debit (invoiced)')
    const unsaid = await get(`${API}/forms/invoice/records?${new URLSearchParams({ drill, locale: 'en' })}`)
    expect(unsaid.total).toBe(0)
    const badLocale = await server.inject({ url: `${API}/forms/invoice/records?${new URLSearchParams({
      drill: JSON.stringify({ report: 'customer_ledger', params, path, locale: 'fr' }) })}` })
    expect(badLocale.statusCode).toBe(400)
    const emptyKind = await get(`${API}/reports/customer_ledger/drill?${new URLSearchParams({ ...params, form: 'invoice',
      'dim.date': opening.date, 'dim.document': opening.document, 'dim.kind': '' })}`)
    expect(emptyKind.total).toBe(oracle.invoice.length)

    // A union listing a form twice counts its records twice: the list shows each record's count.
    const ledgerSpec = await get(`${API}/reports/customer_ledger/spec`)
    const twice = { ...ledgerSpec, key: 'twice_ledger', measures: [...ledgerSpec.measures, { key: 'lines', agg: 'count' }],
      union: { ...ledgerSpec.union, from: [...ledgerSpec.union.from, { ...ledgerSpec.union.from[0], values: {
        ...ledgerSpec.union.from[0].values, debit: 0 } }] } }
    const savedTwice = await put('twice_ledger', twice)
    expect(savedTwice.statusCode, savedTwice.body).toBe(200)
    const counted = await get(`${API}/forms/invoice/records?${new URLSearchParams({
      drill: JSON.stringify({ report: 'twice_ledger', params, path }), pageSize: '500' })}`)
    expect(counted.total).toBe(oracle.invoice.length)
    expect(Object.values(counted.drill.values).map((one) => (one as { lines: number }).lines))
      .toEqual(oracle.invoice.map(() => 2))

    // A dashboard widget showing the ledger drills the same way, naming the form.
    const board = { key: 'one_ledger', label: '一位客户', params: [], widgets: [{ key: 'lines', type: 'table', title: '明细',
      report: 'customer_ledger', params: { customer: customer.name, period: JUNE }, layout: { x: 0, y: 0, w: 12, h: 4 } }] }
    const saved = await server.inject({ method: 'PUT', url: `${API}/dashboards/one_ledger`, payload: board })
    expect(saved.statusCode, saved.body).toBe(200)
    const widgetPath = JSON.stringify(path)
    const widget = await get(`${API}/dashboards/one_ledger/widgets/lines/drill?${new URLSearchParams({ path: widgetPath, form: 'write_off' })}`)
    expect(widget).toMatchObject({ form: 'write_off', total: oracle.write_off.length })
    expect(widget.rows.map((row: { id: number }) => row.id)).toEqual(oracle.write_off.map((one) => one.id))
    const unnamed = await server.inject({ url: `${API}/dashboards/one_ledger/widgets/lines/drill?${new URLSearchParams({ path: widgetPath })}` })
    expect(unnamed.statusCode).toBe(400)
    const fromBoard = JSON.stringify({ dashboard: 'one_ledger', widget: 'lines', params: {}, filters: {}, path })
    expect((await get(`${API}/drill/forms?${new URLSearchParams({ drill: fromBoard })}`)).map((one: { count: number }) => one.count))
      .toEqual([oracle.invoice.length, oracle.receipt.length, oracle.write_off.length])
    const listed = await get(`${API}/forms/receipt/records?${new URLSearchParams({ drill: fromBoard, pageSize: '500' })}`)
    expect(listed.total).toBe(oracle.receipt.length)

    // A report over one form says its own.
    const statement = JSON.stringify({ report: 'customer_statement', params: { period: JUNE }, path: { customer: customer.name } })
    expect(await get(`${API}/drill/forms?${new URLSearchParams({ drill: statement })}`))
      .toEqual([{ form: 'customer', label: expect.anything(), count: 1 }])
  })

  it('suggests the customers a reader may read for the ledger\'s customer, as they type', async () => {
    const suggest = (q: string, as: Inject = server.inject) =>
      get(`${API}/reports/customer_ledger/params/customer/options?${new URLSearchParams({ q })}`, as) as Promise<string[]>
    const all = await suggest('')
    const { rows: [{ n }] } = await sql<{ n: number }>`select count(*)::int as n from customer_settlement.customer`
      .execute(platform.database.db)
    expect(all.length).toBe(Math.min(20, n))
    expect([...all].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(all)
    const part = owned.name.slice(2, 5)
    const found = await suggest(part)
    expect(found).toContain(owned.name)
    expect(found.every((name) => name.includes(part))).toBe(true)
    // A salesperson is offered their own customers only.
    expect(await suggest('', sales)).toEqual([owned.name])
    expect(await suggest('%', sales)).toEqual([])
    // A param without suggestions, or a report the reader may not run, answers nothing.
    expect((await server.inject({ url: `${API}/reports/customer_ledger/params/period/options?q=x` })).statusCode).toBe(404)
    expect((await sales({ url: `${API}/reports/collection_rate/params/period/options?q=x` })).statusCode).toBe(403)
    expect((await server.inject({ url: `${API}/reports/customer_ledger/params/customer/options?q=${'x'.repeat(201)}` })).statusCode).toBe(400)
    // A suggestion must read a stored field of a published form, checked when saved.
    const spec = await get(`${API}/reports/customer_ledger/spec`)
    const broken = { ...spec, params: [{ ...spec.params[0], suggest: { form: 'customer', field: 'nope' } }, spec.params[1]] }
    const refused = await put('customer_ledger', broken)
    expect(refused.statusCode).toBe(400)
    expect(refused.json().error.issues).toEqual([expect.objectContaining({ field: 'params[0].suggest.field', rule: 'unknown_field' })])
    const onDate = await put('customer_ledger', { ...spec, params: [spec.params[0], { ...spec.params[1], suggest: { form: 'customer', field: 'name' } }] })
    expect(onDate.json().error.issues).toContainEqual(expect.objectContaining({ field: 'params[1].suggest', rule: 'type' }))
  })

  it('refuses a report opening a report the app lacks, or giving it a param it does not take', async () => {
    const base = (await get(`${API}/reports/customer_statement/spec`)) as Record<string, unknown>
    const cases: Array<[object, string]> = [
      [{ report: 'no_such_report', params: {} }, 'drillTo.report'],
      [{ report: 'customer_ledger', params: { customr: { dimension: 'code' } } }, 'drillTo.params.customr'],
      [{ report: 'customer_ledger', params: { customer: { dimension: 'nope' } } }, 'drillTo.params.customer'],
      [{ report: 'customer_ledger', params: { period: { param: 'nope' } } }, 'drillTo.params.period'],
      [{ report: 'customer_ledger', params: { customer: 7 } }, 'drillTo.params.customer'],
      [{ report: 'customer_ledger' }, 'drillTo'],
      // A fixed text must be a value of the param; a param required without a default must be given.
      [{ report: 'customer_ledger', params: { customer: { dimension: 'customer' }, period: 'garbage' } }, 'drillTo.params.period'],
      [{ report: 'customer_ledger', params: { period: { param: 'period' } } }, 'drillTo.params.customer'],
    ]
    for (const [drillTo, field] of cases) {
      const refused = await put('customer_statement', { ...base, drillTo })
      expect(refused.statusCode, JSON.stringify(drillTo)).toBe(400)
      expect(refused.json().error.issues.map((issue: { field: string }) => issue.field)).toContain(field)
    }
    // Unchanged by the refusals.
    expect((await get(`${API}/reports/customer_statement`)).drillTo.report).toBe('customer_ledger')
    // A param named like a date param of another report (asOf) may be given.
    const opensAging = await put('receivables_summary', { ...(await get(`${API}/reports/receivables_summary/spec`)),
      drillTo: { report: 'aging', params: { asOf: { param: 'asOf' } } } })
    expect(opensAging.statusCode, opensAging.body).toBe(200)

    // The report opened cannot lose a param it is given, nor be deleted, while a report opens it.
    const ledger = await get(`${API}/reports/customer_ledger/spec`)
    const renamed = await put('customer_ledger', { ...ledger, params: [{ ...ledger.params[0], key: 'who' }, ledger.params[1]],
      where: JSON.parse(JSON.stringify(ledger.where).replace('"param":"customer"', '"param":"who"')) })
    expect(renamed.statusCode, renamed.body).toBe(409)
    expect(renamed.json().error).toMatchObject({ code: 'conflict.reference', details: { reports: ['customer_statement'] } })
    const deleted = await server.inject({ method: 'DELETE', url: `${API}/reports/customer_ledger` })
    expect(deleted.statusCode).toBe(409)
    // Named by the labels the menu shows; the keys are in details.
    expect(deleted.json().error.message).toBe('报表「客户对账单」的行会打开报表「客户往来明细」，请先去掉它们的 drillTo')
    expect(deleted.json().error.details).toMatchObject({ report: 'customer_ledger', reports: ['customer_statement'] })
    expect((await get(`${API}/reports/customer_ledger`)).params.map((param: { key: string }) => param.key)).toEqual(['customer', 'period'])
    // Nor saved so beside a dashboard.
    const board = { key: 'ledger_board', label: '明细看板', params: [], widgets: [{ key: 'lines', type: 'table', title: '明细',
      report: 'customer_ledger', params: { customer: '某客户' }, layout: { x: 0, y: 0, w: 12, h: 4 } }] }
    const together = await server.inject({ method: 'PUT', url: `${API}/dashboards/ledger_board/with-reports`, payload: {
      dashboard: board, reports: [{ ...ledger, params: [{ ...ledger.params[0], key: 'who' }, ledger.params[1]],
        where: JSON.parse(JSON.stringify(ledger.where).replace('"param":"customer"', '"param":"who"')) }] } })
    // (A dashboard saved with its reports saves new reports only: the ledger, there already, is refused as such.)
    expect(together.statusCode, together.body).toBe(409)
    expect(together.json().error).toMatchObject({ code: 'conflict.unique', details: { report: 'customer_ledger' } })
    // A param given from this report's own param of another type, or a period from a row, is refused.
    const statement = await get(`${API}/reports/customer_statement/spec`)
    for (const params of [{ customer: { param: 'period' } }, { customer: { dimension: 'customer' }, period: { dimension: 'code' } }]) {
      const mistyped = await put('customer_statement', { ...statement, drillTo: { report: 'customer_ledger', params } })
      expect(mistyped.statusCode, JSON.stringify(params)).toBe(400)
    }
    // A required param named like a property every object has is still asked for.
    const odd = await put('odd_target', { key: 'odd_target', label: 'odd', source: 'customer',
      params: [{ key: 'constructor', type: 'text', required: true }], measures: [{ key: 'n', agg: 'count' }] })
    expect(odd.statusCode, odd.body).toBe(200)
    const opener = await put('odd_opener', { key: 'odd_opener', label: 'opener', source: 'customer',
      dimensions: [{ key: 'name', expr: { var: 'name' } }], measures: [{ key: 'n', agg: 'count' }],
      drillTo: { report: 'odd_target', params: {} } })
    expect(opener.statusCode).toBe(400)
    expect(opener.json().error.issues).toEqual([expect.objectContaining({ field: 'drillTo.params.constructor' })])
  })

  it('checks a text given in both languages in each when saved', async () => {
    const spec = { key: 'bilingual_probe', label: 'probe', source: 'invoice', measures: [{ key: 'n', agg: 'count' }],
      where: { '<=': [{ var: 'invoice_date' }, { 'zh-CN': '2026-01-01', en: 'not a date' }] } }
    const refused = await put('bilingual_probe', spec)
    expect(refused.statusCode).toBe(400)
    const fine = await put('bilingual_probe', { ...spec, where: { '<=': [{ var: 'invoice_date' }, { 'zh-CN': '2026-01-01', en: '2026-01-01' }] } })
    expect(fine.statusCode, fine.body).toBe(200)
  })
})
