import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browserMissing, launchBrowser, SAMPLE, signIn, startSite, type TestSite, showPageOnFailure } from './browser-harness.js'

const APP = 'customer-settlement'
const hasSample = existsSync(SAMPLE)

interface ReportRun {
  rows: Record<string, unknown>[]
}

describe.skipIf(browserMissing)('the web app in Chromium', () => {
  let site: TestSite
  let browser: Browser
  let page: Page
  showPageOnFailure(() => page)

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${site.url}${path}`, { headers: { 'accept-language': 'zh-CN', ...site.apiHeaders } })
    expect(response.status, path).toBe(200)
    return response.json() as Promise<T>
  }

  /** The figures a widget shows, read from the DOM. */
  const widgetRows = (key: string) =>
    page.locator(`[data-widget="${key}"] [data-rows]`).first().getAttribute('data-rows')
      .then((text) => JSON.parse(text ?? 'null') as Record<string, unknown>[])
  const kpi = (key: string) => page.locator(`[data-widget="${key}"] [data-value]`).getAttribute('data-value')

  async function expectDashboardMatches(asOf: string) {
    const summary = await api<ReportRun>(`/api/apps/${APP}/reports/receivables_summary/run?asOf=${asOf}`)
    const buckets = await api<ReportRun>(`/api/apps/${APP}/reports/aging_buckets/run?asOf=${asOf}`)
    await expect.poll(() => kpi('total'), { timeout: 15_000 }).toBe(summary.rows[0].open)
    expect(await kpi('overdue')).toBe(summary.rows[0].overdue)
    expect(await kpi('open_invoices')).toBe(String(summary.rows[0].invoices))
    const shown = await widgetRows('aging')
    expect(shown.map((r) => [r.bucket, r.open])).toEqual(buckets.rows.map((r) => [r.bucket, r.open]))
    return { summary, buckets }
  }

  beforeAll(async () => {
    site = await startSite({ demoSize: 400, sample: hasSample })
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
    await signIn(page, site.url)
  })
  afterAll(async () => {
    await browser?.close()
    await site?.close()
  })

  it('shows the dashboard as of today with the figures the API gives', async () => {
    const { today } = await api<{ today: string }>('/api/settings')
    await page.goto(`${site.url}/`)
    await expect.poll(() => page.locator('[data-widget="total"]').count(), { timeout: 20_000 }).toBe(1)
    const { summary } = await expectDashboardMatches(today)
    // The generated ledger always leaves something open as of today.
    expect(Number(summary.rows[0].invoices)).toBeGreaterThan(0)
    await page.screenshot({ path: '/tmp/tessera-e2e-dashboard.png', fullPage: true })
  })

  it('re-ages everything when the as-of date is picked', async () => {
    const asOf = hasSample ? '2013-06-30' : '2026-01-31'
    const input = page.locator('[data-param="asOf"] input')
    await input.click()
    await input.fill(asOf)
    await input.press('Enter')
    const { buckets } = await expectDashboardMatches(asOf)
    expect(buckets.rows).toHaveLength(5)
    if (hasSample) {
      // As of mid-2013 the public sample has open invoices in the first two buckets.
      expect(buckets.rows[0].open).not.toBe('0.00')
    }
  })

  it('creates an invoice, showing a field-level message for a bad value first', async () => {
    await page.goto(`${site.url}/#/apps/${APP}/forms/invoice/new`)
    const field = (key: string) => page.locator(`[data-field="${key}"]`)
    await field('number').locator('input').fill('E2E-0001')
    await field('customer').locator('.ant-select').click()
    await page.keyboard.type('公司')
    await page.locator('.ant-select-item-option', { hasText: '公司' }).first().click()
    for (const [key, value] of [['invoice_date', '2026-03-01'], ['due_date', '2026-03-31']]) {
      const input = field(key).locator('input')
      await input.click()
      await input.fill(value)
      await input.press('Enter')
    }
    await field('amount').locator('input').fill('12.345')
    await page.locator('[data-action="save"]').click()

    const message = field('amount').locator('.ant-form-item-explain-error')
    await expect.poll(() => message.textContent(), { timeout: 10_000 }).toContain('金额')
    const none = await api<{ total: number }>(`/api/apps/${APP}/forms/invoice/records?q=E2E-0001`)
    expect(none.total).toBe(0)

    await field('amount').locator('input').fill('12.34')
    await page.locator('[data-action="save"]').click()
    await expect.poll(async () => (await api<{ total: number }>(`/api/apps/${APP}/forms/invoice/records?q=E2E-0001`)).total, { timeout: 10_000 }).toBe(1)
    const saved = await api<{ items: { values: Record<string, unknown>; titles: Record<string, string> }[] }>(`/api/apps/${APP}/forms/invoice/records?q=E2E-0001`)
    expect(saved.items[0].values).toMatchObject({ number: 'E2E-0001', amount: '12.34', invoice_date: '2026-03-01', due_date: '2026-03-31' })
    expect(saved.items[0].titles.customer).toContain('公司')
    await page.screenshot({ path: '/tmp/tessera-e2e-form.png', fullPage: true })
  })

  it('shows a lookup of the record a link is set to at once, before saving: a write-off\'s invoice amount', async () => {
    await page.goto(`${site.url}/#/apps/${APP}/forms/write_off/new`)
    const field = (key: string) => page.locator(`[data-field="${key}"]`)
    await field('invoice').waitFor({ timeout: 20_000 })
    expect(await field('invoice_amount').locator('input').inputValue()).toBe('')
    await field('invoice').locator('.ant-select').click()
    await page.keyboard.type('E2E-0001')
    await page.locator('.ant-select-item-option', { hasText: 'E2E-0001' }).first().click()
    await expect.poll(() => field('invoice_amount').locator('input').inputValue(), { timeout: 10_000 }).toBe('12.34')
    // Cleared with its link.
    await field('invoice').locator('.ant-select').hover()
    await field('invoice').locator('.ant-select-clear').click()
    await expect.poll(() => field('invoice_amount').locator('input').inputValue(), { timeout: 10_000 }).toBe('')
  })

  it('names under the invoice date the allocations a later date would put out of order, and keeps the invoice', async () => {
    type Listed = { items: { id: number; values: Record<string, unknown> }[] }
    const allocations = await api<Listed>(`/api/apps/${APP}/forms/allocation/records?limit=200`)
    // An allocation paid before its invoice fell due: a day after it is still before the due date, so
    // only the server, which reads the allocations, can refuse the move.
    let found: { invoice: Listed['items'][number]; day: string } | undefined
    for (const allocation of allocations.items) {
      const invoice = (await api<Listed>(`/api/apps/${APP}/forms/invoice/records?filter=${encodeURIComponent(
        JSON.stringify({ '==': [{ var: 'id' }, allocation.values.invoice] }))}`)).items[0]
      const day = new Date(Date.parse(`${String(allocation.values.date)}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
      if (invoice && day < String(invoice.values.due_date)) {
        found = { invoice, day }
        break
      }
    }
    expect(found).toBeDefined()
    const { invoice, day } = found!
    await page.goto(`${site.url}/#/apps/${APP}/forms/invoice/${invoice.id}`)
    const field = (key: string) => page.locator(`[data-field="${key}"]`)
    const input = field('invoice_date').locator('input')
    await input.waitFor({ timeout: 15_000 })
    await input.click()
    await input.fill(day)
    await input.press('Enter')
    await page.locator('[data-action="save"]').click()

    const message = field('invoice_date').locator('.ant-form-item-explain-error')
    await expect.poll(() => message.textContent(), { timeout: 10_000 }).toContain('与此不符：核销日期不能早于发票的开票日期')
    // The toast points at the field instead of repeating it across the header.
    expect(await page.locator('.ant-message').textContent()).toContain('请先修正标出的字段')
    const kept = await api<Listed>(`/api/apps/${APP}/forms/invoice/records?q=${encodeURIComponent(String(invoice.values.number))}`)
    expect(kept.items[0].values.invoice_date).toBe(invoice.values.invoice_date)
    await page.screenshot({ path: '/tmp/tessera-e2e-agreement.png', fullPage: true })
    // Leave the refused edit behind: a fresh page for the next test.
    await page.locator('[data-action="cancel"]').click()
    await page.goto(`${site.url}/`)
    await page.reload()
  })

  it('says once that a date in the URL is no date, instead of every widget failing', async () => {
    await page.goto(`${site.url}/#/apps/${APP}/dashboards/receivables?asOf=2026-02-30`)
    const alert = page.locator('[data-param-problems="asOf"]')
    await alert.waitFor({ timeout: 20_000 })
    expect(await alert.textContent()).toContain('截止日期「2026-02-30」不是 1900 到 9999 年之间的日期')
    expect(await page.locator('[data-widget]').count()).toBe(0)

    // A filter the dashboard does not have is named and left out; the widgets run without it.
    await page.goto(`${site.url}/#/apps/${APP}/dashboards/receivables?filters=${encodeURIComponent('{"nope":["x"]}')}`)
    await page.locator('[data-unknown-filters="nope"]').waitFor({ timeout: 20_000 })
    await page.locator('[data-widget="total"][data-state="ready"]').waitFor({ timeout: 20_000 })
    // Said as the widget API takes it (f.<key>), a filter is applied, or named when the dashboard lacks it.
    await page.goto(`${site.url}/#/apps/${APP}/dashboards/receivables?f.region=${encodeURIComponent('华东')}&f.nope=y`)
    await page.locator('[data-unknown-filters="nope"]').waitFor({ timeout: 20_000 })
    await page.locator('[data-widget="total"][data-state="ready"]').waitFor({ timeout: 20_000 })
    expect(await page.locator('[data-filter="region"]').textContent()).toContain('华东')
  })

  it('shows a report on its own page from the menu, with its params in the URL and its data in Excel', async () => {
    await page.goto(`${site.url}/`)
    await page.locator('[data-menu="report:aging"]').click()
    await page.waitForURL(/#\/apps\/customer-settlement\/reports\/aging/, { timeout: 10_000 })
    // Customers down, age buckets across, with row and column totals.
    const table = page.locator('[data-report="aging"] .pivot-widget')
    await table.waitFor({ timeout: 20_000 })
    const { today } = await api<{ today: string }>('/api/settings')
    type Pivot = { headers: Array<Record<string, string>>; rows: Array<{ total: { open: string } }>; totals: { total: { open: string } } }
    const shown = async () => JSON.parse(await table.getAttribute('data-pivot') ?? '{}') as Pivot
    const shownRows = async () => (await shown()).rows.map((row) => row.total.open)
    const run = await api<ReportRun & { pivot: Pivot }>(`/api/apps/${APP}/reports/aging/run?asOf=${today}`)
    expect(await shownRows()).toEqual(run.pivot.rows.map((row) => row.total.open))
    expect((await shown()).headers.map((header) => header.bucket)).toEqual(['未到期', '1–30天', '31–60天', '61–90天', '90天以上'])
    // The grand total is every open invoice's open amount, summed exactly.
    const open = await api<{ rows: Array<{ open: string }> }>(`/api/apps/${APP}/reports/receivables_summary/run?asOf=${today}`)
    expect((await shown()).totals.total.open).toBe(open.rows[0].open)
    expect(await table.locator('tr.pivot-total').textContent()).toContain('合计')
    // The customers stay in view while the buckets scroll sideways (a phone).
    expect(await table.locator('tbody th').first().evaluate((node) => getComputedStyle(node).position)).toBe('sticky')

    // A click on a cell lists the invoices behind it, as of the report's date, each with its
    // share; the note above the list names the report and the cell, and leads back to it.
    type Drilled = { rows: Array<{ id: number; open: string }>; total: number }
    const cell = table.locator('td[data-pick]').filter({ hasNotText: /^$/ }).first()
    // The row's customer and the column's bucket, by its label.
    const picked = JSON.parse(await cell.getAttribute('data-pick') ?? '{}') as { customer: string; bucket: string }
    expect(Object.keys(picked).sort()).toEqual(['bucket', 'customer'])
    const behind = await api<Drilled>(`/api/apps/${APP}/reports/aging/drill?asOf=${today}` +
      `&dim.customer=${encodeURIComponent(picked.customer)}&dim.bucket=${encodeURIComponent(picked.bucket)}&limit=1000`)
    expect(behind.total).toBeGreaterThan(0)
    // From the keyboard: the cell takes the focus and Enter opens it.
    await cell.focus()
    await page.keyboard.press('Enter')
    await page.waitForURL(/#\/apps\/customer-settlement\/forms\/invoice\?drill=/, { timeout: 20_000 })
    await expect.poll(() => page.locator('.list-total').textContent(), { timeout: 15_000 }).toContain(String(behind.total))
    const shares = new Map(behind.rows.map((row) => [String(row.id), row.open]))
    const listed = await page.locator('.ant-table-row').evaluateAll((rows) => rows.map((row) => ({
      id: row.getAttribute('data-row-key'),
      open: row.querySelector('[data-column="drill:open"]')?.textContent ?? '',
    })))
    expect(listed.length).toBe(Math.min(20, behind.total))
    for (const one of listed) expect(one.open.replace(/,/g, '')).toBe(shares.get(String(one.id)))
    expect(await page.locator('th', { hasText: '未收金额（报表口径）' }).count()).toBe(1)
    expect(await page.locator('[data-chip="dashboard-drill"]').textContent()).toContain(`报表下钻的记录 (${behind.total})`)
    const origin = page.locator('[data-drill-origin="aging"]')
    expect(await origin.textContent()).toContain(`下钻自：客户账龄表 · ${picked.customer} · ${picked.bucket}`)
    expect(await origin.textContent()).toContain(`截止 ${today}`)
    await page.screenshot({ path: '/tmp/tessera-e2e-report-drilled.png', fullPage: false })
    await origin.locator('[data-action="back-to-report"]').click()
    await page.waitForURL(new RegExp(`#/apps/customer-settlement/reports/aging\\?asOf=${today}`), { timeout: 10_000 })
    await expect.poll(shownRows, { timeout: 15_000 }).toEqual(run.pivot.rows.map((row) => row.total.open))

    // Another as-of date, from the URL: the page runs the report for it.
    await page.goto(`${site.url}/#/apps/${APP}/reports/aging?asOf=2026-03-31`)
    const past = await api<ReportRun & { pivot: Pivot }>(`/api/apps/${APP}/reports/aging/run?asOf=2026-03-31`)
    await expect.poll(shownRows, { timeout: 15_000 }).toEqual(past.pivot.rows.map((row) => row.total.open))
    expect(await page.locator('[data-param="asOf"] input').inputValue()).toBe('2026-03-31')
    // A day typed that is none is said, not silently dropped; the figures stay those of the date taken.
    const asOfInput = page.locator('[data-param="asOf"] input')
    await asOfInput.click()
    await asOfInput.fill('2026-02-30')
    await page.keyboard.press('Escape')
    await page.locator('.page-title').click()
    await expect.poll(() => page.locator('[data-param="asOf"] [data-date-dropped]').getAttribute('data-date-dropped'), { timeout: 10_000 })
      .toBe('2026-02-30')
    // Said under the picker, not pushing the other params and buttons to lines of their own.
    const [picker, exportButton] = await Promise.all([page.locator('[data-param="asOf"] .ant-picker').boundingBox(),
      page.locator('[data-report="aging"] [data-action="export-excel"]').boundingBox()])
    expect(picker!.width).toBeLessThan(200)
    expect(Math.abs(picker!.y - exportButton!.y)).toBeLessThan(20)
    expect(page.url()).toContain('asOf=2026-03-31')
    await page.screenshot({ path: '/tmp/tessera-e2e-param-dropped.png', fullPage: false })
    await expect.poll(shownRows, { timeout: 15_000 }).toEqual(past.pivot.rows.map((row) => row.total.open))

    const download = page.waitForEvent('download')
    await page.locator('[data-report="aging"] [data-action="export-excel"]').click()
    const file = await download
    expect(file.suggestedFilename()).toBe('客户账龄表-2026-03-31.xlsx')
    await page.screenshot({ path: '/tmp/tessera-e2e-report.png', fullPage: false })
  })

  it('opens the records behind a summary\'s figure, and the customer behind a statement\'s row', async () => {
    const { today } = await api<{ today: string }>('/api/settings')
    await page.goto(`${site.url}/#/apps/${APP}/reports/receivables_summary?asOf=${today}`)
    const figures = page.locator('[data-report="receivables_summary"] [data-layout="figures"]')
    await figures.waitFor({ timeout: 20_000 })
    const summary = await api<{ rows: Array<{ overdue_invoices: number }> }>(`/api/apps/${APP}/reports/receivables_summary/run?asOf=${today}`)
    expect(summary.rows[0].overdue_invoices).toBeGreaterThan(0)
    // 逾期金额: the overdue invoices only, each with its overdue amount as of the report's date.
    await figures.locator('tr[data-clickable]', { has: page.locator('[data-column="overdue"]') }).click()
    await page.waitForURL(/#\/apps\/customer-settlement\/forms\/invoice\?drill=/, { timeout: 20_000 })
    await expect.poll(() => page.locator('.list-total').textContent(), { timeout: 15_000 })
      .toContain(String(summary.rows[0].overdue_invoices))
    expect(await page.locator('[data-drill-origin="receivables_summary"]').textContent()).toContain('应收汇总 · 逾期金额')

    // The dashboard's KPI card of the same figure opens the same invoices.
    await page.goto(`${site.url}/#/apps/${APP}/dashboards/receivables?asOf=${today}`)
    const card = page.locator('[data-widget="overdue"][data-state="ready"] [data-clickable]')
    await card.waitFor({ timeout: 20_000 })
    await card.click()
    await page.waitForURL(/#\/apps\/customer-settlement\/forms\/invoice\?drill=/, { timeout: 20_000 })
    await expect.poll(() => page.locator('.list-total').getAttribute('data-total'), { timeout: 15_000 })
      .toBe(String(summary.rows[0].overdue_invoices))
    // The card is titled as its measure: said once.
    await expect.poll(() => page.locator('[data-drill-origin="overdue"]').textContent(), { timeout: 15_000 })
      .toMatch(/应收看板 · 逾期金额 · 截止/)

    // A previous period's figure opens that period's records, and says which period.
    const [year0, month0] = today.split('-').map(Number)
    const monthStart = `${today.slice(0, 8)}01`
    const lastMonth = new Date(Date.UTC(year0, month0 - 2, 1)).toISOString().slice(0, 7)
    await page.goto(`${site.url}/#/apps/${APP}/reports/collection_rate?period=${monthStart}..${today}`)
    const rates = page.locator('[data-report="collection_rate"] [data-layout="figures"]')
    await rates.waitFor({ timeout: 20_000 })
    // The usual periods are one click away in the picker: 上月 is last month, whole.
    await page.locator('[data-param="period"] .ant-picker').click()
    await page.locator('.ant-picker-presets li', { hasText: /^上月$/ }).click()
    const lastMonthEnd = new Date(Date.UTC(year0, month0 - 1, 0)).toISOString().slice(0, 10)
    await expect.poll(() => new URL(page.url().replace('#/', '')).searchParams.get('period'), { timeout: 10_000 })
      .toBe(`${lastMonth}-01..${lastMonthEnd}`)
    await page.goto(`${site.url}/#/apps/${APP}/reports/collection_rate?period=${monthStart}..${today}`)
    await rates.waitFor({ timeout: 20_000 })
    expect(await rates.locator('tr[data-clickable]', { has: page.locator('[data-column="collected__change"]') }).count()).toBe(0)
    await rates.locator('tr[data-clickable]', { has: page.locator('[data-column="collected__previous"]') }).click()
    await page.waitForURL(/#\/apps\/customer-settlement\/forms\/invoice\?drill=/, { timeout: 20_000 })
    await expect.poll(() => page.locator('[data-drill-origin="collection_rate"]').textContent(), { timeout: 15_000 })
      .toContain(`期间 ${lastMonth}-01`)

    // The statement: last month's balances per customer, largest closing balance first.
    await page.goto(`${site.url}/`)
    await page.locator('[data-menu="report:customer_statement"]').click()
    const table = page.locator('[data-report="customer_statement"] .table-widget')
    await table.waitFor({ timeout: 20_000 })
    // Its default period is last month, the whole of it.
    const [year, month] = today.split('-').map(Number)
    const first = new Date(Date.UTC(year, month - 2, 1))
    const last = new Date(Date.UTC(year, month - 1, 0))
    const period = `${first.toISOString().slice(0, 10)}..${last.toISOString().slice(0, 10)}`
    expect(await page.locator('[data-param="period"]').textContent() ?? '').not.toBe('')
    const statement = await api<{ rows: Array<Record<string, string>> }>(
      `/api/apps/${APP}/reports/customer_statement/run?period=${period}`)
    expect(statement.rows.length).toBeGreaterThan(0)
    expect(JSON.parse(await table.getAttribute('data-rows') ?? '[]')).toEqual(statement.rows)
    expect(await table.locator('thead').textContent()).toContain('期初余额')
    // A last row totals each balance over the customers, to the cent.
    const cents = (values: string[]) => values.reduce((sum, value) => sum + BigInt(value.replace('.', '')), 0n)
    const totals = JSON.parse(await table.locator('[data-totals]').getAttribute('data-totals') ?? '{}') as Record<string, string>
    for (const key of ['opening', 'invoiced', 'received', 'written_off', 'closing']) {
      expect(cents([totals[key]]), key).toBe(cents(statement.rows.map((row) => row[key])))
    }
    expect(await table.locator('.table-totals').textContent()).toContain('合计')
    await page.screenshot({ path: '/tmp/tessera-e2e-statement.png', fullPage: false })
    // Its Excel file ends with the same 合计 row: each total a bold numeric cell, to the cent.
    const download = page.waitForEvent('download')
    await page.locator('[data-report="customer_statement"] [data-action="export-excel"]').click()
    const workbook = await (await download).path()
    const sheet = execFileSync('unzip', ['-p', workbook, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' })
    const rows = [...sheet.matchAll(/<row r="(\d+)">(.*?)<\/row>/g)]
    expect(rows).toHaveLength(statement.rows.length + 2)
    const closing = rows.at(-1)?.[2] ?? ''
    expect(closing).toMatch(/^<c r="A\d+" s="4" t="inlineStr"><is><t xml:space="preserve">合计<\/t>/)
    const written = [...closing.matchAll(/<c r="[A-Z]+\d+" s="6"><v>(-?[\d.]+)<\/v><\/c>/g)].map((cell) => cell[1])
    expect(written.map((value) => cents([value]))).toEqual(
      ['opening', 'invoiced', 'received', 'written_off', 'closing'].map((key) => cents([totals[key]])))
    // A row opens the customer's ledger for the same period: every document, the balance
    // carried line by line from the statement's opening balance to its closing one.
    await table.locator('.ant-table-row').first().click()
    await page.waitForURL(/#\/apps\/customer-settlement\/reports\/customer_ledger\?/, { timeout: 20_000 })
    const opened = new URL(page.url().replace('#/', '')).searchParams
    expect([opened.get('customer'), opened.get('period')]).toEqual([statement.rows[0].customer, period])
    const ledger = page.locator('[data-report="customer_ledger"] .table-widget')
    await ledger.waitFor({ timeout: 20_000 })
    const lines = JSON.parse(await ledger.getAttribute('data-rows') ?? '[]') as Array<Record<string, string>>
    expect(lines[0]).toMatchObject({ document: '期初余额', balance: statement.rows[0].opening })
    expect(lines.at(-1)?.balance).toBe(statement.rows[0].closing)
    expect(await page.locator('[data-param="customer"] input').inputValue()).toBe(statement.rows[0].customer)
    await page.screenshot({ path: '/tmp/tessera-e2e-ledger.png', fullPage: false })

    // Another customer, chosen from the names suggested as the reader types.
    const other = statement.rows[1]
    const box = page.locator('[data-param="customer"] input')
    await box.fill(other.customer.slice(0, 4))
    const option = page.locator('.ant-select-item-option', { hasText: other.customer })
    await option.waitFor({ timeout: 10_000 })
    await page.screenshot({ path: '/tmp/tessera-e2e-ledger-suggest.png', fullPage: false })
    await option.click()
    await expect.poll(() => new URL(page.url().replace('#/', '')).searchParams.get('customer'), { timeout: 10_000 })
      .toBe(other.customer)
    await expect.poll(async () => (JSON.parse(await ledger.getAttribute('data-rows') ?? '[]') as Array<Record<string, string>>)
      .at(-1)?.balance, { timeout: 15_000 }).toBe(other.closing)

    // The opening line is documents of several forms: the reader picks which to list, each with its count.
    // (The first customer whose opening holds two forms or more, and who has an invoice in the period.)
    type Line = Record<string, string>
    let chosen: { customer: string; lines: Line[]; held: Array<{ form: string; count: number }> } | undefined
    for (const row of statement.rows) {
      const lines = (await api<{ rows: Line[] }>(`/api/apps/${APP}/reports/customer_ledger/run?${
        new URLSearchParams({ customer: row.customer, period })}`)).rows
      const path = { date: lines[0].date, document: lines[0].document, kind: lines[0].kind }
      const drill = JSON.stringify({ report: 'customer_ledger', params: { customer: row.customer, period }, path })
      const held = await api<Array<{ form: string; count: number }>>(`/api/apps/${APP}/drill/forms?${new URLSearchParams({ drill })}`)
      if (held.length > 1 && lines.some((line) => line.kind === '发票')) {
        chosen = { customer: row.customer, lines, held }
        break
      }
    }
    expect(chosen).toBeDefined()
    const { lines: ledgerLines, held } = chosen!
    const ledgerHash = `#/apps/${APP}/reports/customer_ledger?${new URLSearchParams({ customer: chosen!.customer, period })}`
    // Opened from the menu, with no customer yet, it asks for one rather than failing.
    await page.goto(`${site.url}/#/apps/${APP}/reports/customer_ledger`)
    const ask = page.locator('[data-param-missing="customer"]')
    await ask.waitFor({ timeout: 20_000 })
    expect(await ask.textContent()).toBe('请先填写「客户」，再查看报表')
    await page.goto(`${site.url}/${ledgerHash}`)
    await expect.poll(async () => (JSON.parse(await ledger.getAttribute('data-rows') ?? '[]') as Line[]).length,
      { timeout: 20_000 }).toBe(ledgerLines.length)

    // On paper: the title, the customer and period as text, when it was printed, every line; no menu, inputs or buttons.
    await page.evaluate(() => {
      const counted = window as unknown as { printed: number }
      counted.printed = 0
      window.print = () => { counted.printed += 1 }
    })
    await page.locator('[data-action="print"]').click()
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1)
    await page.emulateMedia({ media: 'print' })
    const before = await page.locator('[data-print-about]').textContent()
    await page.waitForTimeout(1100)
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')))
    const about = page.locator('[data-print-about]')
    expect(await about.isVisible()).toBe(true)
    const printed = await about.textContent() ?? ''
    expect(printed).toContain(`客户：${chosen!.customer}`)
    expect(printed).toContain(`期间：${period.replace('..', ' – ')}`)
    expect(printed).toContain('打印时间：')
    // The time is the printing's, not the page's opening.
    expect(printed).not.toBe(before)
    for (const hidden of ['.shell-sider', '.shell-header', '[data-action="print"]', '[data-param="customer"]']) {
      expect(await page.locator(hidden).first().isVisible(), hidden).toBe(false)
    }
    expect(await page.locator('.report-page h3').isVisible()).toBe(true)
    // 合计 printed once after the last line, not repeated at the foot of every page as a table footer is.
    expect(await page.locator('.report-page .ant-table-summary').evaluate((element) => getComputedStyle(element).display))
      .toBe('table-row-group')
    expect(await ledger.locator('.ant-table-row').count()).toBe(ledgerLines.length)
    await page.screenshot({ path: '/tmp/tessera-e2e-ledger-print.png', fullPage: true })
    await page.emulateMedia({ media: 'screen' })
    expect(await about.isVisible()).toBe(false)

    // Every column fits the paper's width (A4 less its margins, 703 CSS pixels): the statement's
    // closing balance, the aging pivot's total column. Each is checked cell by cell.
    const overflowing = async (hash: string, ready: string) => {
      await page.goto(`${site.url}/${hash}`)
      await page.locator(ready).first().waitFor({ timeout: 20_000 })
      await page.setViewportSize({ width: 703, height: 1000 })
      await page.emulateMedia({ media: 'print' })
      const outside = await page.evaluate(() => [...document.querySelectorAll('.report-page th, .report-page td')]
        .filter((cell) => cell.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
        .map((cell) => cell.textContent))
      await page.screenshot({ path: `/tmp/tessera-e2e-print-${ready.replace(/\W+/g, '')}.png`, fullPage: false })
      await page.emulateMedia({ media: 'screen' })
      await page.setViewportSize({ width: 1280, height: 900 })
      return outside
    }
    expect(await overflowing(`#/apps/${APP}/reports/customer_statement?period=${period}`,
      '[data-report="customer_statement"] .ant-table-row')).toEqual([])
    expect(await overflowing(`#/apps/${APP}/reports/aging?asOf=${today}`, '[data-report="aging"] .pivot-widget td')).toEqual([])
    await page.goto(`${site.url}/${ledgerHash}`)
    await expect.poll(async () => (JSON.parse(await ledger.getAttribute('data-rows') ?? '[]') as Line[]).length,
      { timeout: 20_000 }).toBe(ledgerLines.length)

    await ledger.locator('.ant-table-row').first().click()
    const chooser = page.locator('[data-drill-forms]')
    await chooser.waitFor({ timeout: 15_000 })
    expect(await chooser.locator('[data-drill-form]').evaluateAll((buttons) =>
      buttons.map((button) => button.getAttribute('data-drill-form')))).toEqual(held.map((one) => one.form))
    expect(await chooser.textContent()).toContain(`· ${held[0].count} 条`)
    await page.screenshot({ path: '/tmp/tessera-e2e-ledger-choose.png', fullPage: false })
    await chooser.locator(`[data-drill-form="${held[0].form}"]`).click()
    await page.waitForURL(new RegExp(`#/apps/customer-settlement/forms/${held[0].form}\\?drill=`), { timeout: 20_000 })
    await expect.poll(() => page.locator('.list-total').getAttribute('data-total'), { timeout: 15_000 })
      .toBe(String(held[0].count))
    expect(await page.locator('[data-drill-origin="customer_ledger"]').textContent()).toContain('客户往来明细')
    await page.screenshot({ path: '/tmp/tessera-e2e-ledger-records.png', fullPage: false })

    // A document's own line opens that document's form at once.
    await page.goBack()
    await ledger.waitFor({ timeout: 20_000 })
    const invoiceLine = ledgerLines.findIndex((line) => line.kind === '发票')
    await ledger.locator('.ant-table-row').nth(invoiceLine).click()
    await page.waitForURL(/#\/apps\/customer-settlement\/forms\/invoice\?drill=/, { timeout: 20_000 })
    await expect.poll(() => page.locator('.list-total').getAttribute('data-total'), { timeout: 15_000 }).toBe('1')
    expect(await page.locator('.ant-table-row').first().textContent()).toContain(ledgerLines[invoiceLine].document)

    // The question belongs to the page it was asked on: Back to another visit of the report closes it.
    await page.goto(`${site.url}/#/apps/${APP}/reports/customer_ledger?${new URLSearchParams({ customer: chosen!.customer,
      period: '2026-01-01..2026-01-31' })}`)
    await page.locator('[data-report="customer_ledger"] .ant-card[data-state="ready"]').waitFor({ timeout: 20_000 })
    await page.goto(`${site.url}/${ledgerHash}`)
    await expect.poll(async () => (JSON.parse(await ledger.getAttribute('data-rows') ?? '[]') as Line[]).length,
      { timeout: 20_000 }).toBe(ledgerLines.length)
    await ledger.locator('.ant-table-row').first().click()
    await chooser.waitFor({ timeout: 15_000 })
    await page.goBack()
    await expect.poll(() => new URL(page.url().replace('#/', '')).searchParams.get('period')).toBe('2026-01-01..2026-01-31')
    await chooser.waitFor({ state: 'hidden', timeout: 10_000 })
  })

  it('keeps a reader who left a saving record and came back to it on that record', async () => {
    const [customer] = (await api<{ items: Array<{ id: number }> }>(`/api/apps/${APP}/forms/customer/records?pageSize=1&sort=id`)).items
    const recordHash = `#/apps/${APP}/forms/customer/${customer.id}`
    await page.goto(`${site.url}/${recordHash}`)
    const terms = page.locator('[data-field="payment_terms"] input')
    await terms.waitFor({ timeout: 20_000 })
    await terms.fill('45')
    // The save is held on its way; meanwhile the reader opens the list and comes back to the record.
    let release!: () => void
    const held = new Promise<void>((resolve) => { release = resolve })
    const saving = (url: URL) => url.pathname === `/api/apps/${APP}/forms/customer/records/${customer.id}`
    await page.route(saving, async (route) => {
      if (route.request().method() === 'PATCH') await held
      await route.continue()
    })
    await page.locator('[data-action="save"]').click()
    await page.goto(`${site.url}/#/apps/${APP}/forms/customer`)
    await page.locator('[data-list="customer"]').waitFor({ timeout: 20_000 })
    await page.goto(`${site.url}/${recordHash}`)
    await terms.waitFor({ timeout: 20_000 })
    release()
    await expect.poll(async () => (await api<{ values: { payment_terms: number } }>(
      `/api/apps/${APP}/forms/customer/records/${customer.id}`)).values.payment_terms, { timeout: 10_000 }).toBe(45)
    // The save's way to the list was begun on the earlier visit: this one is left alone.
    await page.waitForTimeout(1000)
    await page.unroute(saving)
    expect(new URL(page.url()).hash).toBe(recordHash)
  })

  it('lets an administrator delete a report no dashboard shows, and refuses one a dashboard shows', async () => {
    const spec = { key: 'e2e_unused', label: '未用报表', source: 'invoice', measures: [{ key: 'n', agg: 'count' }] }
    const saved = await fetch(`${site.url}/api/apps/${APP}/reports/e2e_unused`, {
      method: 'PUT', headers: { 'content-type': 'application/json', ...site.apiHeaders }, body: JSON.stringify(spec),
    })
    expect(saved.status).toBe(200)

    // Shown on the dashboard: refused, the report stays.
    await page.goto(`${site.url}/#/apps/${APP}/reports/aging_buckets`)
    await page.locator('[data-action="delete-report"]').click()
    await page.locator('.ant-popconfirm:visible .ant-btn-dangerous').click()
    await expect.poll(() => page.locator('.ant-message').textContent(), { timeout: 10_000 }).toContain('看板')
    expect((await fetch(`${site.url}/api/apps/${APP}/reports/aging_buckets`, { headers: site.apiHeaders })).status).toBe(200)

    await page.goto(`${site.url}/#/apps/${APP}/reports/e2e_unused`)
    // Read afresh, so that the menu lists the report made through the API.
    await page.reload()
    await page.locator('[data-report="e2e_unused"] .table-widget').waitFor({ timeout: 20_000 })
    expect(await page.locator('[data-menu="report:e2e_unused"]').count()).toBe(1)
    // After the delete the page reads the app's menu again; held back here, the reader
    // goes to the customer list meanwhile, and is not pulled away from it once it comes.
    let release!: () => void
    const held = new Promise<void>((resolve) => { release = resolve })
    const appDetail = (url: URL) => url.pathname === `/api/apps/${APP}`
    await page.route(appDetail, async (route) => { await held; await route.continue() })
    await page.locator('[data-action="delete-report"]').click()
    await page.locator('.ant-popconfirm:visible .ant-btn-dangerous').click()
    await expect.poll(async () => (await fetch(`${site.url}/api/apps/${APP}/reports/e2e_unused`, { headers: site.apiHeaders })).status,
      { timeout: 10_000 }).toBe(404)
    await page.goto(`${site.url}/#/apps/${APP}/forms/customer`)
    await page.locator('[data-list="customer"]').waitFor({ timeout: 20_000 })
    release()
    await expect.poll(() => page.locator('.ant-message').textContent(), { timeout: 10_000 }).toContain('已删除')
    await expect.poll(() => page.locator('[data-menu="report:e2e_unused"]').count(), { timeout: 10_000 }).toBe(0)
    await page.unroute(appDetail)
    expect(new URL(page.url()).hash).toBe(`#/apps/${APP}/forms/customer`)
    await page.locator('[data-list="customer"]').waitFor({ timeout: 5_000 })
  })

  it('shows a select field\'s filter choices by their labels and filters by their codes', async () => {
    const board = {
      key: 'e2e_delivery',
      label: { 'zh-CN': '送达方式看板', en: 'Delivery board' },
      filters: [{ key: 'delivery', label: '送达方式', type: 'select', field: 'delivery', options: { form: 'invoice', field: 'delivery' } }],
      widgets: [{ key: 'count', type: 'kpi', report: 'e2e_delivery_count', measure: 'n', layout: { x: 0, y: 0, w: 4, h: 3 } }],
    }
    const report = { key: 'e2e_delivery_count', label: '发票数', source: 'invoice', measures: [{ key: 'n', agg: 'count', type: 'integer' }] }
    const saved = await fetch(`${site.url}/api/apps/${APP}/dashboards/e2e_delivery/with-reports`, {
      method: 'PUT', headers: { 'content-type': 'application/json', ...site.apiHeaders },
      body: JSON.stringify({ dashboard: board, reports: [report] }),
    })
    expect(saved.status, await saved.text()).toBe(200)

    await page.goto(`${site.url}/#/apps/${APP}/dashboards/e2e_delivery`)
    await page.locator('[data-dashboard="e2e_delivery"]').waitFor({ timeout: 20_000 })
    await page.locator('[data-filter="delivery"] .ant-select').click()
    const choices = page.locator('.ant-select-dropdown:visible .ant-select-item-option')
    await expect.poll(() => choices.allTextContents(), { timeout: 10_000 }).toEqual(expect.arrayContaining(['纸质', '电子']))
    expect(await choices.allTextContents()).not.toContain('paper')
    await choices.filter({ hasText: '纸质' }).click()
    await page.keyboard.press('Escape')
    await page.waitForURL(/filters=/, { timeout: 10_000 })
    expect(JSON.parse(new URL(page.url().replace('#/', '')).searchParams.get('filters') ?? '{}')).toEqual({ delivery: ['paper'] })
    // The chosen code's tag shows its label (antd adds a hidden "+ N" tag for the overflow).
    const tags = async () => (await page.locator('[data-filter="delivery"] .ant-select-selection-item').allTextContents())
      .filter((text) => !text.startsWith('+'))
    await expect.poll(tags, { timeout: 10_000 }).toEqual(['纸质'])
    const shown = await api<ReportRun>(`/api/apps/${APP}/dashboards/e2e_delivery/widgets/count/run?f.delivery=paper`)
    expect(Number(shown.rows[0].n)).toBeGreaterThan(0)
  })
  it('lays the KPI cards two to a row on a tablet beside the menu, each value as large as on a desktop', async () => {
    const tablet = await browser.newPage({ viewport: { width: 820, height: 1180 }, locale: 'zh-CN' })
    try {
      await signIn(tablet, site.url)
      await tablet.goto(`${site.url}/#/apps/${APP}/dashboards/receivables`)
      const cards = tablet.locator('.widget-cell:has(.kpi)')
      await cards.first().locator('.kpi-value').waitFor({ timeout: 20_000 })
      const grid = (await tablet.locator('.widget-grid').boundingBox())!
      const boxes = await cards.evaluateAll((cells) => cells.map((cell) => {
        const box = cell.getBoundingClientRect()
        const value = cell.querySelector('.kpi-value')
        return { x: box.x, y: box.y, width: box.width, font: value ? parseFloat(getComputedStyle(value).fontSize) : 0 }
      }))
      expect(boxes.length).toBeGreaterThanOrEqual(4)
      // Two to a row, each near half the grid (four to a row cut their titles to 应收…).
      for (const box of boxes) expect(box.width, JSON.stringify(box)).toBeGreaterThan(grid.width * 0.45)
      expect(new Set(boxes.map((box) => Math.round(box.y))).size).toBe(Math.ceil(boxes.length / 2))
      for (const box of boxes) expect(box.font, JSON.stringify(box)).toBeGreaterThanOrEqual(20)
      await tablet.screenshot({ path: '/tmp/tessera-e2e-dashboard-tablet.png' })
    } finally {
      await tablet.close()
    }
  })
  it('shows a report on a phone as a card per row, every figure whole beside its label', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' })
    try {
      await signIn(phone, site.url)
      await phone.goto(`${site.url}/#/apps/${APP}/reports/customer_statement`)
      const cards = phone.locator('[data-report="customer_statement"] [data-layout="cards"] .figure-card')
      await cards.first().waitFor({ timeout: 20_000 })
      const rows = JSON.parse(await phone.locator('[data-report="customer_statement"] .table-widget')
        .getAttribute('data-rows') ?? '[]') as Array<Record<string, string>>
      expect(rows.length).toBeGreaterThan(1)
      // One card per customer, and a last one of the totals.
      await expect.poll(() => cards.count(), { timeout: 10_000 }).toBe(rows.length + 1)
      const first = cards.first()
      expect(await first.locator('dt').allTextContents()).toContain('期末余额')
      const shown = await first.locator('[data-column="closing"]').textContent()
      expect(shown?.replace(/,/g, '')).toBe(rows[0].closing)
      // No figure is cut: each line's value fits inside its card.
      const cut = await phone.locator('.figure-card-line dd').evaluateAll((cells) =>
        cells.filter((cell) => cell.scrollWidth > cell.clientWidth + 1 || cell.getBoundingClientRect().right > window.innerWidth)
          .map((cell) => cell.textContent))
      expect(cut).toEqual([])
      await phone.screenshot({ path: '/tmp/tessera-e2e-report-phone.png' })
      // The aging pivot too: a customer's buckets, then its total.
      await phone.goto(`${site.url}/#/apps/${APP}/reports/aging`)
      const pivotCard = phone.locator('.pivot-widget [data-layout="cards"] .figure-card').first()
      await pivotCard.waitFor({ timeout: 20_000 })
      expect(await pivotCard.locator('dt').last().textContent()).toBe('合计')
    } finally {
      await phone.close()
    }
  })
  it('on a phone closes a filter\'s list after a pick and offers the customers of the region picked', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'zh-CN' })
    try {
      await signIn(phone, site.url)
      await phone.goto(`${site.url}/#/apps/${APP}/dashboards/receivables`)
      await phone.locator('[data-filter="region"] .ant-select').waitFor({ timeout: 20_000 })
      const board = `/api/apps/${APP}/dashboards/receivables`
      const regions = await api<Array<{ value: string }>>(`${board}/filters/region/options`)
      await phone.locator('[data-filter="region"] .ant-select').tap()
      const list = phone.locator('.ant-select-dropdown:visible')
      await list.locator('.ant-select-item-option', { hasText: regions[0].value }).first().tap()
      // The pick is made and the list is gone, the page in view again, without a tap outside.
      await phone.waitForURL(/filters=/, { timeout: 10_000 })
      await expect.poll(() => list.count(), { timeout: 5_000 }).toBe(0)

      // The customer filter offers that region's customers only: one of another region is not found.
      const narrowed = await api<Array<{ value: string }>>(
        `${board}/filters/customer/options?filters=${encodeURIComponent(JSON.stringify({ region: [regions[0].value] }))}`)
      const all = await api<Array<{ value: string }>>(`${board}/filters/customer/options`)
      const outsider = all.find((one) => !narrowed.some((inside) => inside.value === one.value))!
      expect(outsider).toBeDefined()
      await phone.locator('[data-filter="customer"] .ant-select').tap()
      const search = phone.locator('[data-filter="customer"] input')
      await search.fill(outsider.value)
      await expect.poll(() => phone.locator('.ant-select-dropdown:visible .ant-select-empty, .ant-select-dropdown:visible .ant-empty').count(),
        { timeout: 10_000 }).toBeGreaterThan(0)
      await search.fill(narrowed[0].value)
      await expect.poll(() => phone.locator('.ant-select-dropdown:visible .ant-select-item-option').allTextContents(), { timeout: 10_000 })
        .toContain(narrowed[0].value)
      await phone.screenshot({ path: '/tmp/tessera-e2e-filter-phone.png' })
    } finally {
      await phone.close()
    }
  })
  it('drills from a line chart tapped above or below a point, not only on its small dot', async () => {
    await page.goto(`${site.url}/#/apps/${APP}/dashboards/receivables`)
    const chart = page.locator('[data-widget="cash_in"] .chart-canvas')
    await chart.waitFor({ timeout: 20_000 })
    await chart.scrollIntoViewIfNeeded()
    await expect.poll(() => chart.getAttribute('data-chart-state'), { timeout: 15_000 }).toBe('drawn')
    const weeks = JSON.parse(await page.locator('[data-widget="cash_in"] [data-rows]').first().getAttribute('data-rows') ?? '[]') as
      Array<{ week: string; expected: string }>
    expect(weeks.length).toBeGreaterThan(1)
    // Low in the plot, just above the axis, halfway along: on no point (each week expects money).
    const box = (await chart.boundingBox())!
    const scrolled = await page.evaluate(() => window.scrollY)
    expect(scrolled).toBeGreaterThan(100)
    await page.mouse.click(box.x + box.width / 2, box.y + box.height - 48)
    await page.waitForURL(/#\/apps\/customer-settlement\/forms\/invoice\?drill=/, { timeout: 15_000 })
    const drill = JSON.parse(new URL(page.url().replace('#/', '')).searchParams.get('drill') ?? '{}')
    expect(weeks.map((one) => one.week)).toContain(drill.path.week)

    // Back from the list, the dashboard is where it was scrolled to, the chart in view, not at its top.
    await page.locator('.record-list').first().waitFor({ timeout: 20_000 })
    expect(await page.evaluate(() => window.scrollY)).toBe(0)
    await page.goBack()
    await chart.waitFor({ timeout: 20_000 })
    await expect.poll(() => page.evaluate(() => window.scrollY), { timeout: 10_000 }).toBe(scrolled)
    const back = (await chart.boundingBox())!
    expect(back.y).toBeGreaterThan(-back.height / 2)
    expect(back.y).toBeLessThan(800)
    // Forward to the list and Back again: the same place once more.
    await page.goForward()
    await page.locator('.record-list').first().waitFor({ timeout: 20_000 })
    await page.goBack()
    await chart.waitFor({ timeout: 20_000 })
    await expect.poll(() => page.evaluate(() => window.scrollY), { timeout: 10_000 }).toBe(scrolled)
  })
})
