import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browserMissing, launchBrowser, signIn, startSite, type TestSite, showPageOnFailure } from './browser-harness.js'

const APP = 'customer-settlement'

// What a finance user types survives leaving the page (a draft, offered
// again), and "save and add another" keeps the form open for the next record.
describe.skipIf(browserMissing)('drafts and "save and add another" in Chromium', () => {
  let site: TestSite
  let browser: Browser
  let page: Page
  showPageOnFailure(() => page)

  const input = (key: string) => page.locator(`[data-field="${key}"] input`).first()
  const customersCoded = async (code: string) => {
    const filter = encodeURIComponent(JSON.stringify({ '==': [{ var: 'code' }, code] }))
    const response = await fetch(`${site.url}/api/apps/${APP}/forms/customer/records?filter=${filter}`,
      { headers: site.apiHeaders })
    return (await response.json()).items as { id: number; values: { name: string } }[]
  }

  beforeAll(async () => {
    site = await startSite({ demoSize: 10, sample: false })
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN' })
    await signIn(page, site.url)
  })
  afterAll(async () => {
    await browser?.close()
    await site?.close()
  })

  it('offers the unsaved values again, then saves and opens an empty form for the next record', async () => {
    await page.goto(`${site.url}/#/apps/${APP}/forms/customer/new`)
    await input('code').fill('DRAFT-1')
    await input('name').fill('草稿里的客户')
    // The draft is written after a pause in typing.
    await page.waitForTimeout(800)
    await page.goto(`${site.url}/#/apps/${APP}/forms/customer`)
    await page.locator('[data-action="new"]').waitFor()
    expect(await customersCoded('DRAFT-1')).toEqual([])

    await page.goto(`${site.url}/#/apps/${APP}/forms/customer/new`)
    await page.locator('[data-alert="draft"]').waitFor({ timeout: 15_000 })
    expect(await input('code').inputValue()).toBe('')
    await page.locator('[data-action="restore-draft"]').click()
    expect(await input('code').inputValue()).toBe('DRAFT-1')
    expect(await input('name').inputValue()).toBe('草稿里的客户')
    expect(await page.locator('[data-alert="draft"]').count()).toBe(0)

    await page.locator('[data-action="save-and-new"]').click()
    await expect.poll(() => customersCoded('DRAFT-1'), { timeout: 15_000 })
      .toEqual([expect.objectContaining({ values: expect.objectContaining({ name: '草稿里的客户' }) })])
    // Still the new-record page, empty again, ready for the next one.
    await expect.poll(() => input('code').inputValue(), { timeout: 10_000 }).toBe('')
    expect(page.url()).toContain('/forms/customer/new')

    await input('code').fill('NEXT-2')
    await input('name').fill('下一位客户')
    await page.locator('[data-action="save"]').click()
    await page.locator('[data-list="customer"]').waitFor({ timeout: 15_000 })
    expect(await customersCoded('NEXT-2')).toHaveLength(1)

    // Saved drafts are gone: the new form opens clean.
    await page.goto(`${site.url}/#/apps/${APP}/forms/customer/new`)
    await input('code').waitFor()
    await page.waitForTimeout(500)
    expect(await page.locator('[data-alert="draft"]').count()).toBe(0)
    await page.screenshot({ path: '/tmp/tessera-e2e-drafts.png', fullPage: true })
  })
  it('leaves a reader on the record they came back to while its save was answered', async () => {
    const [customer] = await customersCoded('NEXT-2')
    const id = customer!.id
    const recordUrl = `${site.url}/#/apps/${APP}/forms/customer/${id}`
    await page.goto(recordUrl)
    await expect.poll(() => input('name').inputValue(), { timeout: 10_000 }).toBe('下一位客户')
    await input('name').fill('回来之后的客户')

    // The save is held until the reader has gone to the list and back to the record.
    let release!: () => void
    const held = new Promise<void>((resolve) => { release = resolve })
    await page.route(`**/api/apps/${APP}/forms/customer/records/${id}`, async (route) => {
      if (route.request().method() === 'GET') return route.continue()
      await held
      await route.continue()
    })
    await page.locator('[data-action="save"]').click()
    // To the list and back before the app hears of either move (as a quick Back and Forward can).
    await page.evaluate((app) => {
      const here = window.location.hash
      window.location.hash = `#/apps/${app}/forms/customer`
      window.location.hash = here
    }, APP)
    release()
    await page.locator('.ant-message').getByText('已保存').waitFor({ timeout: 15_000 })
    await expect.poll(async () => (await customersCoded('NEXT-2'))[0]?.values.name).toBe('回来之后的客户')
    // The save that was begun on the first visit does not take the reader to the list.
    await page.waitForTimeout(300)
    expect(page.url()).toBe(recordUrl)
    await page.unroute(`**/api/apps/${APP}/forms/customer/records/${id}`)
  })
})
