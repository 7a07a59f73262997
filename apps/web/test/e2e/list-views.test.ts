import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browserMissing, launchBrowser, signIn, startSite, type TestSite, showPageOnFailure } from './browser-harness.js'

const APP = 'customer-settlement'
const LIST = `/#/apps/${APP}/forms/invoice`
const RECORDS = `/api/apps/${APP}/forms/invoice/records`

interface Page$ {
  items: { id: number; values: Record<string, unknown> }[]
  total: number
  next: string | null
}

/**
 * The record list as a finance user shapes it, in Chromium: a filter made
 * with the builder, a hidden column, a saved view picked again after a
 * reload, and paging forward and back by cursor.
 */
describe.skipIf(browserMissing)('filters, columns, saved views and cursor paging in Chromium', () => {
  let site: TestSite
  let browser: Browser
  let page: Page
  showPageOnFailure(() => page)
  let threshold = ''
  let filtered: Page$

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${site.url}${path}`, { headers: { 'accept-language': 'zh-CN', ...site.apiHeaders } })
    expect(response.status, path).toBe(200)
    return response.json() as Promise<T>
  }
  const shownIds = () => page.locator('tr[data-row-key]').evaluateAll((rows) =>
    rows.map((row) => Number(row.getAttribute('data-row-key'))))
  const shownColumns = () => page.locator('tr[data-row-key]').first().locator('td[data-column]')
    .evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-column')))
  const urlParam = (name: string) => new URL(page.url().replace('#/', '')).searchParams.get(name)
  const pick = async (select: string, option: string) => {
    await page.locator(select).click()
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: option }).first().click()
  }

  beforeAll(async () => {
    site = await startSite({ demoSize: 400, sample: false })
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 }, locale: 'zh-CN' })
    await signIn(page, site.url)
    // A threshold that leaves a little over two pages of invoices.
    const byAmount = await api<Page$>(`${RECORDS}?sort=-amount&pageSize=500`)
    threshold = String(byAmount.items[44].values.amount)
    const filter = JSON.stringify({ and: [{ '>=': [{ var: 'amount' }, threshold] }] })
    filtered = await api<Page$>(`${RECORDS}?pageSize=20&filter=${encodeURIComponent(filter)}`)
    expect(filtered.total).toBeGreaterThan(40)
  })
  afterAll(async () => {
    await browser?.close()
    await site?.close()
  })

  it('builds a filter with rows of field, operator and value', async () => {
    await page.goto(`${site.url}${LIST}`)
    await page.locator('tr[data-row-key]').first().waitFor({ timeout: 20_000 })
    await page.locator('[data-action="filter"]').click()
    await page.locator('[data-action="filter-add"]').click()
    await pick('[data-filter-row="0"] [data-filter-part="field"]', '金额')
    await pick('[data-filter-row="0"] [data-filter-part="op"]', '≥')
    // Typed as people copy amounts, with thousands separators: sent as the plain decimal.
    const [whole, fraction] = threshold.split('.')
    const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',') + (fraction === undefined ? '' : `.${fraction}`)
    expect(grouped).toContain(',')
    const amountBox = page.locator('[data-filter-row="0"] input[data-filter-part="value"]')
    // A phone offers its number pad for it.
    expect(await amountBox.getAttribute('inputmode')).toBe('decimal')
    await amountBox.fill(grouped)
    await page.locator('[data-action="filter-apply"]').click()

    await expect.poll(() => urlParam('filter'), { timeout: 10_000 }).toBeTruthy()
    expect(JSON.parse(urlParam('filter')!)).toEqual({ and: [{ '>=': [{ var: 'amount' }, threshold] }] })
    await expect.poll(shownIds, { timeout: 15_000 }).toEqual(filtered.items.map((r) => r.id))
    await expect.poll(() => page.locator('.list-total').textContent(), { timeout: 10_000 }).toContain(String(filtered.total))
  })

  it('hides a column and saves the list as a view', async () => {
    await page.locator('[data-action="columns"]').click()
    await page.locator('[data-column-choice="due_date"] input[type="checkbox"]').click()
    await expect.poll(shownColumns, { timeout: 10_000 }).not.toContain('due_date')
    await page.screenshot({ path: '/tmp/tessera-e2e-list-columns.png' })
    await page.keyboard.press('Escape')
    const columns = await shownColumns()

    await page.locator('[data-action="view-menu"]').click()
    await page.locator('[data-view-action="saveAs"]').click()
    await page.locator('[data-field="view-name"]').fill('大额发票')
    await page.locator('.ant-modal .ant-btn-primary').click()
    await expect.poll(() => urlParam('view'), { timeout: 10_000 }).toBeTruthy()
    await page.screenshot({ path: '/tmp/tessera-e2e-list-view.png', fullPage: true })

    // Back to the plain list: every column, no filter.
    await page.locator('[data-action="columns"]').click()
    await page.locator('[data-action="columns-reset"]').click()
    await page.keyboard.press('Escape')
    await page.goto(`${site.url}${LIST}`)
    await page.reload()
    await page.locator('tr[data-row-key]').first().waitFor({ timeout: 20_000 })
    expect(await shownColumns()).toContain('due_date')
    await expect.poll(() => page.locator('.list-total').textContent(), { timeout: 10_000 }).not.toContain(String(filtered.total))

    await pick('[data-action="view-select"]', '大额发票')
    await expect.poll(shownIds, { timeout: 15_000 }).toEqual(filtered.items.map((r) => r.id))
    expect(await shownColumns()).toEqual(columns)
    expect(columns).not.toContain('due_date')
  })

  it('pages forward and back by cursor', async () => {
    await page.locator('[data-action="next-page"]').click()
    await expect.poll(() => urlParam('after'), { timeout: 10_000 }).toBeTruthy()
    const second = await api<Page$>(`${RECORDS}?pageSize=20&filter=${encodeURIComponent(urlParam('filter')!)}&after=${filtered.next}`)
    await expect.poll(shownIds, { timeout: 15_000 }).toEqual(second.items.map((r) => r.id))
    await page.locator('[data-action="next-page"]').click()
    await expect.poll(async () => (await shownIds()).length, { timeout: 15_000 }).toBe(filtered.total - 40)
    await page.locator('[data-action="prev-page"]').click()
    await expect.poll(shownIds, { timeout: 15_000 }).toEqual(second.items.map((r) => r.id))
    await page.locator('[data-action="prev-page"]').click()
    await expect.poll(shownIds, { timeout: 15_000 }).toEqual(filtered.items.map((r) => r.id))
    await expect.poll(() => page.locator('[data-action="prev-page"]').isDisabled(), { timeout: 10_000 }).toBe(true)
  })

  it('lists a customer\'s invoices and receipts from the customer\'s page', async () => {
    const customer = (await api<Page$>(`/api/apps/${APP}/forms/customer/records?pageSize=1&sort=id`)).items[0]
    await page.goto(`${site.url}/#/apps/${APP}/forms/customer/${customer.id}`)
    const related = page.locator('[data-related]')
    await related.waitFor({ timeout: 20_000 })
    const links = await related.locator('[data-related-link]').evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-related-link')))
    expect(links).toEqual(expect.arrayContaining(['invoice.customer', 'receipt.customer', 'contract.customer', 'order.customer']))
    expect(await related.locator('[data-related-link="invoice.customer"]').textContent()).toBe('发票（应收）（客户）')

    await related.locator('[data-related-link="invoice.customer"]').click()
    await page.waitForURL(/forms\/invoice\?/, { timeout: 10_000 })
    const filter = JSON.stringify({ and: [{ '==': [{ var: 'customer' }, customer.id] }] })
    const theirs = await api<Page$>(`${RECORDS}?pageSize=20&filter=${encodeURIComponent(filter)}`)
    expect(theirs.total).toBeGreaterThan(0)
    await expect.poll(shownIds, { timeout: 15_000 }).toEqual(theirs.items.map((item) => item.id))
    expect(await page.locator('[data-action="filter"]').textContent()).toContain('(1)')
    // Whose they are, by name.
    await expect.poll(() => page.locator('[data-chip="related"]').textContent()).toBe(`客户：${customer.values.name}`)
    // The list opens at its top, not where the customer's page was scrolled to.
    await expect.poll(() => page.evaluate(() => window.scrollY)).toBe(0)
    await page.screenshot({ path: '/tmp/tessera-e2e-related.png' })
  })

  it('says when a link picker lists only its first matches, and not once a search narrows them', async () => {
    await page.goto(`${site.url}/#/apps/${APP}/forms/allocation/new`)
    await page.locator('[data-field="invoice"] .ant-select').click()
    const more = page.locator('.ant-select-dropdown:visible [data-options-more]')
    await more.waitFor({ timeout: 10_000 })
    expect(await more.textContent()).toBe('只列出前 20 条，输入关键字查找其他记录')
    const one = (await api<Page$>(`${RECORDS}?pageSize=1&sort=-id`)).items[0]
    await page.keyboard.type(String(one.values.number))
    await expect.poll(() => more.count(), { timeout: 10_000 }).toBe(0)
    await page.keyboard.press('Escape')
  })

  it('shows a drill-down as a chip and a bad filter link as a message', async () => {
    const ids = filtered.items.slice(0, 3).map((r) => r.id)
    const drill = encodeURIComponent(JSON.stringify({ in: [{ var: 'id' }, ids] }))
    await page.goto(`${site.url}${LIST}?filter=${drill}`)
    await page.locator('[data-chip="drill"]').waitFor({ timeout: 20_000 })
    expect(await page.locator('[data-chip="drill"]').textContent()).toContain('仅显示下钻记录 (3)')
    await expect.poll(async () => (await shownIds()).sort(), { timeout: 15_000 }).toEqual([...ids].sort())
    await page.locator('[data-chip="drill"] .ant-tag-close-icon').click()
    await expect.poll(() => urlParam('filter'), { timeout: 10_000 }).toBeNull()

    await page.goto(`${site.url}${LIST}?filter=${encodeURIComponent('{"==": [{"var": "nope"}, 1]}')}`)
    await page.locator('[data-problem="filter"]').waitFor({ timeout: 20_000 })
    expect(await page.locator('[data-problem="filter"]').textContent()).toContain('nope')
    // The server's own words, said once: no "有误：有误".
    expect(await page.locator('[data-problem="filter"]').textContent()).toMatch(/^筛选条件有误（filter\.==\[0\]）：应为「[^」]+」的字段/)
    await page.goto(`${site.url}${LIST}?filter=${encodeURIComponent('{oops')}`)
    await page.locator('[data-problem="filter"]').waitFor({ timeout: 20_000 })
    await page.screenshot({ path: '/tmp/tessera-e2e-list-badfilter.png', fullPage: true })
    await page.locator('[data-action="filter-reset"]').click()
    await page.locator('tr[data-row-key]').first().waitFor({ timeout: 20_000 })
  })

  it('shows a card per record on a phone, the amount on screen beside its label', async () => {
    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' })
    try {
      await signIn(phone, site.url)
      const first = (await api<Page$>(`${RECORDS}?pageSize=20&sort=-amount`)).items[0]
      await phone.goto(`${site.url}${LIST}?sort=-amount`)
      const card = phone.locator('[data-layout="cards"] .list-card').first()
      await card.waitFor({ timeout: 20_000 })
      expect(await phone.locator('table').count()).toBe(0)
      const amount = card.locator('dd[data-column="amount"]')
      const [whole] = String(first.values.amount).split('.')
      expect((await amount.textContent())?.replace(/,/g, '')).toContain(whole)
      // Within the screen's width: no sideways scrolling to read it.
      const box = await amount.boundingBox()
      expect(box!.x + box!.width).toBeLessThanOrEqual(390)
      await phone.screenshot({ path: '/tmp/tessera-e2e-list-phone.png' })
      await card.click()
      await phone.waitForURL(new RegExp(`/forms/invoice/${first.id}`), { timeout: 10_000 })

      // A drilled list's cards end with the totals of its shares, as the desktop table does.
      const { today } = await api<{ today: string }>('/api/settings')
      const drill = JSON.stringify({ dashboard: 'receivables', widget: 'total', params: { asOf: today }, filters: {}, path: {} })
      const listed = await api<{ total: number; drill: { totals: Record<string, string> } }>(
        `${RECORDS}?${new URLSearchParams({ drill, pageSize: '5' })}`)
      await phone.goto(`${site.url}${LIST}?${new URLSearchParams({ drill, pageSize: '5' })}`)
      const totals = phone.locator('[data-layout="cards"] .list-drill-totals')
      await totals.waitFor({ timeout: 20_000 })
      expect(JSON.parse(await totals.getAttribute('data-drill-totals') ?? '{}')).toEqual(listed.drill.totals)
      expect(await totals.textContent()).toContain(`合计（全部 ${listed.total} 条）`)
      await phone.screenshot({ path: '/tmp/tessera-e2e-list-phone-totals.png', fullPage: true })
    } finally {
      await phone.close()
    }
  })
})
