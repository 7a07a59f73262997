import type { Browser, Page } from 'playwright-core'
import { addDays } from '@tessera/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browserMissing, launchBrowser, signIn, startSite, type TestSite, showPageOnFailure } from './browser-harness.js'

const APP = 'customer-settlement'
const NAME = '<img src=x onerror=window.__pwned=1>'
const REGION = '<script>window.__pwned=2</script>'
const ROLE_LABEL = '<img src=y onerror="window.__pwned=3">'
const CONTRACT = '"><svg onload=window.__pwned=4>'

// Text that people type, and labels that administrators write, are shown
// as text: a customer named like an HTML image with an onerror handler
// must appear literally on every page and run nothing.
describe.skipIf(browserMissing)('script in values and labels stays inert in Chromium', () => {
  let site: TestSite
  let browser: Browser
  let page: Page
  showPageOnFailure(() => page)
  let customerId = 0

  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${site.url}/api${path}`, {
      method,
      headers: { ...site.apiHeaders, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    expect(response.status, `${method} ${path}: ${await response.clone().text()}`).toBeLessThan(300)
    return response.json()
  }

  const pwned = () => page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)

  async function visit(hash: string, literal: string) {
    await page.goto(`${site.url}/#${hash}`)
    try {
      await expect.poll(() => page.getByText(literal, { exact: false }).count(), { timeout: 20_000 })
        .toBeGreaterThan(0)
    } catch (error) {
      await page.screenshot({ path: `/tmp/tessera-e2e-inert-failed.png`, fullPage: true })
      throw error
    }
    expect(await pwned(), hash).toBeUndefined()
    expect(await page.locator('img[src="x"], img[src="y"], svg[onload]').count(), hash).toBe(0)
  }

  beforeAll(async () => {
    site = await startSite({ demoSize: 40, sample: false })
    const today = (await api('GET', '/settings')).today as string
    const customer = await api('POST', `/apps/${APP}/forms/customer/records`, {
      values: { code: 'XSS-1', name: NAME, region: REGION, credit_limit: '1.00' },
    })
    customerId = customer.id
    await api('POST', `/apps/${APP}/forms/invoice/records`, {
      values: {
        number: 'XSS-INV-1', customer: customerId, contract_no: CONTRACT,
        invoice_date: addDays(today, -90), due_date: addDays(today, -60), amount: '99999999.00',
      },
    })
    await api('PATCH', `/apps/${APP}/forms/customer/records/${customerId}`, {
      version: customer.version, values: { region: `${REGION}!` },
    })
    const role = await api('GET', `/admin/apps/${APP}/roles/general_manager`)
    await api('PUT', `/admin/apps/${APP}/roles/general_manager`, { ...role, label: ROLE_LABEL })

    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
    await signIn(page, site.url)
  })
  afterAll(async () => {
    await browser?.close()
    await site?.close()
  })

  it('shows the customer list, the record form and its history as text', async () => {
    await visit(`/apps/${APP}/forms/customer?q=XSS-1`, NAME)
    await visit(`/apps/${APP}/forms/customer/${customerId}`, REGION)
    await expect.poll(() => page.locator('[data-history] [data-event="record.update"]').count(), { timeout: 15_000 })
      .toBe(1)
    expect(await page.locator('[data-history]').textContent()).toContain(`${REGION}!`)
    expect(await pwned()).toBeUndefined()
    // The invoice list names its customer through the link's title.
    await visit(`/apps/${APP}/forms/invoice?q=XSS-INV`, NAME)
  })

  it('shows the dashboard with the customer among the top overdue as text', async () => {
    await visit(`/apps/${APP}/dashboards/receivables`, NAME)
    await page.screenshot({ path: '/tmp/tessera-e2e-inert-dashboard.png', fullPage: true })
  })

  it('shows role labels and the audit trail as text', async () => {
    await visit('/admin/roles', ROLE_LABEL)
    await visit('/admin/audit', 'role.save')
    await page.locator('[data-audit-row]', { hasText: 'role.save' }).first()
      .locator('.ant-table-row-expand-icon').click()
    await expect.poll(() => page.getByText(ROLE_LABEL).count(), { timeout: 10_000 }).toBeGreaterThan(0)
    expect(await pwned()).toBeUndefined()
  })
})
