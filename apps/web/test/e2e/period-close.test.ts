import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browserMissing, launchBrowser, signIn, startSite, type TestSite, showPageOnFailure } from './browser-harness.js'

const APP = 'customer-settlement'

// An administrator closes the periods through a date on the admin page; an
// invoice of the closed period then opens read-only, and a receipt dated in
// it is refused under its date field.
describe.skipIf(browserMissing)('closing periods in Chromium', () => {
  let site: TestSite
  let browser: Browser
  let page: Page
  showPageOnFailure(() => page)
  let old: { id: number; number: string; invoice_date: string }

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${site.url}${path}`, { headers: site.apiHeaders })
    expect(response.status, path).toBe(200)
    return (await response.json()) as T
  }

  beforeAll(async () => {
    site = await startSite({ demoSize: 40, sample: false })
    const { items } = await api<{ items: { id: number; values: Record<string, string> }[] }>(
      `/api/apps/${APP}/forms/invoice/records?pageSize=1&sort=invoice_date`)
    old = { id: items[0].id, number: items[0].values.number, invoice_date: items[0].values.invoice_date }
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
    await signIn(page, site.url)
  })
  afterAll(async () => {
    await browser?.close()
    await site?.close()
  })

  it('closes the periods through a date picked on the admin page', async () => {
    await page.locator('[data-action="user-menu"]').click()
    await page.locator('[data-menu="admin:periods"]').click()
    const state = page.locator('[data-closed-through]')
    await state.waitFor({ timeout: 20_000 })
    expect(await state.getAttribute('data-closed-through')).toBe('')
    expect(await state.textContent()).toContain('尚未结账')

    const input = page.locator('[data-page="admin-periods"] .ant-picker input')
    await input.click()
    await input.fill(old.invoice_date)
    await input.press('Enter')
    await page.locator('[data-action="close-periods"]').click()
    await page.locator('[data-action="confirm-close"]').click()
    await expect.poll(() => state.getAttribute('data-closed-through'), { timeout: 15_000 }).toBe(old.invoice_date)
    expect(await state.textContent()).toContain(`已结账至 ${old.invoice_date}`)
    expect((await api<{ closedThrough: string }>('/api/settings')).closedThrough).toBe(old.invoice_date)
    await page.screenshot({ path: '/tmp/tessera-e2e-period-close.png', fullPage: true })

    // The audit trail names the close as people say it, beside its code.
    await page.goto(`${site.url}/#/admin/audit`)
    const action = page.locator('[data-audit-action="period.close"]').first()
    await action.waitFor({ timeout: 20_000 })
    expect(await action.textContent()).toBe('结账 period.close')
    const row = page.locator('[data-audit-row]', { has: action })
    expect(await row.locator('[data-audit-actor]').textContent()).toMatch(/^测试管理员 \d+$/)
  })

  it('opens an invoice of the closed period read-only, saying why', async () => {
    await page.goto(`${site.url}/#/apps/${APP}/forms/invoice/${old.id}`)
    const notice = page.locator('[data-alert="closed-period"]')
    await notice.waitFor({ timeout: 20_000 })
    expect(await notice.textContent())
      .toBe(`开票日期 ${old.invoice_date} 在已结账期间内（已结账至 ${old.invoice_date}），这条记录不能再修改或删除。`)
    expect(await page.locator('[data-action="save"]').count()).toBe(0)
    expect(await page.locator('[data-action="delete"]').count()).toBe(0)
    expect(await page.locator('.page-title').textContent()).toBe(`发票（应收） · ${old.number}`)
    expect(await page.locator('[data-action="cancel"]').textContent()).toBe('返 回')
    // Shown, not editable.
    expect(await page.locator('.record-form [data-field="amount"] input').isDisabled()).toBe(true)
    await page.screenshot({ path: '/tmp/tessera-e2e-closed-invoice.png' })
  })

  it('names the closed period under the date of a receipt dated in it, and writes nothing', async () => {
    await page.goto(`${site.url}/#/apps/${APP}/forms/receipt/new`)
    const field = (key: string) => page.locator(`.record-form [data-field="${key}"]`)
    await field('number').locator('input').waitFor({ timeout: 20_000 })
    await field('number').locator('input').fill('R-CLOSED-1')
    await field('customer').locator('.ant-select').click()
    await page.keyboard.type('公司')
    await page.locator('.ant-select-item-option', { hasText: '公司' }).first().click()
    const date = field('date').locator('input')
    await date.click()
    await date.fill(old.invoice_date)
    await date.press('Enter')
    await field('amount').locator('input').fill('10.00')
    await page.locator('[data-action="save"]').click()

    const message = field('date').locator('.ant-form-item-explain-error')
    await expect.poll(() => message.textContent(), { timeout: 10_000 })
      .toBe(`收款日期 ${old.invoice_date} 在已结账期间内（已结账至 ${old.invoice_date}），不能新建该期间的记录`)
    expect((await api<{ total: number }>(`/api/apps/${APP}/forms/receipt/records?q=R-CLOSED-1`)).total).toBe(0)
    await page.screenshot({ path: '/tmp/tessera-e2e-closed-receipt.png' })
  })

  it('turns a page read-only, showing what is stored, when a close made meanwhile refuses its save', async () => {
    const { items } = await api<{ items: { id: number; values: Record<string, string> }[] }>(
      `/api/apps/${APP}/forms/invoice/records?pageSize=50&sort=invoice_date`)
    const open = items.find((item) => item.values.invoice_date > old.invoice_date)!
    await page.goto(`${site.url}/#/apps/${APP}/forms/invoice/${open.id}`)
    const amount = page.locator('.record-form [data-field="amount"] input')
    await expect.poll(() => amount.inputValue(), { timeout: 20_000 }).not.toBe('')
    const stored = await amount.inputValue()
    await amount.fill('1.23')
    // Another administrator closes through this invoice's date meanwhile.
    const closing = await fetch(`${site.url}/api/admin/period-close`, {
      method: 'PUT', headers: { ...site.apiHeaders, 'content-type': 'application/json' },
      body: JSON.stringify({ closedThrough: open.values.invoice_date }),
    })
    expect(closing.status).toBe(200)
    await page.locator('[data-action="save"]').click()
    await page.locator('[data-alert="closed-period"]').waitFor({ timeout: 15_000 })
    expect(await page.locator('[data-action="save"]').count()).toBe(0)
    expect(await amount.inputValue()).toBe(stored)
    expect(await page.locator('[data-alert="issues"]').textContent()).toContain('不能修改该期间的记录')
  })

  it('reopens every period', async () => {
    await page.goto(`${site.url}/#/admin/periods`)
    await page.locator('[data-action="reopen-periods"]').click()
    await page.locator('[data-action="confirm-reopen"]').click()
    await expect.poll(() => page.locator('[data-closed-through]').getAttribute('data-closed-through'), { timeout: 15_000 }).toBe('')
    await page.goto(`${site.url}/#/apps/${APP}/forms/invoice/${old.id}`)
    await page.locator('[data-action="save"]').waitFor({ timeout: 20_000 })
    expect(await page.locator('[data-alert="closed-period"]').count()).toBe(0)
  })
})
