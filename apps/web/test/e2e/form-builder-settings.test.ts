import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browserMissing, newForm, openSignedIn, type TestSite, showPageOnFailure } from './browser-harness.js'

const APP = 'customer-settlement'
const SHOTS = process.env.TESSERA_SHOTS ?? '/tmp'
const MEGABYTE = 1024 * 1024

type Values = Record<string, unknown>
interface Listed { id: number; values: Values; titles?: Record<string, string> }

/**
 * The form-level settings of the builder that used to need JSON: field and
 * form descriptions, attachment limits, the list's columns and sort, sets
 * of fields unique together and agreements along links. An administrator
 * sets each on the page, publishes, and the generated form holds to them.
 */
describe.skipIf(browserMissing)('the form builder settings in Chromium', () => {
  let site: TestSite
  let browser: Browser
  let page: Page
  showPageOnFailure(() => page)

  const api = async <T>(path: string, init: { method?: string; body?: unknown } = {}) => {
    const response = await fetch(`${site.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'accept-language': 'zh-CN', 'content-type': 'application/json', ...site.apiHeaders },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    })
    return { status: response.status, body: (await response.json()) as T }
  }
  const get = async <T>(path: string): Promise<T> => {
    const { status, body } = await api<T>(path)
    expect(status, path).toBe(200)
    return body
  }
  const side = (hook: string) => page.locator(`.fb-side [data-setting="${hook}"]`)
  const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 10_000 })
  const open = () => page.locator('.ant-select-dropdown').filter({ visible: true })
  const option_ = (text: string) =>
    page.locator('.ant-select-dropdown .ant-select-item-option', { hasText: text }).filter({ visible: true }).first()
  /** Picks options of an antd select (one, or several of a multiple one), then closes it. */
  const pick = async (scope: Locator, ...options: string[]) => {
    const isSelect = await scope.evaluate((node) => node.classList.contains('ant-select'))
    const box = isSelect ? scope : scope.locator('.ant-select').first()
    const shown = (option: string) => box.textContent().then((text) => text?.includes(option.split(' ')[0]))
    for (const option of options) {
      // The panel redraws as the definition changes, which may close the dropdown under a click.
      for (let attempt = 0; attempt < 3 && !(await shown(option)); attempt += 1) {
        if ((await open().count()) === 0) await box.click()
        await option_(option).click({ timeout: 5_000 }).catch(() => undefined)
      }
    }
    if ((await open().count()) > 0) await page.keyboard.press('Escape')
    await poll(() => open().count()).toBe(0)
    for (const option of options) await poll(() => shown(option)).toBe(true)
  }
  const fillKey = async (key: string) => {
    const input = side('key').locator('input')
    await input.fill(key)
    await input.press('Enter')
  }
  const addField = async (entry: string, key: string, label: string) => {
    await page.locator(`[data-palette="${entry}"]`).click()
    await side('label-zh').locator('input').fill(label)
    await fillKey(key)
    await page.locator(`[data-canvas-field="${key}"]`).waitFor()
  }
  const shot = async (locator: Locator, name: string) => {
    await locator.scrollIntoViewIfNeeded()
    await locator.screenshot({ path: `${SHOTS}/tessera-form-builder-${name}.png` })
  }
  const field = (key: string) => page.locator(`[data-form="visit"] [data-field="${key}"]`)
  const errorOf = (key: string) => field(key).locator('.ant-form-item-explain-error')
  const chooseLinked = async (key: string, text: string) => {
    await field(key).locator('.ant-select').click()
    await page.keyboard.type(text)
    await option_(text).click()
    await poll(() => field(key).textContent()).toContain(text)
  }

  beforeAll(async () => {
    ({ site, browser, page } = await openSignedIn({ demoSize: 10, sample: false }))
  })
  afterAll(async () => {
    await browser?.close()
    await site?.close()
  })

  it('sets descriptions, attachment limits, list, uniques and agreements on the page, and they hold', async () => {
    await newForm(page, { zh: '客户拜访', en: 'Customer visit' }, 'visit')

    await addField('link', 'customer', '客户')
    await pick(side('form'), '客户 (customer)')
    await addField('link', 'order', '订单')
    await pick(side('form'), '订单 (order)')
    await addField('date', 'visit_date', '拜访日期')
    await side('description-zh').locator('textarea').fill('按实际到访的日期填写')
    await side('description-en').locator('textarea').fill('The day of the visit itself')

    // Attachment limits: 1 MB typed, bytes stored; a preset type and a typed one.
    await addField('attachment', 'minutes', '拜访纪要')
    expect(await side('maxSize').locator('input').getAttribute('placeholder')).toBe('10')
    // Past the ceiling it is kept as typed and named as a problem, not clamped to 1024.
    await side('maxSize').locator('input').fill('2000')
    await side('accept').locator('.ant-select').first().click()
    await page.keyboard.press('Escape')
    expect(await side('maxSize').locator('input').inputValue()).toBe('2000')
    await poll(() => page.locator('[data-design-issues]').textContent()).toContain('数值太大')
    await side('maxSize').locator('input').fill('1')
    await pick(side('accept'), 'application/pdf')
    await side('accept').locator('input').fill('.docx')
    await side('accept').locator('input').press('Enter')
    await page.keyboard.press('Escape')
    await poll(() => side('accept').textContent()).toContain('.docx')
    await poll(() => open().count()).toBe(0)
    await shot(page.locator('.fb-side'), 'attachment')

    // The form's own settings.
    await page.locator('[data-action="form-settings"]').click()
    await side('form-description-zh').locator('textarea').fill('记录每一次上门拜访')

    // List columns, chosen and then ordered with the keyboard.
    for (const label of ['名称 (name)', '客户 (customer)', '拜访日期 (visit_date)']) {
      await page.locator('[data-action="add-column"]').click()
      await option_(label).click()
      await poll(() => page.locator('[data-list-column]').count()).toBeGreaterThan(0)
    }
    const columns = () => page.locator('[data-list-column]').evaluateAll(
      (nodes) => nodes.map((node) => node.getAttribute('data-list-column')))
    await poll(columns).toEqual(['name', 'customer', 'visit_date'])
    for (let step = 0; step < 2; step += 1) {
      await page.locator('[data-column-up="visit_date"]').focus()
      await page.keyboard.press('Enter')
    }
    await poll(columns).toEqual(['visit_date', 'name', 'customer'])
    // At the top its ↑ is disabled: the keyboard's place moves to its ↓, not to the page.
    const focused = () => page.evaluate(() => {
      const active = document.activeElement as HTMLElement | null
      return active ? [...active.attributes].map((a) => `${a.name}=${a.value}`).join(' ') : ''
    })
    await poll(focused).toContain('data-column-down=visit_date')
    const focusedIn = (selector: string) => page.evaluate((inside) => document.activeElement?.closest(inside) !== null, selector)

    // Default sort: latest visit first.
    await page.locator('[data-action="add-sort"]').click()
    await pick(page.locator('[data-sort-field="0"]'), '拜访日期 (visit_date)')
    await pick(page.locator('[data-sort-dir="0"]'), '降序')

    // One visit per customer and day; an empty set shows its problem on its card first.
    await page.locator('[data-action="add-unique"]').click()
    await poll(() => focusedIn('[data-setting="unique-0-fields"]')).toBe(true)
    await poll(() => page.locator('[data-part-issues="uniques[0]"]').textContent()).toContain('至少需要一项')
    await pick(side('unique-0-fields'), '客户 (customer)', '拜访日期 (visit_date)')
    await poll(() => page.locator('[data-part-issues="uniques[0]"]').count()).toBe(0)

    // The visit's customer must be its order's customer.
    await page.locator('[data-action="add-agreement"]').click()
    await poll(() => focusedIn('[data-setting="agreement-0-path-0-field"]')).toBe(true)
    await poll(() => page.locator('[data-part-issues="agreements[0]"]').textContent()).toContain('还没有填写或选择')
    await pick(side('agreement-0-path-0-field'), '客户 (customer)')
    await pick(side('agreement-0-path-1-field'), '订单 (order)')
    await pick(side('agreement-0-path-1-linked'), '客户 (customer)')
    await side('agreement-0-message-zh').locator('input').fill('拜访的客户须与订单的客户一致')
    await side('agreement-0-message-en').locator('input').fill('The customer must be the order\'s customer')
    // And no visit before its order was placed: two dates in order.
    await page.locator('[data-action="add-agreement"]').click()
    await pick(side('agreement-1-path-0-field'), '订单 (order)')
    await pick(side('agreement-1-path-0-linked'), '下单日期 (order_date)')
    await pick(side('agreement-1-path-1-field'), '拜访日期 (visit_date)')
    await pick(side('agreement-1-compare'), '依次不晚于（不大于）')
    await side('agreement-1-message-zh').locator('input').fill('拜访不能早于下单')
    await side('agreement-1-message-en').locator('input').fill('A visit cannot come before its order')
    await poll(() => page.locator('[data-design-issues]').count()).toBe(0)
    await shot(page.locator('[data-list-settings]'), 'list')
    await shot(page.locator('[data-uniques]'), 'uniques')
    await shot(page.locator('[data-agreements]'), 'agreements')

    // The preview shows the form's description where its record pages will.
    await page.locator('[data-builder-tab]').getByText('预览').click()
    await poll(() => page.locator('[data-preview-form="visit"] [data-form-description]').textContent())
      .toBe('记录每一次上门拜访')

    await page.locator('[data-action="publish"]').click()
    await page.locator('[data-publish-summary="ready"]').waitFor({ timeout: 20_000 })
    await page.locator('[data-action="confirm-publish"]').click()
    await page.locator('.ant-message', { hasText: '已发布' }).waitFor({ timeout: 20_000 })

    const { definition } = await get<{ definition: Values & { fields: Values[] } }>(`/api/apps/${APP}/forms/visit`)
    expect(definition.description).toBe('记录每一次上门拜访')
    expect(definition.fields.find((f) => f.key === 'visit_date')?.description)
      .toEqual({ 'zh-CN': '按实际到访的日期填写', en: 'The day of the visit itself' })
    expect(definition.fields.find((f) => f.key === 'minutes'))
      .toMatchObject({ maxSize: MEGABYTE, accept: ['application/pdf', '.docx'] })
    expect(definition.ui).toMatchObject({
      list: { columns: ['visit_date', 'name', 'customer'], defaultSort: [{ field: 'visit_date', dir: 'desc' }] },
    })
    expect(definition.uniques).toEqual([['customer', 'visit_date']])
    expect(definition.agreements).toEqual([{
      key: 'agreement_1', paths: ['customer', 'order.customer'],
      message: { 'zh-CN': '拜访的客户须与订单的客户一致', en: 'The customer must be the order\'s customer' },
    }, {
      key: 'agreement_2', paths: ['order.order_date', 'visit_date'], compare: '<=',
      message: { 'zh-CN': '拜访不能早于下单', en: 'A visit cannot come before its order' },
    }])

    // The generated form: descriptions shown, files past the limits refused.
    const customers = await get<{ items: Listed[] }>(`/api/apps/${APP}/forms/customer/records?pageSize=50&sort=id`)
    const own = customers.items[0]
    const nameOf = (item: Listed) => String(item.values.name)
    const other = customers.items.find((item) =>
      !nameOf(item).includes(nameOf(own)) && !nameOf(own).includes(nameOf(item)))!
    const placed = await api<Listed>(`/api/apps/${APP}/forms/order/records`, {
      method: 'POST',
      body: { values: { customer: own.id, order_date: '2026-03-01',
        items: [{ product: '复印纸', quantity: 10, unit_price: '25.00' }] } },
    })
    expect(placed.status).toBe(201)
    const order = placed.body
    await page.goto(`${site.url}/#/apps/${APP}/forms/visit/new`)
    await poll(() => page.locator('[data-form-description]').textContent()).toBe('记录每一次上门拜访')
    await poll(() => field('visit_date').locator('.ant-form-item-extra').textContent()).toBe('按实际到访的日期填写')
    const upload = field('minutes').locator('input[type="file"]')
    // The limits read as people say them, not as MIME types.
    expect(await field('minutes').textContent()).toContain('类型：PDF、Word')
    // A file given while the new form is still being set up (its values filled once the company's
    // settings arrive) can land on an input about to be replaced: given again until it is read.
    for (let attempt = 1; ; attempt += 1) {
      await upload.setInputFiles({ name: '大文件.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(MEGABYTE + 1, 1) })
      const said = await page.locator('.ant-message', { hasText: '大文件.pdf 超过了 1 MB 的上限' })
        .waitFor({ timeout: 4_000 }).then(() => true, () => false)
      if (said) break
      if (attempt === 3) throw new Error('the oversized file was never refused with a message')
    }
    await upload.setInputFiles({ name: '照片.png', mimeType: 'image/png', buffer: Buffer.from('png') })
    await page.locator('.ant-message', { hasText: '照片.png 不是该字段接受的文件类型' }).waitFor({ timeout: 10_000 })
    expect(await field('minutes').locator('.ant-upload-list-item').count()).toBe(0)
    // The server refuses them too, whatever the browser does.
    const send = async (name: string, type: string, size: number) => {
      const data = new FormData()
      data.append('file', new Blob([Buffer.alloc(size, 37)], { type }), name)
      const response = await fetch(`${site.url}/api/apps/${APP}/forms/visit/fields/minutes/files`, {
        method: 'POST', headers: { 'accept-language': 'zh-CN', ...site.apiHeaders }, body: data,
      })
      return { status: response.status, text: await response.text() }
    }
    const big = await send('big.pdf', 'application/pdf', MEGABYTE + 1)
    expect(big.status).toBeGreaterThanOrEqual(400)
    expect(big.text).toContain('拜访纪要')
    const wrong = await send('photo.png', 'image/png', 10)
    expect(wrong.status).toBeGreaterThanOrEqual(400)
    expect(wrong.text).toContain('只接受 PDF、Word 类型的文件')
    await page.screenshot({ path: `${SHOTS}/tessera-form-builder-settings-form.png`, fullPage: true })

    // The agreement: once the order is chosen, the customer picker offers only the order's customer.
    await field('name').locator('input').fill('季度回访')
    await chooseLinked('order', String(order.values.number))
    await field('customer').locator('.ant-select').click()
    await page.keyboard.type(String(other.values.name))
    // (The order's list may still be closing: only the customer's own options count.)
    await poll(() => page.locator('.ant-select-dropdown:visible .ant-select-item-empty').count()).toBe(1)
    await poll(() => page.locator('.ant-select-dropdown:visible .ant-select-item-option').count()).toBe(0)
    await page.keyboard.press('Escape')
    // A client that sends another customer anyway is refused on the order, and nothing is written.
    const mismatched = await api<{ error: { issues: unknown[] } }>(`/api/apps/${APP}/forms/visit/records`, {
      method: 'POST', body: { values: { name: '别的客户', customer: other.id, order: order.id, visit_date: '2026-03-10' } },
    })
    expect(mismatched.status).toBe(400)
    expect(mismatched.body.error.issues).toEqual([expect.objectContaining({ field: 'order', rule: 'agreement', message: '拜访的客户须与订单的客户一致' })])
    expect((await get<{ total: number }>(`/api/apps/${APP}/forms/visit/records`)).total).toBe(0)
    await chooseLinked('customer', String(own.values.name))
    const day = field('visit_date').locator('input')
    await day.click()
    await day.fill('2026-03-10')
    await day.press('Enter')
    await page.locator('[data-action="save"]').click()
    await page.locator('[data-list="visit"] .list-row', { hasText: '季度回访' }).waitFor({ timeout: 15_000 })

    // The unique set: the same customer on the same day again is refused, naming both fields.
    await page.locator('[data-action="new"]').click()
    await field('name').locator('input').fill('重复拜访')
    await chooseLinked('customer', String(own.values.name))
    await day.click()
    await day.fill('2026-03-10')
    await day.press('Enter')
    await page.locator('[data-action="save"]').click()
    await poll(() => errorOf('visit_date').textContent()).toContain('「客户、拜访日期」')
    await poll(() => errorOf('visit_date').textContent()).toContain('的记录已存在')
    await page.screenshot({ path: `${SHOTS}/tessera-form-builder-unique-refused.png`, fullPage: true })
    const twice = await api<{ error: { code: string; message: string } }>(`/api/apps/${APP}/forms/visit/records`, {
      method: 'POST', body: { values: { name: '再次重复', customer: own.id, visit_date: '2026-03-10' } },
    })
    expect(twice.status).toBe(409)
    expect(twice.body.error).toMatchObject({ code: 'conflict.unique', message: expect.stringContaining('「客户、拜访日期」') })
    // The dates in order: a visit the day before the order was placed is refused on its date.
    const early = await api<{ error: { code: string; issues: unknown[] } }>(`/api/apps/${APP}/forms/visit/records`, {
      method: 'POST', body: { values: { name: '太早', customer: own.id, order: order.id, visit_date: '2026-02-28' } },
    })
    expect(early.status).toBe(400)
    expect(early.body.error.issues).toEqual([expect.objectContaining({ field: 'visit_date', rule: 'agreement', message: '拜访不能早于下单' })])

    // The list: the chosen columns in the chosen order, the latest visit first.
    for (const [name, date] of [['三月初', '2026-03-01'], ['三月中', '2026-03-15'], ['三月五日', '2026-03-05']]) {
      const created = await api(`/api/apps/${APP}/forms/visit/records`, {
        method: 'POST', body: { values: { name, customer: other.id, visit_date: date } },
      })
      expect(created.status).toBe(201)
    }
    const listed = await get<{ items: Listed[] }>(`/api/apps/${APP}/forms/visit/records`)
    expect(listed.items.map((item) => item.values.name)).toEqual(['三月中', '季度回访', '三月五日', '三月初'])
    // Loaded afresh: the records above were made through the API, behind the page's back.
    await page.goto(`${site.url}/#/apps/${APP}/forms/visit`)
    await page.reload()
    const rows = page.locator('[data-list="visit"] .list-row')
    await poll(() => rows.count()).toBe(4)
    const heads = await page.locator('[data-list="visit"] .ant-table-thead th').allTextContents()
    expect(heads.filter((text) => ['拜访日期', '名称', '客户'].includes(text.trim())).map((text) => text.trim()))
      .toEqual(['拜访日期', '名称', '客户'])
    const texts = await rows.allTextContents()
    expect(texts.map((text) => ['三月中', '季度回访', '三月五日', '三月初'].find((name) => text.includes(name))))
      .toEqual(['三月中', '季度回访', '三月五日', '三月初'])
    await page.screenshot({ path: `${SHOTS}/tessera-form-builder-settings-list.png`, fullPage: true })
  })

  it('sets which records a link offers and what its picker shows beside each title, and the form holds to them', async () => {
    const customer = (await get<{ items: Listed[] }>(`/api/apps/${APP}/forms/customer/records?pageSize=1&sort=id`)).items[0]
    const order = async (quantity: number) => {
      const placed = await api<Listed>(`/api/apps/${APP}/forms/order/records`, {
        method: 'POST',
        body: { values: { customer: customer.id, order_date: '2026-04-01', items: [{ product: '打印机', quantity, unit_price: '100.00' }] } },
      })
      expect(placed.status).toBe(201)
      return String(placed.body.values.number)
    }
    const small = await order(1)
    const large = await order(10)

    // The template's invoice request offers orders with something left to request: shown as a row.
    await page.goto(`${site.url}/#/apps/${APP}/form-builder/invoice_request`)
    await page.locator('[data-canvas-field="order"]').click()
    const range = side('pickWhere')
    await poll(() => range.locator('[data-filter-row="0"] [data-filter-part="field"]').textContent()).toContain('未申请开票')
    expect(await range.locator('[data-filter-row="0"] [data-filter-part="value"]').inputValue()).toBe('0')
    // Only orders of more than 500 left: stored as it is typed, as every setting here.
    await range.locator('[data-filter-row="0"] [data-filter-part="value"]').fill('500')
    expect(await range.locator('[data-action="filter-apply"]').count()).toBe(0)
    await shot(page.locator('.fb-side'), 'pick-range')
    const publish = async (form: string) => {
      await page.locator('[data-action="publish"]').click()
      await page.locator('[data-publish-summary="ready"]').waitFor({ timeout: 20_000 })
      await page.locator('[data-action="confirm-publish"]').click()
      await page.locator('.ant-message', { hasText: '已发布' }).waitFor({ timeout: 20_000 })
      await poll(async () => (await get<{ version: number }>(`/api/apps/${APP}/forms/${form}`)).version).toBeGreaterThan(1)
    }
    await publish('invoice_request')

    // The template's order shows its date and what is left beside its number; its amount is added.
    // Opened with no field chosen, the side shows the form's own settings.
    await page.goto(`${site.url}/#/apps/${APP}/form-builder/order`)
    await poll(() => side('form-picker').textContent()).toContain('未申请开票 (unrequested)')
    await pick(side('form-picker'), '订单金额 (amount)')
    await publish('order')
    const request = await get<{ definition: { fields: Values[] } }>(`/api/apps/${APP}/forms/invoice_request`)
    expect(request.definition.fields.find((f) => f.key === 'order')?.pickWhere)
      .toEqual({ and: [{ '>': [{ var: 'unrequested' }, '500'] }] })
    const placed = await get<{ definition: { ui: Values } }>(`/api/apps/${APP}/forms/order`)
    expect(placed.definition.ui.picker).toEqual({ fields: ['order_date', 'unrequested', 'amount'] })

    await page.goto(`${site.url}/#/apps/${APP}/forms/invoice_request/new`)
    await page.locator('[data-field="order"] .ant-select').click()
    const options = page.locator('.ant-select-dropdown:visible .ant-select-item-option')
    await poll(() => options.locator('.link-option > :first-child').allTextContents()).toContain(large)
    expect(await options.locator('.link-option > :first-child').allTextContents()).not.toContain(small)
    await poll(() => options.filter({ hasText: large }).locator('.link-option-details').textContent())
      .toBe('下单日期 2026-04-01 · 未申请开票 1,000.00 · 订单金额 1,000.00')
    await page.screenshot({ path: `${SHOTS}/tessera-form-builder-pick-range-form.png` })
    await page.keyboard.press('Escape')
  })

  it('sets whose day an autonumber takes: the day of entry, or a date field of the record', async () => {
    const numberField = async () => (await get<{ definition: { fields: Values[] } }>(`/api/apps/${APP}/form-designs/write_off`))
      .definition.fields.find((f) => f.key === 'number')
    await page.goto(`${site.url}/#/apps/${APP}/form-builder/write_off`)
    await page.locator('[data-canvas-field="number"]').click()
    // The template numbers a write-off by its own date.
    await poll(() => side('dateField').textContent()).toContain('冲减日期')
    await pick(side('dateField'), '录入当天')
    await page.locator('[data-action="save-draft"]').click()
    await poll(async () => (await numberField())?.dateField).toBeUndefined()
    await pick(side('dateField'), '冲减日期')
    await page.locator('[data-action="save-draft"]').click()
    await poll(async () => (await numberField())?.dateField).toBe('date')
  })
})
