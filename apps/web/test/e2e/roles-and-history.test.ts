import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browserMissing, launchBrowser, signIn, startSite, type TestSite, showPageOnFailure } from './browser-harness.js'

const APP = 'customer-settlement'
const SALES = { username: 'sales.li', password: 'river-stone-2026!', displayName: '李销售' }

// An administrator edits a role as metadata on the roles page; a
// salesperson then sees only their own customers, without the hidden
// credit limit, and each record shows its history.
describe.skipIf(browserMissing)('roles, hidden fields and history in Chromium', () => {
  let site: TestSite
  let browser: Browser
  let page: Page
  showPageOnFailure(() => page)
  let mine: { id: number; code: string; name: string }
  let salesId = 0

  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${site.url}/api${path}`, {
      method,
      headers: { ...site.apiHeaders, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await response.text()
    expect(response.status, `${method} ${path}: ${text.slice(0, 300)}`).toBeLessThan(300)
    return text ? JSON.parse(text) : undefined
  }

  beforeAll(async () => {
    site = await startSite({ demoSize: 40, sample: false })
    const user = await api('POST', '/admin/users', { ...SALES, roles: [`${APP}/salesperson`] })
    salesId = user.id
    const first = (await api('GET', `/apps/${APP}/forms/customer/records?pageSize=1&sort=id`)).items[0]
    await api('PATCH', `/apps/${APP}/forms/customer/records/${first.id}`, {
      version: first.version, values: { owner: String(salesId) },
    })
    mine = { id: first.id, code: first.values.code, name: first.values.name }
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
  })
  afterAll(async () => {
    await browser?.close()
    await site?.close()
  })

  it('edits a role on the roles page and saves it as metadata', async () => {
    await signIn(page, site.url)
    await page.goto(`${site.url}/#/admin/roles`)
    await page.locator('[data-role-tab="general_manager"]').click()
    const editor = page.locator('[data-role-editor="general_manager"]')
    await editor.waitFor({ timeout: 20_000 })
    await editor.locator('[data-form-grant="invoice"] [data-action-box="export"]').click()
    await editor.locator('[data-form-grant="customer"] [data-field-rule="credit_limit"]')
      .getByText('隐藏').click()
    await editor.locator('[data-action="save-role"]').click()

    await expect.poll(async () => (await api('GET', `/admin/apps/${APP}/roles/general_manager`)).forms.invoice.actions,
      { timeout: 15_000 }).toEqual(['read', 'export'])
    const role = await api('GET', `/admin/apps/${APP}/roles/general_manager`)
    expect(role.forms.customer).toEqual({ actions: ['read'], fields: { credit_limit: 'hidden' } })
    const audit = await api('GET', '/admin/audit?action=role.save&app=customer-settlement')
    expect(audit.items[0].after.forms.invoice.actions).toEqual(['read', 'export'])
  })

  it('shows a salesperson only their customers, without the credit limit', async () => {
    await page.locator('[data-action="user-menu"]').click()
    await page.locator('[data-action="logout"]').click()
    await signIn(page, site.url, SALES)

    await page.goto(`${site.url}/#/apps/${APP}/forms/customer`)
    await expect.poll(() => page.locator('.ant-table-tbody tr.ant-table-row').count(), { timeout: 20_000 }).toBe(1)
    expect(await page.locator('.ant-table-tbody').textContent()).toContain(mine.name)
    // Without the create action the list offers no "New".
    expect(await page.locator('[data-action="new"]').count()).toBe(0)
    expect(await page.locator('.ant-table-thead').textContent()).not.toContain('信用额度')

    await page.goto(`${site.url}/#/apps/${APP}/forms/customer/${mine.id}`)
    await page.locator('[data-history]').waitFor({ timeout: 20_000 })
    expect(await page.locator('.record-page').textContent()).not.toContain('信用额度')
    // A salesperson may update their customers but not delete them.
    expect(await page.locator('[data-action="save"]').count()).toBe(1)
    expect(await page.locator('[data-action="delete"]').count()).toBe(0)
    // Code and owner are read-only for them: shown, not editable; the name is theirs to change.
    await expect.poll(() => page.locator('[data-field="code"] input').inputValue(), { timeout: 15_000 }).toBe(mine.code)
    expect(await page.locator('[data-field="code"] input').isDisabled()).toBe(true)
    expect(await page.locator('[data-field="owner"] input').isDisabled()).toBe(true)
    expect(await page.locator('[data-field="name"] input').isDisabled()).toBe(false)
    await expect.poll(() => page.locator('[data-history] [data-event="record.create"]').count(), { timeout: 15_000 })
      .toBe(1)
    // The demo data was imported by the platform itself: named, not shown as its id "system".
    expect(await page.locator('[data-history] [data-event="record.create"]').textContent()).toContain('· 系统')
    expect(await page.locator('[data-history]').textContent()).not.toContain('信用额度')
    await page.screenshot({ path: '/tmp/tessera-e2e-salesperson-record.png', fullPage: true })

    // A form they may not create records of, reached by a typed address: told so, no form to fill.
    await page.goto(`${site.url}/#/apps/${APP}/forms/write_off/new`)
    await page.locator('[data-cannot-create]').waitFor({ timeout: 15_000 })
    expect(await page.locator('[data-cannot-create]').textContent()).toContain('你无权新建「核销冲减」的记录')
    expect(await page.locator('.record-form').count()).toBe(0)
    expect(await page.locator('[data-cannot-create]').textContent()).not.toMatch(/[A-Za-z]{4}/)
  })

  it('shows a salesperson only their customers on the dashboard and in its pickers', async () => {
    const asOf = '2026-12-31'
    await page.goto(`${site.url}/#/apps/${APP}/dashboards/receivables?asOf=${asOf}`)
    await page.locator('[data-widget="total"][data-state="ready"]').waitFor({ timeout: 20_000 })

    // The figures are the salesperson's own: what the API answers for this
    // session, and not what it answers for the administrator.
    const own = await (await page.request.get(`${site.url}/api/apps/${APP}/reports/receivables_summary/run?asOf=${asOf}`)).json()
    const all = await api('GET', `/apps/${APP}/reports/receivables_summary/run?asOf=${asOf}`)
    expect(await page.locator('[data-widget="total"] [data-value]').getAttribute('data-value')).toBe(own.rows[0].open)
    expect(own.rows[0].open).not.toBe(all.rows[0].open)
    expect(own.rows[0].customers).toBeLessThanOrEqual(1)

    await page.locator('[data-widget="top_overdue"][data-state="ready"]').waitFor({ timeout: 20_000 })
    const top = JSON.parse(await page.locator('[data-widget="top_overdue"] [data-rows]').first().getAttribute('data-rows') ?? '[]')
    for (const row of top) expect(row.customer).toBe(mine.name)

    // The customer filter is a picker: it offers their customer and no other.
    await page.locator('[data-filter="customer"] .ant-select').click()
    const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option')
    await expect.poll(() => options.count(), { timeout: 15_000 }).toBe(1)
    expect(await options.first().textContent()).toContain(mine.name)
    await page.keyboard.press('Escape')
  })
})
