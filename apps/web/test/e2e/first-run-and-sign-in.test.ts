import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browserMissing, launchBrowser, startSite, type TestSite, showPageOnFailure } from './browser-harness.js'

const BOSS = { username: 'boss', displayName: '老板', password: 'amber-harbour-77' }

// A fresh installation, as its first visitor meets it: no account, no
// default password, the setup page; then signing out and in, and the
// identity admin pages.
describe.skipIf(browserMissing)('first run, sign-in and identity pages in Chromium', () => {
  let site: TestSite
  let browser: Browser
  let page: Page
  showPageOnFailure(() => page)

  const field = (key: string) => page.locator(`[data-field="${key}"] input`)
  const pick = async (select: ReturnType<Page['locator']>, text: string, option = '.ant-select-item-option') => {
    await select.click()
    await page.locator(`.ant-select-dropdown:visible ${option}`, { hasText: text }).first().click()
  }

  beforeAll(async () => {
    site = await startSite({ demoSize: 60, sample: false, setup: false })
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
  })
  afterAll(async () => {
    await browser?.close()
    await site?.close()
  })

  it('asks for the administrator account on first run and signs them in', async () => {
    await page.goto(`${site.url}/`)
    await page.locator('[data-page="setup"]').waitFor({ timeout: 20_000 })
    expect(await page.locator('[data-page="setup"]').textContent()).toContain('没有默认密码')
    await page.screenshot({ path: '/tmp/tessera-e2e-setup.png' })

    await field('username').fill(BOSS.username)
    await field('displayName').fill(BOSS.displayName)
    await field('password').fill(BOSS.password)
    await field('passwordAgain').fill(BOSS.password + 'x')
    await page.locator('[data-action="setup"]').click()
    await expect.poll(() => page.locator('[data-field="passwordAgain"]').textContent()).toContain('不一致')

    await field('passwordAgain').fill(BOSS.password)
    await page.locator('[data-action="setup"]').click()
    await page.locator('[data-action="user-menu"]').waitFor({ timeout: 20_000 })
    expect(await page.locator('[data-action="user-menu"]').textContent()).toContain('老板')
    await expect.poll(() => page.locator('[data-widget="total"]').count(), { timeout: 20_000 }).toBe(1)

    const state = await fetch(`${site.url}/api/auth/state`)
    expect(await state.json()).toEqual({ setupNeeded: false })
  })

  it('signs out, refuses a wrong password, and signs in again', async () => {
    await page.locator('[data-action="user-menu"]').click()
    await page.locator('[data-action="logout"]').click()
    await page.locator('[data-page="login"]').waitFor({ timeout: 30_000 })

    await field('username').fill(BOSS.username)
    await field('password').fill('not-the-password-1')
    await page.locator('[data-action="login"]').click()
    await expect.poll(() => page.locator('[data-state="auth-error"]').textContent(), { timeout: 10_000 }).toContain('用户名或密码不正确')
    await page.screenshot({ path: '/tmp/tessera-e2e-login.png' })

    await field('password').fill(BOSS.password)
    await page.locator('[data-action="login"]').click()
    await page.locator('[data-action="user-menu"]').waitFor({ timeout: 20_000 })
    const cookies = await page.context().cookies()
    expect(cookies.find((c) => c.name === 'tessera_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' })
  })

  it('creates a user, a department and an API token that works once copied', async () => {
    await page.goto(`${site.url}/#/admin/departments`)
    await page.locator('[data-action="new-department"]').click()
    await page.locator('.ant-modal [data-field="name"] input').fill('财务部')
    await page.locator('[data-action="save-department"]').click()
    await page.locator('[data-department="财务部"]').waitFor({ timeout: 10_000 })

    await page.goto(`${site.url}/#/admin/users`)
    await page.locator('[data-user="boss"]').waitFor({ timeout: 10_000 })
    await page.locator('[data-action="new-user"]').click()
    const dialog = page.locator('.ant-modal')
    await dialog.locator('[data-field="username"] input').fill('li.na')
    await dialog.locator('[data-field="displayName"] input').fill('李娜')
    await dialog.locator('[data-field="password"] input').fill('river-stone-2026')
    await pick(dialog.locator('[data-field="departmentId"] .ant-select'), '财务部', '.ant-select-tree-title')
    await page.locator('[data-action="save-user"]').click()
    await page.locator('[data-user="li.na"]').waitFor({ timeout: 10_000 })
    expect(await page.locator('[data-user="li.na"]').textContent()).toContain('财务部')
    // The account's id shows in its row (a text field holding an account takes it).
    const users = await page.evaluate(async () => (await fetch('/api/admin/users')).json()) as Array<{ id: number; username: string }>
    const id = users.find((user) => user.username === 'li.na')?.id
    expect(await page.locator('[data-user="li.na"] td').first().textContent()).toBe(String(id))
    await page.screenshot({ path: '/tmp/tessera-e2e-users.png' })

    await page.goto(`${site.url}/#/admin/tokens`)
    await page.locator('[data-action="new-token"]').click()
    const tokenDialog = page.locator('.ant-modal', { has: page.locator('[data-field="name"]') })
    await tokenDialog.locator('[data-field="name"] input').fill('ERP')
    const scope = tokenDialog.locator('[data-scope="0"]')
    await pick(scope.locator('.ant-select').nth(0), '客户结算')
    await pick(scope.locator('.ant-select').nth(1), '表单：客户')
    await scope.locator('.ant-checkbox-wrapper', { hasText: '读取' }).click()
    await page.locator('[data-action="save-token"]').click()

    const shown = page.locator('[data-token-secret]')
    await shown.waitFor({ timeout: 10_000 })
    const secret = await shown.getAttribute('data-token-secret')
    expect(secret).toMatch(/^tsr_/)
    await page.screenshot({ path: '/tmp/tessera-e2e-token.png' })
    await page.locator('[data-action="token-copied"]').click()
    await expect.poll(() => page.locator('[data-token-secret]').count(), { timeout: 10_000 }).toBe(0)
    expect(await page.content()).not.toContain(secret!)

    const withToken = (path: string) => fetch(`${site.url}${path}`, { headers: { authorization: `Bearer ${secret}` } })
    expect((await withToken('/api/apps/customer-settlement/forms/customer/records')).status).toBe(200)
    expect((await withToken('/api/apps/customer-settlement/forms/invoice/records')).status).toBe(403)

    await page.locator('[data-token="ERP"] [data-action="revoke-token"]').click()
    await page.locator('.ant-popconfirm .ant-btn-primary').click()
    await expect.poll(async () => (await withToken('/api/apps/customer-settlement/forms/customer/records')).status, { timeout: 10_000 }).toBe(401)
  })
})
