import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { Dec, SYSTEM_ACTOR } from '@tessera/core'
import { openTable } from '@tessera/importer'
import { Platform, drillAbout, loadDemo } from '@tessera/platform'
import { databaseSuites } from '@tessera/store/testing'

import { type TestServer, createTestServer } from './support.js'

const TEMPLATE = resolve(__dirname, '../../../templates/customer-settlement')
const APP = '/api/apps/customer-settlement'
const BOARD = `${APP}/dashboards/receivables`
const AS_OF = '2026-06-30'

type Row = Record<string, unknown>

function total(rows: Row[], key: string): string {
  return rows.reduce((sum, row) => sum.plus(String(row[key])), new Dec(0)).toFixed(2)
}

function query(parts: Record<string, string | string[]>): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(parts)) {
    for (const one of Array.isArray(value) ? value : [value]) search.append(key, one)
  }
  return search.toString()
}

describe.each(databaseSuites())('dashboard and drill-down API on $name', (suite) => {
  let platform: Platform
  let server: TestServer

  beforeAll(async () => {
    platform = new Platform(await suite.open())
    await platform.installTemplate(TEMPLATE, SYSTEM_ACTOR)
    await loadDemo(platform, TEMPLATE, {
      outDir: mkdtempSync(join(tmpdir(), 'tessera-board-')), size: 200, end: AS_OF, actor: SYSTEM_ACTOR,
    })
    server = await createTestServer(platform)
  })
  afterAll(async () => {
    await server?.close()
    await platform?.close()
  })

  const get = async (url: string) => {
    const response = await server.inject({ url })
    expect(response.statusCode, `${url}: ${response.body}`).toBe(200)
    return response.json()
  }
  const widget = (key: string, parts: Record<string, string | string[]>, action = 'run') =>
    get(`${BOARD}/widgets/${key}/${action}?${query(parts)}`)

  it('drills a widget level by level: regions, one region\'s customers, their invoices', async () => {
    const summary = await get(`${APP}/reports/receivables_summary/run?asOf=${AS_OF}`)
    const regions = await widget('by_region', { asOf: AS_OF })
    expect(regions.columns.map((column: Row) => column.key)).toEqual(['region', 'open', 'overdue', 'invoices'])
    expect(total(regions.rows, 'open')).toBe(summary.rows[0].open)

    const region = regions.rows[0]
    const path = JSON.stringify({ region: region.region })
    const customers = await widget('by_region', { asOf: AS_OF, level: 'customer', path })
    expect(customers.rows.length).toBeGreaterThan(0)
    expect(total(customers.rows, 'open')).toBe(region.open)

    const customer = customers.rows[0]
    const records = await widget('by_region', {
      asOf: AS_OF,
      path: JSON.stringify({ region: region.region, customer: customer.customer }),
    }, 'drill')
    expect(records.form).toBe('invoice')
    expect(records.total).toBe(customer.invoices)
    expect(total(records.rows, 'open')).toBe(customer.open)
    expect(records.rows[0].__title).toMatch(/^INV-/)
  })

  it('drills into the records behind one measure of a group: the overdue bar lists the overdue invoices only', async () => {
    const regions = await widget('by_region', { asOf: AS_OF })
    const region = regions.rows.find((row: Row) => Number(row.overdue) > 0 && row.overdue !== row.open)
    expect(region, 'a region with overdue and not-yet-due invoices').toBeDefined()
    const path = JSON.stringify({ region: region.region })
    const overdue = await widget('by_region', { asOf: AS_OF, path, measure: 'overdue', limit: '5000' }, 'drill')
    const open = await widget('by_region', { asOf: AS_OF, path, measure: 'open', limit: '5000' }, 'drill')
    // The shares of the clicked measure add up to its figure; no record shares nothing.
    expect(total(overdue.rows, 'overdue')).toBe(region.overdue)
    expect(overdue.rows.every((row: Row) => Number(row.overdue) !== 0)).toBe(true)
    expect(total(open.rows, 'open')).toBe(region.open)
    expect(overdue.total).toBeLessThan(open.total)

    // The same through the record list a large drill opens, and its export.
    const drill = JSON.stringify({ dashboard: 'receivables', widget: 'by_region', params: { asOf: AS_OF }, filters: {},
      path: { region: region.region }, measure: 'overdue' })
    const listed = await get(`${APP}/forms/invoice/records?pageSize=500&drill=${encodeURIComponent(drill)}`)
    expect(listed.items.map((item: Row) => item.id).sort()).toEqual(overdue.rows.map((row: Row) => row.id).sort())
    // Each listed record's share of the figure travels with the page.
    expect(listed.drill.columns.map((column: Row) => column.key)).toEqual(['open', 'overdue'])
    for (const row of overdue.rows) expect(listed.drill.values[String(row.id)]).toMatchObject({ overdue: row.overdue })
    // The dates the figure was taken at are those its report takes: an as-of date here…
    expect(listed.drill.params).toEqual([{ key: 'asOf', type: 'date', label: expect.anything(), value: AS_OF }])
    // …and a period, not the dashboard's as-of date, for the salesperson ranking.
    const period = '2026-05-01..2026-05-31'
    const ranked = (await widget('salespeople', { asOf: AS_OF, period })).rows[0]
    const byPeriod = JSON.stringify({ dashboard: 'receivables', widget: 'salespeople', params: { asOf: AS_OF, period },
      filters: {}, path: { salesperson: ranked.salesperson } })
    const sold = await get(`${APP}/forms/invoice/records?pageSize=5&drill=${encodeURIComponent(byPeriod)}`)
    expect(sold.drill.params).toEqual([{ key: 'period', type: 'period', label: expect.anything(), value: period }])

    const unknown = await server.inject({ url: `${BOARD}/widgets/by_region/drill?${query({ asOf: AS_OF, path, measure: 'nope' })}` })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().error.message).toContain('没有度量 "nope"')
  })

  it('shows beside each listed record its figure as of the dashboard\'s date, not its stored value now', async () => {
    const past = '2026-03-31'
    const drill = JSON.stringify({ dashboard: 'receivables', widget: 'aging', params: { asOf: past }, filters: {},
      path: { bucket__index: 0 } })
    const listed = await get(`${APP}/forms/invoice/records?pageSize=500&drill=${encodeURIComponent(drill)}`)
    const bucket = (await widget('aging', { asOf: past })).rows.find((row: Row) => row.bucket__index === 0)
    expect(listed.total).toBe(bucket.invoices)
    const shares = listed.items.map((item: Row) => listed.drill.values[String(item.id)].open as string)
    expect(total(shares.map((open: string) => ({ open })), 'open')).toBe(bucket.open)
    // Paid since: open then, less (or nothing) open now.
    const items = listed.items as Array<{ id: number; values: Row }>
    expect(items.some((item) => item.values.open_amount !== listed.drill.values[String(item.id)].open)).toBe(true)

    // Its export holds the same figures after the invoices' own columns, in CSV and in Excel.
    const columns = 'number,open_amount'
    const csv = await server.inject({ url: `${APP}/forms/invoice/export?${query({ drill, columns, format: 'csv', sort: 'id' })}` })
    expect(csv.statusCode).toBe(200)
    const [header, ...lines] = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n')
    expect(header).toBe('发票号,未收金额,未收金额（看板口径）')
    const byNumber = new Map(items.map((item) => [item.values.number, listed.drill.values[String(item.id)].open]))
    expect(lines).toHaveLength(items.length)
    for (const line of lines) {
      const [number, , share] = line.split(',')
      expect(share, number).toBe(byNumber.get(number))
    }
    const xlsx = await server.inject({
      url: `${APP}/forms/invoice/export?${query({ drill, columns, format: 'xlsx', locale: 'en', sort: 'id' })}`,
    })
    const table = await openTable(Readable.from([xlsx.rawPayload]), 'xlsx')
    const cells: Row[] = []
    for await (const row of table.rows) cells.push(row.cells)
    expect(Object.keys(cells[0])).toEqual(['Invoice number', 'Open amount', 'Open amount (dashboard figure)'])
    // Under the records, the share column's total: the bar's figure (the invoice's own column has none).
    const totals = cells.pop()!
    expect(totals['Invoice number']).toBe(`Total (${items.length} records)`)
    expect(totals['Open amount (dashboard figure)']).toBe(Number(bucket.open))
    expect(totals['Open amount'] ?? null).toBeNull()
    expect(cells.map((row) => [row['Invoice number'], row['Open amount (dashboard figure)']]))
      .toEqual(lines.map((line) => line.split(',')).map(([number, , share]) => [number, Number(share)]))
  })

  it('lists the records behind a cell of a report\'s own page: a customer\'s bucket of the aging pivot', async () => {
    const summary = await get(`${APP}/reports/aging`)
    expect(summary.source).toBe('invoice')
    const aging = await get(`${APP}/reports/aging/run?asOf=${AS_OF}`)
    const cell = (aging.rows as Row[]).find((row) => Number(row.invoices) > 1 && Number(row.bucket__index) > 0)
    expect(cell, 'a customer with two invoices in an overdue bucket').toBeDefined()
    // As the pivot's click gives it: the row's customer, the column's bucket label and index.
    const path = { customer: cell!.customer, bucket: cell!.bucket, bucket__index: cell!.bucket__index }
    const drill = JSON.stringify({ report: 'aging', params: { asOf: AS_OF }, path })
    const listed = await get(`${APP}/forms/invoice/records?${query({ drill, pageSize: '500', sort: 'id' })}`)
    expect(listed.total).toBe(cell!.invoices)
    // Each invoice's share is its open amount as of the report's date; together, the cell.
    const shares = Object.values(listed.drill.values as Record<string, Row>).map((one) => ({ open: one.open }))
    expect(total(shares, 'open')).toBe(cell!.open)
    expect(listed.drill.params).toEqual([expect.objectContaining({ key: 'asOf', value: AS_OF })])
    // A period given as an object, and a param left to its default, are said as the report took them.
    const statement = JSON.stringify({ report: 'customer_statement', params: { period: { from: '2026-05-01', to: '2026-05-31' } }, path: {} })
    const taken = await get(`${APP}/forms/customer/records?${query({ drill: statement, pageSize: '1' })}`)
    expect(taken.drill.params).toEqual([expect.objectContaining({ key: 'period', value: '2026-05-01..2026-05-31' })])
    const defaulted = await get(`${APP}/forms/invoice/records?${query({ drill: JSON.stringify({ report: 'aging', path: {} }), pageSize: '1' })}`)
    expect(defaulted.drill.params).toEqual([expect.objectContaining({ key: 'asOf', value: (await get('/api/settings')).today })])
    const direct = await get(`${APP}/reports/aging/drill?${query({ asOf: AS_OF, 'dim.customer': String(cell!.customer),
      'dim.bucket__index': String(cell!.bucket__index), limit: '500' })}`)
    expect(listed.items.map((item: { id: number }) => item.id).sort((a: number, b: number) => a - b))
      .toEqual(direct.rows.map((row: Row) => row.id).sort((a: number, b: number) => a - b))

    // The export holds the same invoices, its share column named for the report.
    const exported = await server.inject({ url: `${APP}/forms/invoice/export?${query({ drill, format: 'csv' })}` })
    expect(exported.statusCode).toBe(200)
    const [header, ...lines] = exported.body.replace(/^\uFEFF/, '').trim().split(/\r?\n/)
    expect(header).toContain('未收金额（报表口径）')
    expect(lines).toHaveLength(Number(cell!.invoices))

    // In Excel, a second sheet says which figure the invoices make up.
    const xlsx = await server.inject({ url: `${APP}/forms/invoice/export?${query({ drill, format: 'xlsx' })}` })
    expect(xlsx.statusCode).toBe(200)
    const about = await drillAbout(platform, 'customer-settlement', { report: 'aging', params: { asOf: AS_OF }, path },
      listed.drill.params, 'zh-CN')
    expect(about).toEqual({ sheet: '说明', lines: [
      ['来源', '报表「客户账龄表」'], ['客户', String(cell!.customer)], ['账龄', String(cell!.bucket)], ['截止日期', AS_OF],
      ['导出时间', expect.stringMatching(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)]] })
    // The time is the company's wall clock (Asia/Shanghai), not the server's.
    const [, at] = about.lines.at(-1)!
    const shanghai = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')
    expect(Math.abs(Date.parse(`${at.replace(' ', 'T')}:00Z`) - Date.parse(`${shanghai.replace(' ', 'T')}:00Z`))).toBeLessThanOrEqual(60_000)
    const widgetAbout = await drillAbout(platform, 'customer-settlement',
      { dashboard: 'receivables', widget: 'aging', query: { params: {}, filters: {}, path: { bucket__index: 4 }, measure: 'open' } },
      [], 'en')
    expect(widgetAbout.lines).toEqual([['From', expect.stringMatching(/^dashboard "Receivables" · widget "/)],
      ['Age', 'Over 90 days'], ['Measure', 'Open amount'], ['Exported at', expect.any(String)]])

    // Refused, naming the drill: another form, a report beside a dashboard, dashboard filters on a
    // report, a param the report does not take.
    const refusals: Array<[string, string, number]> = [
      [`${APP}/forms/customer/records?${query({ drill })}`, '报表「aging」下钻到表单「invoice」的记录，不是「customer」', 400],
      [`${APP}/forms/invoice/records?${query({ drill: JSON.stringify({ report: 'aging', dashboard: 'receivables', widget: 'aging' }) })}`, 'drill 须为 JSON', 400],
      [`${APP}/forms/invoice/records?${query({ drill: JSON.stringify({ report: 'aging', filters: { region: ['华东'] } }) })}`, 'drill 须为 JSON', 400],
      [`${APP}/forms/invoice/records?${query({ drill: JSON.stringify({ report: 'aging', params: { asOf: 'tomorrow' } }) })}`, 'asOf', 400],
      [`${APP}/forms/invoice/records?${query({ drill: JSON.stringify({ report: 'no_such_report' }) })}`, 'no_such_report', 404],
      // A misspelt part is refused, not read as no measure at all.
      [`${APP}/forms/invoice/records?${query({ drill: JSON.stringify({ report: 'aging', mesure: 'open' }) })}`, 'drill 没有「mesure」这一项', 400],
    ]
    for (const [url, said, status] of refusals) {
      const refused = await server.inject({ url })
      expect(refused.statusCode, `${url}: ${refused.body}`).toBe(status)
      expect(refused.body).toContain(said)
    }
  })

  it('lists the records of the previous period behind a previous figure, and says that period', async () => {
    const june = { period: '2026-06-01..2026-06-30' }
    const [rate] = (await get(`${APP}/reports/collection_rate/run?${query(june)}`)).rows as Row[]
    expect(Number(rate.collected__previous)).toBeGreaterThan(0)
    expect(rate.collected__previous).not.toBe(rate.collected)
    const figure = (measure: string) => JSON.stringify({ report: 'collection_rate', params: june, path: {}, measure })
    const listed = async (measure: string) => {
      const page = await get(`${APP}/forms/invoice/records?${query({ drill: figure(measure), pageSize: '500' })}`)
      expect(page.total, measure).toBeLessThanOrEqual(500)
      return page
    }
    // May's collections, invoice by invoice, add up to the previous figure; June's to June's.
    const before = await listed('collected__previous')
    expect(total(Object.values(before.drill.values as Record<string, Row>), 'collected')).toBe(rate.collected__previous)
    expect(before.drill.params).toEqual([expect.objectContaining({ key: 'period', value: '2026-05-01..2026-05-31' })])
    const about = await drillAbout(platform, 'customer-settlement',
      { report: 'collection_rate', params: june, path: {}, measure: 'collected__previous' }, before.drill.params, 'zh-CN')
    expect(about.lines).toContainEqual(['度量', '本期回款（上期）'])
    const now = await listed('collected')
    expect(total(Object.values(now.drill.values as Record<string, Row>), 'collected')).toBe(rate.collected)
    expect(now.drill.params).toEqual([expect.objectContaining({ key: 'period', value: '2026-06-01..2026-06-30' })])
    // A measure that does not compare has no previous figure.
    const refused = await server.inject({ url: `${APP}/forms/invoice/records?${query({ drill: figure('invoiced__previous') })}` })
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('invoiced__previous')
  })

  it('lists the invoices behind an aging bar, by bucket index or label', async () => {
    const buckets = await widget('aging', { asOf: AS_OF })
    const bar = buckets.rows.find((row: Row) => Number(row.invoices) > 0 && row.bucket__index !== 0)
    const byIndex = await widget('aging', { asOf: AS_OF, path: JSON.stringify({ bucket__index: bar.bucket__index }) }, 'drill')
    expect(byIndex.total).toBe(bar.invoices)
    expect(total(byIndex.rows, 'open')).toBe(bar.open)

    const byLabel = await get(`${APP}/reports/aging_buckets/drill?${query({ asOf: AS_OF, 'dim.bucket': String(bar.bucket) })}`)
    expect(byLabel.rows.map((row: Row) => row.id)).toEqual(byIndex.rows.map((row: Row) => row.id))

    // The record list opened on the drill itself: the same invoices, paged
    // and sorted as a list, with no cap on how many.
    const drill = JSON.stringify({ dashboard: 'receivables', widget: 'aging', params: { asOf: AS_OF },
      path: { bucket__index: bar.bucket__index } })
    const listed = await get(`${APP}/forms/invoice/records?${query({ drill, pageSize: '500', sort: 'id' })}`)
    expect(listed.total).toBe(bar.invoices)
    expect(listed.items.map((item: { id: number }) => item.id))
      .toEqual(byIndex.rows.map((row: Row) => row.id))
    const few = await get(`${APP}/forms/invoice/records?${query({ drill, pageSize: '5' })}`)
    expect(few.items).toHaveLength(Math.min(5, Number(bar.invoices)))
    // Its share column totals over every record behind the bar, also on a page of five: the bar's figure.
    expect(listed.drill.totals.open).toBe(bar.open)
    expect((await get(`${APP}/forms/invoice/records?${query({ drill, pageSize: '5' })}`)).drill.totals).toEqual(listed.drill.totals)
    // The list says what was clicked as the bar showed it: the bucket's label, whatever a link's caption claims.
    expect(listed.drill.caption).toEqual([bar.bucket])
    const claimed = JSON.stringify({ ...JSON.parse(drill), caption: ['未到期，全部正常'] })
    expect((await get(`${APP}/forms/invoice/records?${query({ drill: claimed, pageSize: '5' })}`)).drill.caption).toEqual([bar.bucket])
    const english = await server.inject({ url: `${APP}/forms/invoice/records?${query({ drill, pageSize: '5' })}`, headers: { 'accept-language': 'en' } })
    const englishBars = await server.inject({ url: `${BOARD}/widgets/aging/run?${query({ asOf: AS_OF })}`, headers: { 'accept-language': 'en' } })
    const englishBar = englishBars.json().rows.find((row: Row) => row.bucket__index === bar.bucket__index)
    expect(englishBar.bucket).not.toBe(bar.bucket)
    expect(english.json().drill.caption).toEqual([englishBar.bucket])

    // Exporting that list gives the same invoices and no others.
    const exported = await server.inject({ url: `${APP}/forms/invoice/export?${query({ drill, format: 'csv' })}` })
    expect(exported.statusCode).toBe(200)
    const lines = exported.body.replace(/^\uFEFF/, '').trim().split(/\r?\n/).slice(1)
    expect(lines).toHaveLength(Number(bar.invoices))
    for (const row of byIndex.rows as Row[]) expect(exported.body).toContain(String(row.__title))
    const everything = await server.inject({ url: `${APP}/forms/invoice/export?${query({ format: 'csv' })}` })
    expect(everything.body.trim().split(/\r?\n/).length - 1).toBeGreaterThan(lines.length)
    const badExport = await server.inject({ url: `${APP}/forms/invoice/export?${query({ drill: '{oops' })}` })
    expect(badExport.statusCode).toBe(400)
    const otherForm = await server.inject({ url: `${APP}/forms/customer/export?${query({ drill })}` })
    expect(otherForm.json().error.issues).toEqual([expect.objectContaining({
      field: 'query.drill', rule: 'form', expected: 'invoice', received: 'customer' })])
    const noColumn = await server.inject({ url: `${APP}/forms/invoice/export?${query({ columns: 'number,zzz' })}` })
    expect(noColumn.statusCode).toBe(400)
    expect(noColumn.json().error.issues).toEqual([expect.objectContaining({
      field: 'query.columns', rule: 'unknown_field', received: 'zzz' })])

    for (const [url, field] of [
      [`${APP}/forms/invoice/records?${query({ drill: '{oops' })}`, 'drill'],
      [`${APP}/forms/invoice/records?${query({ drill: JSON.stringify({ dashboard: 'receivables' }) })}`, 'drill'],
      [`${APP}/forms/customer/records?${query({ drill })}`, 'drill'],
    ]) {
      const refused = await server.inject({ url })
      expect(refused.statusCode, url).toBe(400)
      expect(refused.json().error.code).toBe('request.invalid')
      expect(JSON.stringify(refused.json().error)).toContain(field)
    }
  })

  it('drills into the others row of a top-N report over HTTP', async () => {
    const spec = {
      key: 'invoiced_top', label: '开票前三', source: 'invoice',
      dimensions: [{ key: 'customer', expr: { var: 'customer.name' } }],
      measures: [{ key: 'amount', agg: 'sum', expr: { var: 'amount' } }, { key: 'invoices', agg: 'count' }],
      top: { n: 3, by: 'amount' },
    }
    const saved = await server.inject({ method: 'PUT', url: `${APP}/reports/invoiced_top`, payload: spec })
    expect(saved.statusCode, saved.body).toBeLessThan(300)

    const run = await get(`${APP}/reports/invoiced_top/run`)
    const others = run.rows.find((row: Row) => row.customer === '其他')
    expect(run.rows).toHaveLength(4)
    const drilled = await get(`${APP}/reports/invoiced_top/drill?${query({ 'dim.customer__others': 'true' })}`)
    expect(drilled.rows).toHaveLength(others.invoices)
    expect(total(drilled.rows, 'amount')).toBe(others.amount)
    const top = new Set(run.rows.slice(0, 3).map((row: Row) => row.customer))
    const titles = await get(`${APP}/forms/invoice/records?${query({
      pageSize: '500', filter: JSON.stringify({ in: [{ var: 'id' }, drilled.rows.map((row: Row) => row.id)] }),
    })}`)
    for (const record of titles.items) expect(top.has(record.titles.customer)).toBe(false)

    // Compared with the previous period, the others row's previous figure is the previous period's
    // invoices of the customers outside this period's top three.
    const compared = { ...spec, key: 'invoiced_top_compared',
      params: [{ key: 'period', type: 'period', required: true }],
      where: { '<=': [{ param: 'period.from' }, { var: 'invoice_date' }, { param: 'period.to' }] },
      measures: [{ key: 'amount', agg: 'sum', expr: { var: 'amount' }, compare: 'previous' }, { key: 'invoices', agg: 'count' }] }
    const savedCompared = await server.inject({ method: 'PUT', url: `${APP}/reports/invoiced_top_compared`, payload: compared })
    expect(savedCompared.statusCode, savedCompared.body).toBeLessThan(300)
    const period = { period: '2026-06-01..2026-06-30' }
    const comparedRun = await get(`${APP}/reports/invoiced_top_compared/run?${query(period)}`)
    const comparedOthers = comparedRun.rows.find((row: Row) => row.customer === '其他')
    expect(Number(comparedOthers.amount__previous)).toBeGreaterThan(0)
    const before = await get(`${APP}/reports/invoiced_top_compared/drill?${query({ ...period,
      'dim.customer__others': 'true', measure: 'amount__previous', limit: '5000' })}`)
    expect(total(before.rows, 'amount')).toBe(comparedOthers.amount__previous)
    expect(before.params.period).toEqual({ from: '2026-05-01', to: '2026-05-31' })
  })

  it('applies a global filter to every widget through its field path', async () => {
    const regions = await widget('by_region', { asOf: AS_OF })
    const region = String(regions.rows[1].region)
    const kpi = await widget('total', { asOf: AS_OF, 'f.region': region })
    expect(kpi.rows[0].open).toBe(regions.rows[1].open)

    const two = await widget('total', { asOf: AS_OF, 'f.region': [region, String(regions.rows[0].region)] })
    expect(two.rows[0].open).toBe(new Dec(regions.rows[0].open).plus(regions.rows[1].open).toFixed(2))

    // A text field's values are their own labels.
    const options: Array<{ value: string; label: string }> = await get(`${BOARD}/filters/region/options`)
    expect(options.map((option) => option.value).sort()).toEqual(regions.rows.map((row: Row) => row.region).sort())
    expect(options.every((option) => option.label === option.value)).toBe(true)
    const some = await get(`${BOARD}/filters/region/options?q=${encodeURIComponent(region.slice(1))}`)
    expect(some).toContainEqual({ value: region, label: region })
  })

  it('narrows a filter\'s choices by the other filters read from the same form', async () => {
    const customers = await sql<{ name: string; region: string; salesperson: string }>`
      select name, region, salesperson from customer_settlement.customer`.execute(platform.database.db)
    const values = (list: Array<{ value: string }>) => list.map((option) => option.value).sort()
    const all = await get(`${BOARD}/filters/customer/options`)
    expect(values(all)).toEqual(customers.rows.map((row) => row.name).sort())

    const [first, second] = [...new Set(customers.rows.map((row) => row.region))].sort()
    const inRegions = (regions: string[]) => customers.rows.filter((row) => regions.includes(row.region)).map((row) => row.name).sort()
    // As the web app sends them (JSON), and as f.<key> parts.
    const one = await get(`${BOARD}/filters/customer/options?${query({ filters: JSON.stringify({ region: [first] }) })}`)
    expect(values(one)).toEqual(inRegions([first]))
    expect(values(one).length).toBeLessThan(all.length)
    const two = await get(`${BOARD}/filters/customer/options?${query({ 'f.region': [first, second] })}`)
    expect(values(two)).toEqual(inRegions([first, second]))
    // Narrowed by two filters at once, and searched within that.
    const salesperson = customers.rows.find((row) => row.region === first)!.salesperson
    const both = await get(`${BOARD}/filters/customer/options?${query({ 'f.region': first, 'f.salesperson': salesperson })}`)
    expect(values(both)).toEqual(customers.rows.filter((row) => row.region === first && row.salesperson === salesperson)
      .map((row) => row.name).sort())
    const word = values(both)[0].slice(0, 2)
    const searched = await get(`${BOARD}/filters/customer/options?${query({ q: word, 'f.region': first, 'f.salesperson': salesperson })}`)
    expect(values(searched)).toEqual(values(both).filter((name) => name.toLowerCase().includes(word.toLowerCase())))
    // A filter's own value does not narrow its choices; the salespeople of a region are offered.
    expect(values(await get(`${BOARD}/filters/region/options?${query({ 'f.region': first })}`))).toEqual(values(
      await get(`${BOARD}/filters/region/options`)))
    expect(values(await get(`${BOARD}/filters/salesperson/options?${query({ 'f.region': first })}`))).toEqual(
      [...new Set(customers.rows.filter((row) => row.region === first).map((row) => row.salesperson))].sort())

    // A filter the dashboard does not have is refused by name, not ignored.
    const unknown = await server.inject({ url: `${BOARD}/filters/customer/options?${query({ 'f.nope': 'x' })}` })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().error.issues[0]).toMatchObject({ field: 'query.f.nope', message: '没有筛选「nope」' })
  })

  it('shows a select field\'s codes by their labels in a filter\'s choices, and sends codes', async () => {
    const dashboard = {
      key: 'by_delivery',
      label: { 'zh-CN': '按送达方式', en: 'By delivery' },
      params: [{ key: 'asOf', type: 'date', label: '截止日期', default: 'today' }],
      filters: [
        { key: 'read', type: 'select', field: 'delivery', options: { form: 'invoice', field: 'delivery' } },
        { key: 'listed', type: 'select', field: 'delivery', options: ['paper', 'electronic'] },
      ],
      widgets: [{ key: 'buckets', type: 'bar', report: 'aging_buckets', dimension: 'bucket', measures: ['open'],
        layout: { x: 0, y: 0, w: 6, h: 5 } }],
    }
    const saved = await server.inject({ method: 'PUT', url: `${APP}/dashboards/by_delivery`, payload: dashboard })
    expect(saved.statusCode, saved.body).toBe(200)
    const options = (filter: string, extra = '') => get(`${APP}/dashboards/by_delivery/filters/${filter}/options${extra}`)

    // Read from the form: the codes found in the records, each with its label.
    const read = await options('read')
    expect(read.length).toBeGreaterThan(0)
    for (const option of read) expect(option).toEqual({ paper: { value: 'paper', label: '纸质' }, electronic: { value: 'electronic', label: '电子' } }[option.value as string])
    // Listed: in the order given, labelled through the filtered field; English too.
    expect(await options('listed')).toEqual([{ value: 'paper', label: '纸质' }, { value: 'electronic', label: '电子' }])
    expect(await options('listed', '?locale=en')).toEqual([{ value: 'paper', label: 'Paper' }, { value: 'electronic', label: 'Electronic' }])
    // The search looks at labels as well as codes.
    expect(await options('listed', `?q=${encodeURIComponent('纸')}`)).toEqual([{ value: 'paper', label: '纸质' }])
    expect(await options('listed', '?q=elec')).toEqual([{ value: 'electronic', label: '电子' }])

    // The code chosen filters the widget; a label in a link stands for its code, an unknown value is refused.
    const all = await get(`${APP}/dashboards/by_delivery/widgets/buckets/run?asOf=${AS_OF}`)
    const paper = await get(`${APP}/dashboards/by_delivery/widgets/buckets/run?${query({ asOf: AS_OF, 'f.listed': 'paper' })}`)
    const electronic = await get(`${APP}/dashboards/by_delivery/widgets/buckets/run?${query({ asOf: AS_OF, 'f.listed': 'electronic' })}`)
    expect(new Dec(total(paper.rows, 'open')).plus(total(electronic.rows, 'open')).toFixed(2)).toBe(total(all.rows, 'open'))
    const label = await get(`${APP}/dashboards/by_delivery/widgets/buckets/run?${query({ asOf: AS_OF, 'f.listed': '纸质' })}`)
    expect(label.rows).toEqual(paper.rows)
    const unknown = await server.inject({ url: `${APP}/dashboards/by_delivery/widgets/buckets/run?${query({ asOf: AS_OF, 'f.listed': '快递' })}` })
    expect(unknown.statusCode).toBe(400)

    // A list drilled from the filtered widget says the filter by its label and its value by its
    // label, on the page and in its Excel's 说明 sheet; an unset filter is not said.
    const figure = { dashboard: 'by_delivery', widget: 'buckets', params: { asOf: AS_OF }, filters: { listed: ['paper'], read: [] },
      path: { bucket__index: 0 } }
    const listed = await get(`${APP}/forms/invoice/records?${query({ drill: JSON.stringify(figure), pageSize: '1' })}`)
    expect(listed.drill.filters).toEqual([{ key: 'listed', label: 'listed', values: ['纸质'] }])
    const about = await drillAbout(platform, 'customer-settlement',
      { dashboard: 'by_delivery', widget: 'buckets', query: { params: { asOf: AS_OF }, filters: figure.filters, path: figure.path } },
      listed.drill.params, 'zh-CN', listed.drill.filters)
    expect(about.lines).toContainEqual(['listed', '纸质'])
  })

  it('draws a chart of one dimension of a report grouped by more with that dimension only', async () => {
    const dashboard = {
      key: 'region_pie',
      label: '区域占比',
      params: [{ key: 'asOf', type: 'date', label: '截止日期', default: 'today' }],
      widgets: [
        { key: 'pie', type: 'pie', report: 'receivables_by_region', dimension: 'region', measures: ['open'], layout: { x: 0, y: 0, w: 6, h: 5 } },
        { key: 'table', type: 'table', report: 'receivables_by_region', layout: { x: 6, y: 0, w: 6, h: 5 } },
      ],
    }
    const saved = await server.inject({ method: 'PUT', url: `${APP}/dashboards/region_pie`, payload: dashboard })
    expect(saved.statusCode, saved.body).toBe(200)
    const pie = await get(`${APP}/dashboards/region_pie/widgets/pie/run?asOf=${AS_OF}`)
    const regions = await widget('by_region', { asOf: AS_OF })
    // One slice per region, as the drilling bar shows them, not one per region and customer.
    expect(pie.rows.map((row: Row) => [row.region, row.open])).toEqual(regions.rows.map((row: Row) => [row.region, row.open]))
    // A table shows the report as it is grouped.
    const table = await get(`${APP}/dashboards/region_pie/widgets/table/run?asOf=${AS_OF}`)
    expect(table.rows.length).toBeGreaterThan(pie.rows.length)
    expect(total(table.rows, 'open')).toBe(total(pie.rows, 'open'))
  })

  it('puts a period left out around the as-of date given, as the web app does', async () => {
    const collection = await widget('collection', { asOf: AS_OF })
    expect(collection.params.period).toEqual({ from: `${AS_OF.slice(0, 7)}-01`, to: AS_OF })
    const chosen = await widget('collection', { asOf: AS_OF, period: '2024-01-01..2024-01-31' })
    expect(chosen.params.period).toEqual({ from: '2024-01-01', to: '2024-01-31' })
  })

  it('passes each report only the dashboard params it declares', async () => {
    const period = '2026-06-01..2026-06-30'
    const rate = await widget('collection', { asOf: AS_OF, period })
    const direct = await get(`${APP}/reports/collection_rate/run?period=${period}`)
    expect(rate.rows).toEqual(direct.rows)
    expect(rate.params).toEqual({ period: { from: '2026-06-01', to: '2026-06-30' } })
    expect(rate.columns.map((column: Row) => column.key)).toContain('collection_rate__change_rate')
  })

  it('refuses a drill level the widget does not have, and an unknown widget', async () => {
    const bad = await server.inject({ url: `${BOARD}/widgets/by_region/run?level=bucket` })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.code).toBe('request.invalid')
    const missing = await server.inject({ url: `${BOARD}/widgets/nothing/run` })
    expect(missing.statusCode).toBe(404)
  })

  it('refuses a path or dimension named __proto__ by name, and an empty measure, instead of ignoring them', async () => {
    const proto = encodeURIComponent('{"__proto__":{"customer":"X"}}')
    const protoFilter = encodeURIComponent('{"__proto__":["华东"]}')
    for (const url of [`${BOARD}/widgets/top_overdue/drill?form=invoice&path=${proto}`,
      `${APP}/reports/top_overdue_customers/drill?dim.__proto__=X`,
      `${BOARD}/widgets/aging/run?filters=${protoFilter}`, `${BOARD}/widgets/aging/drill?filters=${protoFilter}`]) {
      const response = await server.inject({ url, headers: { 'accept-language': 'en' } })
      expect(response.statusCode, url).toBe(400)
      expect(response.json().error.message, url).toContain('__proto__')
    }
    const empty = await server.inject({ url: `${BOARD}/widgets/overdue/drill?form=invoice&measure=` })
    expect(empty.statusCode).toBe(400)
    expect(empty.json().error.issues[0]).toMatchObject({ field: 'query.measure' })
  })

  it('saves a checked report and a dashboard showing it; refuses bad ones with issues', async () => {
    const spec = {
      key: 'by_delivery',
      label: { 'zh-CN': '按送达方式', en: 'By delivery' },
      source: 'invoice',
      dimensions: [{ key: 'delivery', expr: { var: 'delivery' } }],
      measures: [{ key: 'amount', agg: 'sum', expr: { var: 'amount' }, type: 'money' }],
    }
    const saved = await server.inject({ method: 'PUT', url: `${APP}/reports/by_delivery`, payload: spec })
    expect(saved.statusCode, saved.body).toBe(200)
    const run = await get(`${APP}/reports/by_delivery/run`)
    expect(run.rows.length).toBeGreaterThan(0)
    // Sent back with the version it was read at, a change made by someone else meanwhile is not overwritten.
    const { version } = await get(`${APP}/reports/by_delivery`)
    expect(saved.json().version).toBe(version)
    const mine = await server.inject({ method: 'PUT', url: `${APP}/reports/by_delivery`, payload: { ...spec, label: '按送达方式（甲）', version } })
    expect(mine.statusCode, mine.body).toBe(200)
    expect(mine.json().version).toBe(version + 1)
    const theirs = await server.inject({ method: 'PUT', url: `${APP}/reports/by_delivery`, payload: { ...spec, label: '按送达方式（乙）', version } })
    expect(theirs.statusCode).toBe(409)
    expect(theirs.json().error).toMatchObject({ code: 'conflict.version' })
    expect((await get(`${APP}/reports/by_delivery/spec`)).label).toBe('按送达方式（甲）')
    const back = await server.inject({ method: 'PUT', url: `${APP}/reports/by_delivery`, payload: { ...spec, version: 'x' } })
    expect(back.json().error.issues).toEqual([expect.objectContaining({ field: 'version', received: 'x' })])
    expect((await server.inject({ method: 'PUT', url: `${APP}/reports/by_delivery`, payload: spec })).statusCode).toBe(200)

    // A drilled list's Excel says a select field's clicked code by its label, in the reader's language.
    const aboutSheet = async (locale: string, clicked = 'paper') => {
      const drill = JSON.stringify({ report: 'by_delivery', params: {}, path: { delivery: clicked } })
      const xlsx = await server.inject({ url: `${APP}/forms/invoice/export?${query({ drill, format: 'xlsx', locale })}` })
      expect(xlsx.statusCode, xlsx.body).toBe(200)
      const book = new ExcelJS.Workbook()
      await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
      const lines: unknown[][] = []
      book.worksheets[1].eachRow((row) => lines.push((row.values as unknown[]).slice(1)))
      return lines
    }
    // (A dimension saved without a label is named by the field it reads.)
    expect(await aboutSheet('zh-CN')).toContainEqual(['送达方式', '纸质'])
    expect(await aboutSheet('en')).toContainEqual(['Delivery', 'Paper'])
    // Also when the link names the option by a label, in either language.
    expect(await aboutSheet('zh-CN', 'Paper')).toContainEqual(['送达方式', '纸质'])
    expect(await aboutSheet('en', '纸质')).toContainEqual(['Delivery', 'Paper'])
    // And the list above them says it so.
    const caption = async (clicked: string, locale: string) => (await get(`${APP}/forms/invoice/records?${query({
      drill: JSON.stringify({ report: 'by_delivery', params: {}, path: { delivery: clicked } }), pageSize: '1', locale })}`)).drill.caption
    expect(await caption('Paper', 'zh-CN')).toEqual(['纸质'])
    expect(await caption('纸质', 'en')).toEqual(['Paper'])
    expect(await caption('paper', 'en')).toEqual(['Paper'])

    const broken = { ...spec, measures: [{ key: 'amount', agg: 'sum', expr: { var: 'weight' } }] }
    const refused = await server.inject({ method: 'PUT', url: `${APP}/reports/by_delivery`, payload: broken })
    expect(refused.statusCode).toBe(400)
    expect(refused.json().error).toMatchObject({
      code: 'report.invalid',
      issues: [{ field: 'measures[0].expr.var', rule: 'unknown_field' }],
    })

    const board = await get(BOARD)
    const added = {
      ...board,
      widgets: [...board.widgets, {
        key: 'delivery', type: 'pie', report: 'by_delivery', dimension: 'delivery',
        measures: ['amount'], layout: { x: 0, y: 27, w: 6, h: 5 },
      }],
    }
    const put = await server.inject({ method: 'PUT', url: BOARD, payload: added })
    expect(put.statusCode, put.body).toBe(200)
    expect((await get(BOARD)).widgets.map((one: Row) => one.key)).toContain('delivery')
    // The answer carries the version now stored: the next change can be sent with it straight away.
    expect(put.json().version).toBe((await get(BOARD)).version)

    // Now that a widget shows it, a report change that would break the widget is refused, naming it.
    const renamed = { ...spec, measures: [{ key: 'total', agg: 'sum', expr: { var: 'amount' }, type: 'money' }] }
    const breaking = await server.inject({ method: 'PUT', url: `${APP}/reports/by_delivery`, payload: renamed })
    expect(breaking.statusCode).toBe(400)
    const index = added.widgets.length - 1
    expect(breaking.json().error).toMatchObject({
      code: 'report.invalid',
      details: { dashboard: 'receivables' },
      issues: [{ field: `dashboards.receivables.widgets[${index}].measures[0]` }],
    })
    expect(breaking.json().error.message).toContain('看板「receivables」')
    expect((await get(`${APP}/reports/by_delivery/spec`)).measures[0].key).toBe('amount')
    const required = { ...spec, params: [{ key: 'minimum', type: 'number', label: '下限', required: true }] }
    const needsParam = await server.inject({ method: 'PUT', url: `${APP}/reports/by_delivery`, payload: required })
    expect(needsParam.statusCode, needsParam.body).toBe(400)
    // So is hiding the measure the widget shows: a hidden measure is no column to draw.
    const hiding = { ...spec, measures: [{ ...spec.measures[0], hidden: true }] }
    const hidden = await server.inject({ method: 'PUT', url: `${APP}/reports/by_delivery`, payload: hiding })
    expect(hidden.statusCode).toBe(400)
    expect(hidden.json().error.issues).toEqual([expect.objectContaining({ field: `dashboards.receivables.widgets[${index}].measures[0]` })])
    // A change the widget survives is saved.
    const relabelled = { ...spec, label: { 'zh-CN': '按送达方式（新）', en: 'By delivery (new)' } }
    const fine = await server.inject({ method: 'PUT', url: `${APP}/reports/by_delivery`, payload: relabelled })
    expect(fine.statusCode, fine.body).toBe(200)

    const wrong = { ...added, widgets: [{ ...added.widgets[0], measure: 'weight' }] }
    const invalid = await server.inject({ method: 'PUT', url: BOARD, payload: wrong })
    expect(invalid.statusCode).toBe(400)
    expect(invalid.json().error.issues).toEqual([
      expect.objectContaining({ field: 'widgets[0].measure' }),
    ])
  })

  it('saves a dashboard with the reports of its new widgets together, or none of them', async () => {
    const report = (key: string) => ({
      key,
      label: '按客户开票',
      source: 'invoice',
      dimensions: [{ key: 'customer', expr: { var: 'customer.name' } }],
      measures: [{ key: 'amount', agg: 'sum', expr: { var: 'amount' }, type: 'money' }],
    })
    const board = await get(BOARD)
    const widget = (key: string, extra: Row = {}) => ({
      key: `w_${key}`, type: 'bar', report: key, dimension: 'customer', measures: ['amount'],
      layout: { x: 0, y: 40, w: 6, h: 5 }, ...extra,
    })
    const reportStatus = async (key: string) => (await server.inject({ url: `${APP}/reports/${key}` })).statusCode
    const save = (payload: Row) => server.inject({ method: 'PUT', url: `${BOARD}/with-reports`, payload })

    // The dashboard is refused (a measure its report lacks): the report is not saved either.
    const refused = await save({ dashboard: { ...board, widgets: [...board.widgets, widget('built_a', { measures: ['nope'] })] },
      reports: [report('built_a')] })
    expect(refused.statusCode).toBe(400)
    expect(refused.json().error.issues).toEqual([expect.objectContaining({ field: `widgets[${board.widgets.length}].measures[0]` })])
    expect(await reportStatus('built_a')).toBe(404)
    // A refused report is named by its place in the list.
    const badReport = await save({ dashboard: { ...board, widgets: [...board.widgets, widget('built_b')] },
      reports: [{ ...report('built_b'), source: 'nothing' }] })
    expect(badReport.statusCode).toBe(400)
    expect(badReport.json().error.issues[0].field).toMatch(/^reports\[0\]\.source/)
    expect(await reportStatus('built_b')).toBe(404)
    const twice = await save({ dashboard: board, reports: [report('built_d'), report('built_d')] })
    expect(twice.json().error.issues[0]).toMatchObject({ field: 'reports[1].key', rule: 'unique' })
    const notObject = await save({ dashboard: board, reports: [42] })
    expect(notObject.json().error.message).toMatch(/^报表有误/)
    const wrongShape = await save({ dashboard: board, reports: [], extra: 1 })
    expect(wrongShape.statusCode).toBe(400)
    expect(wrongShape.json().error.issues[0].field).toBe('extra')

    // It saves new reports only: an existing one (the template's aging pivot) is not replaced unseen.
    const agingBefore = await get(`${APP}/reports/aging/spec`)
    const replacing = await save({ dashboard: board, reports: [{ ...report('aging'), label: '替换' }] })
    expect(replacing.statusCode).toBe(409)
    expect(replacing.json().error).toMatchObject({ code: 'conflict.unique', issues: [expect.objectContaining({ field: 'reports[0].key' })] })
    expect(replacing.json().error.message).toContain('报表「aging」已存在')
    expect(await get(`${APP}/reports/aging/spec`)).toEqual(agingBefore)

    const saved = await save({ dashboard: { ...board, widgets: [...board.widgets, widget('built_c')] }, reports: [report('built_c')] })
    expect(saved.statusCode, saved.body).toBe(200)
    expect(await reportStatus('built_c')).toBe(200)
    const run = await get(`${BOARD}/widgets/w_built_c/run`)
    expect(run.rows.length).toBeGreaterThan(0)

    // A report a dashboard shows cannot be deleted; once no dashboard names it, it can.
    const inUse = await server.inject({ method: 'DELETE', url: `${APP}/reports/built_c` })
    expect(inUse.statusCode).toBe(409)
    expect(inUse.json().error).toMatchObject({ code: 'conflict.reference', details: { dashboards: ['receivables'] } })
    expect(inUse.json().error.message).toContain('看板「应收看板」')
    expect(await reportStatus('built_c')).toBe(200)
    // The dashboard as read before that save is now stale: saving it would drop the new widget.
    const stale = await server.inject({ method: 'PUT', url: BOARD, payload: board })
    expect(stale.statusCode).toBe(409)
    expect(stale.json().error).toMatchObject({ code: 'conflict.version', details: { expected: board.version } })
    expect(stale.json().error.message).toContain('已被他人修改')
    const badVersion = await server.inject({ method: 'PUT', url: BOARD, payload: { ...board, version: 'latest' } })
    expect(badVersion.json().error.issues).toEqual([expect.objectContaining({ field: 'version', received: 'latest' })])
    expect((await get(BOARD)).widgets.map((one: Row) => one.key)).toContain('w_built_c')
    // Put back as it was for the other tests, from the version now stored.
    const current = await get(BOARD)
    expect(current.version).toBeGreaterThan(board.version)
    const restored = await server.inject({ method: 'PUT', url: BOARD, payload: { ...board, version: current.version } })
    expect(restored.statusCode, restored.body).toBe(200)
    const deleted = await server.inject({ method: 'DELETE', url: `${APP}/reports/built_c` })
    expect(deleted.statusCode, deleted.body).toBe(204)
    expect(await reportStatus('built_c')).toBe(404)
    // Saving and deleting a report leave a trace: who, when, the spec before and after.
    const trail = (await server.inject({ url: '/api/admin/audit?action=report.*&app=customer-settlement' })).json()
    const lines = trail.items.filter((row: Row) => (row.context as { key?: string } | null)?.key === 'built_c')
    expect(lines.map((row: Row) => row.action)).toEqual(['report.delete', 'report.save'])
    expect(lines[0]).toMatchObject({ before: { key: 'built_c' }, after: null })
    expect(lines[1]).toMatchObject({ before: null, after: { key: 'built_c' } })
    expect((await server.inject({ method: 'DELETE', url: `${APP}/reports/built_c` })).statusCode).toBe(404)
    // A dashboard cannot come to show a report deleted meanwhile.
    const late = await server.inject({ method: 'PUT', url: BOARD,
      payload: { ...board, version: undefined, widgets: [...board.widgets, widget('built_c')] } })
    expect(late.statusCode).toBe(400)
  })

  it('refuses to delete a report a role grants, naming the roles, so that the role can still be saved as it reads', async () => {
    // The template's salesperson role lists the aging report, which no dashboard shows.
    const refused = await server.inject({ method: 'DELETE', url: `${APP}/reports/aging` })
    expect(refused.statusCode).toBe(409)
    expect(refused.json().error).toMatchObject({ code: 'conflict.reference', details: { report: 'aging', dashboards: [] } })
    expect(refused.json().error.details.roles).toContain('salesperson')
    // Said by the labels the menus show (the keys are in details).
    expect(refused.json().error.message).toMatch(/^报表「客户账龄表」仍被角色「.*销售.*」使用，请先从角色可看的报表中去掉它$/)
    const english = await server.inject({ method: 'DELETE', url: `${APP}/reports/aging`, headers: { 'accept-language': 'en' } })
    expect(english.json().error.message).toMatch(/^report "Aging by customer" is still named by roles? .*"Salesperson".*: remove it from the roles' reports first$/)
    expect((await server.inject({ url: `${APP}/reports/aging` })).statusCode).toBe(200)
    const role = await server.inject({ url: '/api/admin/apps/customer-settlement/roles/salesperson' })
    expect(role.json().reports).toContain('aging')
  })

  it('refuses a drill path or level on a widget that has no drill levels, instead of answering the whole figure', async () => {
    const path = encodeURIComponent(JSON.stringify({ bucket: '31–60天' }))
    const withPath = await server.inject({ url: `${BOARD}/widgets/aging/run?path=${path}` })
    expect(withPath.statusCode).toBe(400)
    expect(withPath.json().error.issues[0]).toMatchObject({ field: 'path', rule: 'drill' })
    expect(withPath.json().error.message).toBe('组件「aging」没有下钻层级，不接受 path')
    const both = await server.inject({ url: `${BOARD}/widgets/total/run?path=${encodeURIComponent('{"nosuch":"zz"}')}&level=abc`, headers: { 'accept-language': 'en' } })
    expect(both.statusCode).toBe(400)
    expect(both.json().error.message).toBe('widget "total" has no drill levels, so it takes no path or level')
    expect((await server.inject({ url: `${BOARD}/widgets/aging/run` })).statusCode).toBe(200)
  })

  it('refuses a report of more values than PostgreSQL takes when it is saved, and on every route that would run it', async () => {
    const lists = Array.from({ length: 67 }, (_, n) => ({ in: [{ var: 'number' }, Array.from({ length: 1000 }, (_, i) => `N${n}-${i}`)] }))
    const spec = {
      key: 'too_many', label: '太长', source: 'invoice',
      where: { or: [{ or: lists.slice(0, 60) }, { or: lists.slice(60) }] },
      dimensions: [{ key: 'customer', expr: { var: 'customer.name' } }],
      measures: [{ key: 'amount', agg: 'sum', expr: { var: 'amount' }, type: 'money' }],
    }
    const saved = await server.inject({ method: 'PUT', url: `${APP}/reports/too_many`, payload: spec })
    expect(saved.statusCode).toBe(400)
    expect(saved.json().error).toMatchObject({ code: 'report.invalid', details: { parameters: 67_000, max: 65_535 } })
    // Stored around the check (as an older version could have): run and drill refuse it alike.
    await platform.catalog.putMeta('customer-settlement', 'report', 'too_many', spec, SYSTEM_ACTOR)
    for (const url of [`${APP}/reports/too_many/run`, `${APP}/reports/too_many/drill?dim.customer=x`]) {
      const response = await server.inject({ url })
      expect(response.statusCode, url).toBe(400)
      expect(response.json().error.code, url).toBe('report.invalid')
    }
    expect((await server.inject({ method: 'DELETE', url: `${APP}/reports/too_many` })).statusCode).toBe(204)
  })

  it('refuses a report whose lets repeat each other into a statement too long to run, at save and preview', async () => {
    // Each let the product of 64 copies of the one before: 64³ copies of amount in the statement.
    const times = (name: string) => ({ '*': Array.from({ length: 64 }, () => (name === 'amount' ? { var: name } : { ref: name })) })
    const spec = {
      key: 'repeated', label: '重复', source: 'invoice',
      let: { a: times('amount'), b: times('a'), c: times('b') },
      measures: [{ key: 'c', agg: 'sum', expr: { ref: 'c' }, type: 'number' }],
    }
    const saved = await server.inject({ method: 'PUT', url: `${APP}/reports/repeated`, payload: spec })
    expect(saved.statusCode, saved.body.slice(0, 300)).toBe(400)
    expect(saved.json().error).toMatchObject({ code: 'report.invalid', issues: [expect.objectContaining({ field: 'let', rule: 'size' })] })
    expect(saved.json().error.message).toContain('表达式展开后有 40000+ 个节点，超过允许的 20000 个')
    expect((await server.inject({ url: `${APP}/reports/repeated/spec` })).statusCode).toBe(404)
    const preview = await server.inject({ method: 'POST', url: `${APP}/reports/preview`, payload: { spec } })
    expect(preview.statusCode).toBe(400)
    // Nor saved beside a dashboard; and a fourth level (64⁴ copies) is refused as fast, never written out.
    const deeper = { ...spec, key: 'deeper', let: { ...spec.let, d: times('c') }, measures: [{ ...spec.measures[0], expr: { ref: 'd' } }] }
    const board = await get(BOARD)
    const beside = await server.inject({ method: 'PUT', url: `${BOARD}/with-reports`, payload: { dashboard: board, reports: [deeper] } })
    expect(beside.statusCode).toBe(400)
    expect(beside.json().error.issues).toEqual([expect.objectContaining({ field: 'reports[0].let', rule: 'size' })])
    expect((await server.inject({ url: `${APP}/reports/deeper/spec` })).statusCode).toBe(404)
    // Two levels (4,096 copies) are a long statement, not a runaway one: saved.
    const shorter = { ...spec, let: { a: times('amount'), b: times('a') }, measures: [{ ...spec.measures[0], expr: { ref: 'b' } }] }
    const fine = await server.inject({ method: 'PUT', url: `${APP}/reports/repeated`, payload: shorter })
    expect(fine.statusCode, fine.body).toBe(200)
    expect((await server.inject({ method: 'DELETE', url: `${APP}/reports/repeated` })).statusCode).toBe(204)
  })

  it('moves a widget saved onto another below it, and refuses more widgets than a dashboard holds', async () => {
    const board = await get(BOARD)
    const { version: _version, ...spec } = board
    const first = spec.widgets[0]
    const twin = { ...first, key: 'twin', layout: { ...first.layout } }
    const put = await server.inject({ method: 'PUT', url: BOARD, payload: { ...spec, widgets: [...spec.widgets, twin] } })
    expect(put.statusCode, put.body).toBe(200)
    const saved = (await get(BOARD)).widgets as Array<{ key: string; layout: { x: number; y: number; w: number; h: number } }>
    const placed = saved.find((one) => one.key === 'twin')!.layout
    for (const other of saved.filter((one) => one.key !== 'twin')) {
      const { layout: o } = other
      const apart = placed.x + placed.w <= o.x || o.x + o.w <= placed.x || placed.y + placed.h <= o.y || o.y + o.h <= placed.y
      expect(apart, `twin and ${other.key}`).toBe(true)
    }
    // The others keep their places.
    expect(saved.filter((one) => one.key !== 'twin').map((one) => one.layout)).toEqual(spec.widgets.map((one: Row) => one.layout))

    // Moved down past the grid's last row it could not be saved again as it is: refused instead, by name.
    const low = { ...first, key: 'low', layout: { x: 0, y: 1000, w: 12, h: 48 } }
    const lower = await server.inject({ method: 'PUT', url: BOARD,
      payload: { ...spec, widgets: [...spec.widgets, low, { ...low, key: 'lower' }] } })
    expect(lower.statusCode).toBe(400)
    expect(lower.json().error.issues).toEqual([expect.objectContaining({ field: `widgets[${spec.widgets.length + 1}].layout` })])
    expect(lower.json().error.message).toContain('移到其下方要从第 1048 行开始，超过了最后一行 1000')

    const many = Array.from({ length: 61 }, (_, n) => ({ ...first, key: `w${n}`, layout: { x: 0, y: n * 2, w: 3, h: 2 } }))
    const refused = await server.inject({ method: 'PUT', url: BOARD, payload: { ...spec, widgets: many } })
    expect(refused.statusCode).toBe(400)
    expect(refused.json().error.issues).toEqual([expect.objectContaining({ field: 'widgets' })])
    expect(refused.json().error.message).toContain('最多 60 个组件')
    const restored = await server.inject({ method: 'PUT', url: BOARD, payload: spec })
    expect(restored.statusCode, restored.body).toBe(200)
  })

  it('previews an unsaved spec for the builder, checked first', async () => {
    const spec = {
      key: 'draft',
      label: '草稿',
      source: 'invoice',
      filter: { '>=': [{ var: 'amount' }, 100000] },
      dimensions: [{ key: 'region', expr: { var: 'customer.region' } }],
      measures: [{ key: 'n', agg: 'count' }],
    }
    const response = await server.inject({ method: 'POST', url: `${APP}/reports/preview`, payload: { spec } })
    expect(response.statusCode, response.body).toBe(200)
    const preview = response.json()
    const all = await server.inject({ method: 'POST', url: `${APP}/reports/preview`,
      payload: { spec: { ...spec, filter: undefined } } })
    const count = (rows: Row[]) => rows.reduce((sum, row) => sum + Number(row.n), 0)
    expect(count(preview.rows)).toBeLessThan(count(all.json().rows))

    const bad = await server.inject({ method: 'POST', url: `${APP}/reports/preview`,
      payload: { spec: { ...spec, source: 'nothing' } } })
    expect(bad.json().error.code).toBe('report.invalid')
  })

  it('lets only administrators save reports and dashboards', async () => {
    const clerk = await server.createUser({ username: `clerk_${suite.name}`, roles: [] })
    const report = await clerk.inject({ method: 'PUT', url: `${APP}/reports/x`, payload: {} })
    expect(report.statusCode).toBe(403)
    const board = await clerk.inject({ method: 'PUT', url: BOARD, payload: {} })
    expect(board.statusCode).toBe(403)
    const both = await clerk.inject({ method: 'PUT', url: `${BOARD}/with-reports`, payload: { dashboard: {}, reports: [] } })
    expect(both.statusCode).toBe(403)
    const removed = await clerk.inject({ method: 'DELETE', url: `${APP}/reports/aging_buckets` })
    expect(removed.statusCode).toBe(403)
    const preview = await clerk.inject({ method: 'POST', url: `${APP}/reports/preview`, payload: { spec: {} } })
    expect(preview.statusCode).toBe(403)
    const created = await clerk.inject({ method: 'POST', url: `${APP}/dashboards`, payload: { key: 'mine', label: '我的', widgets: [] } })
    expect(created.statusCode).toBe(403)
    const deleted = await clerk.inject({ method: 'DELETE', url: BOARD })
    expect(deleted.statusCode).toBe(403)
  })

  it('creates a dashboard once, without widgets at first, and deletes one no role grants', async () => {
    const board = {
      key: 'collections',
      label: { 'zh-CN': '回款看板', en: 'Collections' },
      params: [{ key: 'asOf', type: 'date', label: { 'zh-CN': '截止日期', en: 'As of' }, default: 'today' }],
      widgets: [],
    }
    const created = await server.inject({ method: 'POST', url: `${APP}/dashboards`, payload: board })
    expect(created.statusCode, created.body).toBe(201)
    expect(created.json()).toEqual({ ...board, version: 1 })
    const app = await get(APP)
    expect(app.dashboards).toContainEqual({ key: 'collections', label: board.label })

    // Never over another: the same key again is refused on the key, and the first stays as it was.
    const again = await server.inject({ method: 'POST', url: `${APP}/dashboards`, payload: { ...board, label: '别的' } })
    expect(again.statusCode).toBe(409)
    expect(again.json().error).toMatchObject({ code: 'conflict.unique', message: '标识「collections」已被占用，请换一个' })
    expect(again.json().error.issues[0].field).toBe('key')
    const template = await server.inject({ method: 'POST', url: `${APP}/dashboards`, payload: { ...board, key: 'receivables' } })
    expect(template.statusCode).toBe(409)
    expect((await get(BOARD)).label).toEqual({ 'zh-CN': '应收看板', en: 'Receivables' })
    expect((await get(`${APP}/dashboards/collections`)).label).toEqual(board.label)
    // Checked as a save is; a version is refused (there is none yet).
    // A key that is no text is refused on it too: missing, null, a list holding a fine key.
    for (const key of ['Bad Key', undefined, null, ['collections_two'], 7]) {
      const bad = await server.inject({ method: 'POST', url: `${APP}/dashboards`, payload: { ...board, key } })
      expect(bad.statusCode, JSON.stringify(key)).toBe(400)
      expect(bad.json().error.issues[0].field).toBe('key')
    }
    const listed = await server.inject({ method: 'POST', url: `${APP}/dashboards`,
      payload: { ...board, key: 'collections_three', widgets: [{ key: ['w'], type: 'kpi', report: 'receivables_summary', measure: 'open',
        layout: { x: 0, y: 0, w: 3, h: 2 } }] } })
    expect(listed.statusCode).toBe(400)
    expect(listed.json().error.issues[0].field).toBe('widgets[0].key')
    const versioned = await server.inject({ method: 'POST', url: `${APP}/dashboards`, payload: { ...board, key: 'other', version: 3 } })
    expect(versioned.statusCode).toBe(400)
    expect(versioned.json().error.issues[0].field).toBe('version')

    // A role granting it holds it: named by its label; once the role lets go, it can go.
    const roleUrl = '/api/admin/apps/customer-settlement/roles/board_reader'
    const role = { key: 'board_reader', label: { 'zh-CN': '看板读者', en: 'Board reader' }, dashboards: ['collections'] }
    expect((await server.inject({ method: 'PUT', url: roleUrl, payload: role })).statusCode).toBe(200)
    const held = await server.inject({ method: 'DELETE', url: `${APP}/dashboards/collections` })
    expect(held.statusCode).toBe(409)
    expect(held.json().error).toMatchObject({ code: 'conflict.reference', details: { dashboard: 'collections', roles: ['board_reader'] } })
    expect(held.json().error.message).toBe('看板「回款看板」仍被角色「看板读者」使用，请先从角色可看的看板中去掉它')
    const english = await server.inject({ method: 'DELETE', url: `${APP}/dashboards/collections?locale=en` })
    expect(english.json().error.message).toContain('dashboard "Collections" is still granted by role "Board reader"')
    expect((await server.inject({ method: 'DELETE', url: roleUrl })).statusCode).toBe(204)

    const deleted = await server.inject({ method: 'DELETE', url: `${APP}/dashboards/collections` })
    expect(deleted.statusCode, deleted.body).toBe(204)
    expect((await server.inject({ url: `${APP}/dashboards/collections` })).statusCode).toBe(404)
    expect((await get(APP)).dashboards.map((one: Row) => one.key)).not.toContain('collections')
    expect((await server.inject({ method: 'DELETE', url: `${APP}/dashboards/collections` })).statusCode).toBe(404)
  })
})
