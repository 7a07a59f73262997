import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type FormDefinition } from '@tessera/core'
import { browserMissing, launchBrowser, signIn, startSite, type TestSite, showPageOnFailure } from './browser-harness.js'

const APP = 'customer-settlement'

/** A visit log with people and files; published next to the template's forms. */
const visit: FormDefinition = {
  key: 'visit',
  label: { 'zh-CN': '客户拜访', en: 'Visit' },
  titleField: 'subject',
  fields: [
    { key: 'subject', type: 'text', label: '主题', required: true },
    { key: 'owner', type: 'member', label: '负责人', required: true, default: '$me' },
    { key: 'helpers', type: 'member', multiple: true, label: '陪同人' },
    { key: 'team', type: 'department', label: '部门' },
    { key: 'files', type: 'attachment', multiple: true, label: '附件', accept: ['.pdf', 'image/*'], maxSize: 100_000 },
    { key: 'visited_at', type: 'datetime', label: '拜访时间' },
    { key: 'note', type: 'text', label: '备注', maxLength: 20 },
  ],
  ui: { list: { columns: ['subject', 'owner', 'helpers', 'team', 'files'] } },
}

interface Saved {
  id: number
  values: Record<string, unknown>
  titles: Record<string, string | null>
}

describe.skipIf(browserMissing)('member, department and attachment fields in Chromium', () => {
  let site: TestSite
  let browser: Browser
  let page: Page
  showPageOnFailure(() => page)
  let wang: number
  let sales: number

  const api = async <T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> => {
    const response = await fetch(`${site.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'accept-language': 'zh-CN', 'content-type': 'application/json', ...site.apiHeaders },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    })
    expect(response.status, `${path}: ${response.status}`).toBeLessThan(300)
    return response.json() as Promise<T>
  }
  const field = (key: string) => page.locator(`.record-form [data-field="${key}"]`)

  beforeAll(async () => {
    site = await startSite({ demoSize: 10, sample: false })
    await site.platform.catalog.saveDraft(APP, visit)
    await site.platform.catalog.publish(APP, ['visit'], SYSTEM_ACTOR)
    sales = (await api<{ id: number }>('/api/admin/departments', { method: 'POST', body: { name: '销售部' } })).id
    wang = (await api<{ id: number }>('/api/admin/users', {
      method: 'POST',
      body: { username: 'wangfang', displayName: '王芳', password: 'wang-fang-2026!', departmentId: sales },
    })).id
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 }, locale: 'zh-CN' })
    await signIn(page, site.url)
  })
  afterAll(async () => {
    await browser?.close()
    await site?.close()
  })

  it('picks a member and a department, uploads a file, saves, and shows them on the record', async () => {
    await page.goto(`${site.url}/#/apps/${APP}/forms/visit/new`)
    await field('subject').locator('input').fill('季度对账拜访')
    // "$me": the signed-in administrator is the owner already.
    await expect.poll(() => field('owner').locator('.ant-select-content').textContent(), { timeout: 10_000 })
      .toContain('测试管理员')

    // Enter at once, before the search's results have come: the first of them is added when they do.
    await field('helpers').locator('.ant-select').click()
    await field('helpers').locator('input').fill('王')
    await page.keyboard.press('Enter')
    await expect.poll(() => field('helpers').textContent(), { timeout: 10_000 }).toContain('王芳 · 销售部')
    await page.keyboard.press('Escape')

    await field('team').locator('.ant-select').click()
    await page.locator('.ant-select-tree-title', { hasText: '销售部' }).click()
    await page.keyboard.press('Escape')

    await field('files').locator('input[type="file"]').setInputFiles({
      name: '拜访纪要.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4 visit notes'),
    })
    const uploaded = field('files').locator('.ant-upload-list-item', { hasText: '拜访纪要.pdf' })
    await expect.poll(() => uploaded.locator('a').getAttribute('href'), { timeout: 10_000 })
      .toMatch(/^\/api\/files\/\d+$/)

    // A file the field does not take never leaves the browser.
    await field('files').locator('input[type="file"]').setInputFiles({
      name: 'setup.exe', mimeType: 'application/x-msdownload', buffer: Buffer.from('MZ'),
    })
    await page.locator('.ant-message', { hasText: 'setup.exe' }).waitFor({ timeout: 10_000 })
    await expect.poll(() => field('files').locator('.ant-upload-list-item-name').allTextContents())
      .toEqual(['拜访纪要.pdf'])
    await page.screenshot({ path: '/tmp/tessera-e2e-member-attachment-form.png', fullPage: true })

    await page.locator('[data-action="save"]').click()
    await expect.poll(async () => (await api<{ total: number }>(`/api/apps/${APP}/forms/visit/records`)).total,
      { timeout: 10_000 }).toBe(1)
    const { items } = await api<{ items: Saved[] }>(`/api/apps/${APP}/forms/visit/records`)
    const saved = items[0]
    expect(saved.values).toMatchObject({
      subject: '季度对账拜访', helpers: [wang], team: sales,
      files: [{ id: expect.any(Number), name: '拜访纪要.pdf', size: 20, type: 'application/pdf' }],
    })
    expect(saved.titles).toMatchObject({ owner: '测试管理员', helpers: '王芳', team: '销售部' })

    // The list shows names and file names.
    const row = page.locator('[data-list="visit"] .list-row').first()
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('王芳')
    const text = await row.textContent()
    expect(text).toContain('测试管理员')
    expect(text).toContain('销售部')
    expect(text).toContain('拜访纪要.pdf')
    await page.screenshot({ path: '/tmp/tessera-e2e-member-attachment-list.png', fullPage: true })

    // The record shows the names, and its file downloads through the record.
    await page.goto(`${site.url}/#/apps/${APP}/forms/visit/${saved.id}`)
    await expect.poll(() => field('helpers').textContent(), { timeout: 10_000 }).toContain('王芳 · 销售部')
    expect(await field('team').textContent()).toContain('销售部')
    const file = (saved.values.files as { id: number }[])[0]
    const link = field('files').locator('.ant-upload-list-item a').first()
    expect(await link.getAttribute('href'))
      .toBe(`/api/apps/${APP}/forms/visit/records/${saved.id}/files/${file.id}`)
    const body = await page.evaluate(async (href) => (await fetch(href!)).text(), await link.getAttribute('href'))
    expect(body).toBe('%PDF-1.4 visit notes')
    await page.screenshot({ path: '/tmp/tessera-e2e-member-attachment-record.png', fullPage: true })
  })

  it('takes a moment typed into a date-time field, with seconds, and a change typed over it', async () => {
    await page.goto(`${site.url}/#/apps/${APP}/forms/visit/new`)
    await field('subject').locator('input').fill('夜间到访')
    const moment = field('visited_at').locator('input')
    await moment.click()
    await moment.fill('2025-03-31 23:30:00')
    await page.keyboard.press('Enter')
    await page.locator('[data-action="save"]').click()
    const find = async () => (await api<{ items: Saved[] }>(`/api/apps/${APP}/forms/visit/records?q=${encodeURIComponent('夜间到访')}`)).items[0]
    await expect.poll(async () => (await find())?.values.visited_at, { timeout: 10_000 }).toBe('2025-03-31T15:30:00.000Z')

    // Typed over and left by a click elsewhere, without the picker's buttons: the new moment is kept.
    const saved = await find()
    await page.goto(`${site.url}/#/apps/${APP}/forms/visit/${saved.id}`)
    await expect.poll(() => moment.inputValue(), { timeout: 10_000 }).toBe('2025-03-31 23:30')
    await moment.click()
    await moment.press('Control+A')
    await moment.pressSequentially('2025-04-01 00:15')
    await field('subject').locator('input').click()
    await expect.poll(() => moment.inputValue()).toBe('2025-04-01 00:15')
    await page.locator('[data-action="save"]').click()
    await expect.poll(async () => (await find())?.values.visited_at, { timeout: 10_000 }).toBe('2025-03-31T16:15:00.000Z')

    // Text that reads as no moment is named under the field, and the value stays.
    // A fresh load of the record once the save has taken the page back to the list.
    await page.locator('[data-list="visit"]').waitFor({ timeout: 15_000 })
    await page.goto(`${site.url}/#/apps/${APP}/forms/visit/${saved.id}`)
    await page.reload()
    await moment.waitFor({ timeout: 15_000 })
    await expect.poll(() => moment.inputValue(), { timeout: 10_000 }).toBe('2025-04-01 00:15')
    await moment.click()
    await moment.press('Control+A')
    await moment.pressSequentially('2025-04-01 25:99')
    await field('subject').locator('input').click()
    const dropped = field('visited_at').locator('[data-date-dropped]')
    await expect.poll(() => dropped.textContent(), { timeout: 5_000 })
      .toBe('「拜访时间」中输入的「2025-04-01 25:99」不是日期时间（YYYY-MM-DD HH:mm），没有填入，该字段仍为原值')
  })

  it('keeps a pasted text past its limit whole, and says so instead of cutting it', async () => {
    await page.goto(`${site.url}/#/apps/${APP}/forms/visit/new`)
    await field('subject').locator('input').fill('超长备注')
    const long = '这是一段从邮件里粘贴过来的很长的备注，超过了二十个字的限制'
    await field('note').locator('input').fill(long)
    expect(await field('note').locator('input').inputValue()).toBe(long)
    await page.locator('[data-action="save"]').click()
    await expect.poll(() => field('note').textContent(), { timeout: 10_000 }).toContain('「备注」最多 20 个字符')
    const { total } = await api<{ total: number }>(`/api/apps/${APP}/forms/visit/records?q=${encodeURIComponent('超长备注')}`)
    expect(total).toBe(0)
  })
})
