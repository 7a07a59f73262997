import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browserMissing, newForm, openSignedIn, type TestSite, showPageOnFailure } from './browser-harness.js'

const APP = 'customer-settlement'
const SHOTS = process.env.TESSERA_SHOTS ?? '/tmp'

type Values = Record<string, unknown>

/**
 * The done-criterion of the form builder: an administrator builds a new
 * form from nothing (line items, a formula, a conditional field), publishes
 * it, uses it, then changes and republishes it without losing the record.
 */
describe.skipIf(browserMissing)('the form builder in Chromium', () => {
  let site: TestSite
  let browser: Browser
  let page: Page
  showPageOnFailure(() => page)

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${site.url}${path}`, { headers: { 'accept-language': 'zh-CN', ...site.apiHeaders } })
    expect(response.status, path).toBe(200)
    return response.json() as Promise<T>
  }
  const side = (hook: string) => page.locator(`.fb-side [data-setting="${hook}"]`)
  const canvasKeys = () => page.locator('[data-canvas-field]').evaluateAll(
    (nodes) => nodes.map((node) => node.getAttribute('data-canvas-field')))
  /** Picks an option of an antd select, checking that it shows it (a busy page may drop a click). */
  const choose = async (select: Locator, option: string) => {
    const isSelect = await select.evaluate((node) => node.classList.contains('ant-select'))
    const box = isSelect ? select : select.locator('.ant-select').first()
    for (let attempt = 0; attempt < 3; attempt += 1) {
      await box.click()
      await option_(option).click({ timeout: 5_000 }).catch(() => undefined)
      await closed().catch(() => page.keyboard.press('Escape'))
      if ((await box.textContent())?.includes(option)) return
    }
    await page.screenshot({ path: `${SHOTS}/tessera-form-builder-failed.png` })
    throw new Error(`could not choose "${option}"`)
  }
  /** Waits for the page (the machine may be busy): ten seconds rather than one. */
  const poll = <T>(read: () => Promise<T> | T) => expect.poll(read, { timeout: 10_000 })
  const closed = () => expect.poll(() => page.locator('.ant-select-dropdown').filter({ visible: true }).count(),
    { timeout: 10_000 }).toBe(0)
  /** The option of the dropdown open now (closed ones linger in the page while they fade). */
  const option_ = (text: string) =>
    page.locator('.ant-select-dropdown .ant-select-item-option', { hasText: text }).filter({ visible: true }).first()
  const fillKey = async (scope: Locator, key: string) => {
    const input = scope.locator('input').first()
    await input.fill(key)
    await input.press('Enter')
  }
  /** Adds a palette entry by click; the new field is selected. */
  const addField = async (entry: string, key: string, label: string) => {
    await page.locator(`[data-palette="${entry}"]`).click()
    await side('label-zh').locator('input').fill(label)
    await fillKey(side('key'), key)
    await page.locator(`[data-canvas-field="${key}"]`).waitFor()
  }
  const publish = async (expectText: string[]) => {
    await page.locator('[data-action="publish"]').click()
    const summary = page.locator('[data-publish-summary="ready"]')
    await summary.waitFor({ timeout: 20_000 })
    for (const text of expectText) expect(await summary.textContent()).toContain(text)
    await page.screenshot({ path: `${SHOTS}/tessera-form-builder-publish.png` })
    await page.locator('[data-action="confirm-publish"]').click()
    await page.locator('.ant-message', { hasText: '已发布' }).waitFor({ timeout: 20_000 })
  }
  const field = (key: string) => page.locator(`[data-form="purchase"] [data-field="${key}"]`)
  const errorOf = (key: string) => field(key).locator('.ant-form-item-explain-error')

  beforeAll(async () => {
    ({ site, browser, page } = await openSignedIn({ demoSize: 10, sample: false }))
  })
  afterAll(async () => {
    await browser?.close()
    await site?.close()
  })

  it('builds, publishes, uses and republishes a new form without losing its record', async () => {
    // A new form from the app's menu.
    await newForm(page, { zh: '采购申请', en: 'Purchase request' }, 'purchase')
    expect(await canvasKeys()).toEqual(['name'])

    await addField('money', 'budget', '预算')
    await side('min').locator('input').fill('0.01')

    // The keyboard adds a field from the palette: focus, Enter.
    await page.locator('[data-palette="boolean"]').focus()
    await page.keyboard.press('Enter')
    await page.locator('[data-canvas-field="boolean_1"]').waitFor()
    await side('label-zh').locator('input').fill('加急')
    await fillKey(side('key'), 'urgent')

    // A key another field holds is refused under the key box, and both fields keep their own.
    await addField('text', 'reason', '加急原因')
    await fillKey(side('key'), 'urgent')
    await poll(() => side('key').locator('.ant-form-item-explain').textContent()).toBe('标识「urgent」已被字段「加急」使用，请换一个')
    expect(await canvasKeys()).toEqual(['name', 'budget', 'urgent', 'reason'])
    await fillKey(side('key'), 'reason')
    await poll(() => side('key').locator('.ant-form-item-explain').count()).toBe(0)

    // A field shown, and required, only for urgent requests.
    for (const name of ['visibleWhen', 'requiredWhen']) {
      await page.locator(`.fb-side [data-action="add-${name}"]`).click()
      await choose(page.locator(`[data-condition-editor="${name}"] [data-condition-row="0"]`), '加急 (urgent)')
    }

    // Line items with a formula per row.
    await addField('lines', 'items', '明细')
    const addLineField = async (type: string, from: string, key: string, label: string) => {
      await page.locator('.fb-side [data-action="add-line-field"]').click()
      await option_(type).click()
      await closed()
      const card = page.locator(`[data-line-field="${from}"]`)
      await card.locator('[data-setting="line-label-zh"] input').fill(label)
      await fillKey(card.locator('[data-setting="line-key"]'), key)
      return page.locator(`[data-line-field="${key}"]`)
    }
    await addLineField('数字', 'number_1', 'qty', '数量')
    const price = await addLineField('金额', 'money_1', 'price', '单价')
    await price.locator('[data-setting="line-required"] input').check()
    const amount = await addLineField('公式', 'formula_1', 'amount', '金额')
    await choose(amount.locator('[data-setting="result"]'), '金额')
    await amount.locator('textarea').fill('qty * price')
    await amount.locator('[data-formula-ok]').waitFor()

    // A formula over the rows; a typing mistake is explained, not stored.
    await addField('formula', 'total', '合计')
    await choose(side('result'), '金额')
    const formula = side('expression').locator('textarea')
    await formula.fill('sum(items.amount')
    const problem = side('expression').locator('[data-formula-error]')
    await poll(() => problem.textContent()).toContain('字符')
    await formula.fill('')
    await side('expression').locator('[data-insert-field="items.amount"]').click()
    await poll(() => formula.inputValue()).toBe('sum(items.amount)')
    await side('expression').locator('[data-formula-ok]').waitFor()

    // Reorder by keyboard: the total's handle, Space, arrow up, Space.
    expect(await canvasKeys()).toEqual(['name', 'budget', 'urgent', 'reason', 'items', 'total'])
    await page.locator('[data-drag-handle="total"]').focus()
    // As a person would, with a moment between keys for the drag to measure.
    for (const key of ['Space', 'ArrowUp', 'Space']) {
      await page.keyboard.press(key)
      await page.waitForTimeout(250)
    }
    await poll(canvasKeys).toEqual(['name', 'budget', 'urgent', 'reason', 'total', 'items'])
    await page.locator('[data-move-down="total"]').focus()
    await page.keyboard.press('Enter')
    await poll(canvasKeys).toEqual(['name', 'budget', 'urgent', 'reason', 'items', 'total'])
    // The mouse drags a type from the palette onto the canvas, before the field it is dropped on.
    // Cards slide into place after a drop; grab only once both ends stand still.
    const settled = async (locator: Locator) => {
      let last = ''
      await expect.poll(async () => {
        const now = JSON.stringify(await locator.boundingBox())
        const still = now === last
        last = now
        return still
      }, { timeout: 10_000, interval: 150 }).toBe(true)
    }
    const drag = async (from: Locator, to: Locator) => {
      await settled(from)
      await settled(to)
      const a = (await from.boundingBox())!
      const b = (await to.boundingBox())!
      await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2)
      await page.mouse.down()
      for (let step = 1; step <= 8; step += 1) {
        await page.mouse.move(a.x + (b.x + 20 - a.x) * step / 8, a.y + (b.y + 10 - a.y) * step / 8)
        await page.waitForTimeout(30)
      }
      await page.mouse.up()
    }
    await drag(page.locator('[data-palette="phone"]'), page.locator('[data-canvas-field="budget"]'))
    await poll(canvasKeys).toEqual(['name', 'phone_1', 'budget', 'urgent', 'reason', 'items', 'total'])
    await drag(page.locator('[data-drag-handle="phone_1"]'), page.locator('[data-canvas-field="name"]'))
    await poll(canvasKeys).toEqual(['phone_1', 'name', 'budget', 'urgent', 'reason', 'items', 'total'])
    await settled(page.locator('[data-remove="phone_1"]'))
    await page.locator('[data-remove="phone_1"]').click()
    await poll(canvasKeys).toEqual(['name', 'budget', 'urgent', 'reason', 'items', 'total'])
    await page.screenshot({ path: `${SHOTS}/tessera-form-builder.png` })

    // The preview is the generated form, checking values as they are left.
    await page.locator('[data-builder-tab]').getByText('预览').click()
    const preview = (key: string) => page.locator(`[data-preview-form="purchase"] [data-field="${key}"]`)
    await preview('budget').locator('input').fill('0')
    await preview('name').locator('input').focus()
    await poll(() => preview('budget').locator('.ant-form-item-explain-error').textContent())
      .toContain('「预算」必须大于或等于 0.01')
    expect(await preview('reason').count()).toBe(0)
    await preview('urgent').locator('label', { hasText: '是' }).click()
    await preview('reason').waitFor()
    await page.setViewportSize({ width: 390, height: 844 })
    // On a phone a line is a card of labelled inputs, not a table row cut off at the edge.
    await preview('items').locator('[data-action="add-line"]').click()
    const card = preview('items').locator('.lines-card[data-line="0"]')
    await card.waitFor()
    expect(await preview('items').locator('.ant-table').count()).toBe(0)
    for (const key of ['qty', 'price', 'amount']) expect(await card.locator(`[data-column="${key}"] input`).isVisible()).toBe(true)
    await page.screenshot({ path: `${SHOTS}/tessera-form-builder-preview-phone.png`, fullPage: true })
    await page.locator('[data-builder-tab]').getByText('设计').click()
    await page.locator('[data-select-field="reason"]').click()
    await page.screenshot({ path: `${SHOTS}/tessera-form-builder-phone.png`, fullPage: true })
    await page.setViewportSize({ width: 1400, height: 1000 })

    await publish(['第一次发布', '预算 (budget)', '明细 (items)'])
    const app = await api<{ forms: { key: string; actions: string[] }[] }>(`/api/apps/${APP}`)
    expect(app.forms.find((form) => form.key === 'purchase')?.actions).toContain('create')

    // The generated form: wrong values get Chinese messages on their fields.
    await page.locator('[data-menu="form:purchase"]').click()
    await page.locator('[data-list="purchase"]').waitFor()
    await page.locator('[data-action="new"]').click()
    await field('budget').locator('input').fill('0')
    expect(await field('reason').count()).toBe(0)
    await field('urgent').locator('label', { hasText: '是' }).click()
    await field('reason').waitFor()
    await page.locator('[data-action="add-line"]').click()
    const cell = (key: string) => page.locator(`[data-line="0"] [data-column="${key}"] input`)
    await cell('qty').fill('2')
    await page.locator('[data-action="save"]').click()
    await poll(() => errorOf('name').textContent()).toContain('「名称」不能为空')
    await poll(() => errorOf('budget').textContent()).toContain('「预算」必须大于或等于 0.01')
    await poll(() => errorOf('reason').textContent()).toContain('「加急原因」不能为空')
    await poll(() => errorOf('items').textContent()).toContain('单价')
    await page.screenshot({ path: `${SHOTS}/tessera-form-builder-errors.png`, fullPage: true })

    await field('name').locator('input').fill('办公椅')
    await field('budget').locator('input').fill('1200')
    await field('reason').locator('input').fill('新人入职')
    await cell('price').fill('3.50')
    await poll(() => field('total').locator('input').inputValue()).toBe('7.00')
    await page.locator('[data-action="save"]').click()
    await page.locator('[data-list="purchase"] .list-row', { hasText: '办公椅' }).waitFor({ timeout: 15_000 })

    const { items } = await api<{ items: { id: number; values: Values }[] }>(`/api/apps/${APP}/forms/purchase/records`)
    expect(items).toHaveLength(1)
    const id = items[0].id
    const before = await api<{ values: Values }>(`/api/apps/${APP}/forms/purchase/records/${id}`)
    expect(before.values).toMatchObject({ name: '办公椅', budget: '1200.00', urgent: true, reason: '新人入职', total: '7.00' })

    // Change the form: a new field, a new label; publish again.
    await page.goto(`${site.url}/#/apps/${APP}/form-builder/purchase`)
    await page.locator('[data-canvas-field="budget"]').click()
    await side('label-zh').locator('input').fill('预算金额')
    await addField('date', 'needed_by', '需要日期')
    await publish(['v2', '需要日期 (needed_by)', '预算金额 (budget): label'])

    const after = await api<{ version: number; values: Values }>(`/api/apps/${APP}/forms/purchase/records/${id}`)
    expect(after.values).toEqual({ ...before.values, needed_by: null })
    await page.goto(`${site.url}/#/apps/${APP}/forms/purchase/${id}`)
    await expect.poll(() => field('budget').locator('label').textContent(), { timeout: 15_000 }).toBe('预算金额')
    expect(await field('budget').locator('input').inputValue()).toContain('1,200.00')
    expect(await field('needed_by').count()).toBe(1)
  })

  it('adds a cross-field rule from condition rows, and the generated form holds to it', async () => {
    await page.goto(`${site.url}/#/apps/${APP}`)
    await page.locator('[data-menu="new-form"]').click()
    await page.locator('[data-new-form-label]').fill('出差申请')
    await page.locator('[data-new-form-label-en]').fill('Business trip')
    await page.locator('[data-new-form-key]').fill('trip')
    await page.locator('[data-action="create-form"]').click()
    await page.locator('[data-form-builder="trip"]').waitFor()
    await addField('date', 'starts', '出发日期')
    await addField('date', 'ends', '返回日期')
    await side('indexed').locator('input').check()
    await addField('link', 'customer', '拜访客户')
    await choose(side('form'), '客户')
    await addField('money', 'cost_draft', '费用')
    // A key committed by clicking elsewhere in the panel: that click counts too.
    await side('key').locator('input').fill('cost')
    await side('required').locator('input').click()
    await page.locator('[data-canvas-field="cost"]').waitFor()
    await poll(() => side('required').locator('input').isChecked()).toBe(true)

    // Back to the form's own settings, where its rules are.
    await page.locator('[data-action="form-settings"]').click()
    await page.locator('[data-action="add-rule"]').click()
    await page.locator('[data-action="add-rule-0-assert"]').click()
    const row = page.locator('[data-condition-editor="rule-0-assert"] [data-condition-row="0"]')
    await choose(row, '返回日期 (ends)')
    await choose(row.locator('[data-condition-op]'), '大于等于')
    await choose(row.locator('[data-condition-compare]'), '字段')
    await poll(() => row.locator('[data-condition-other]').textContent()).toContain('出发日期 (starts)')
    await side('rule-0-message-zh').locator('input').fill('返回日期不能早于出发日期')
    await side('rule-0-message-en').locator('input').fill('The return date cannot be before the start date')
    await choose(side('rule-0-fields'), '返回日期 (ends)')

    // A limit across records: one customer's trips may cost at most its credit limit.
    await page.locator('[data-action="add-constraint"]').click()
    const limit = (part: string) => side(`constraint-0-${part}`)
    await poll(() => limit('per').textContent()).toContain('拜访客户 (customer)')
    await poll(() => limit('sum').textContent()).toContain('费用 (cost)')
    await choose(limit('max'), '信用额度 (credit_limit)')
    await limit('message-zh').locator('input').fill('同一客户的出差费用合计不能超过其信用额度')
    await page.screenshot({ path: `${SHOTS}/tessera-form-builder-rule.png`, fullPage: true })

    // Leaving for another page with unsaved changes asks first; staying keeps them.
    const asked: string[] = []
    page.once('dialog', (dialog) => {
      asked.push(dialog.message())
      void dialog.dismiss()
    })
    await page.locator('[data-menu="form:customer"]').click()
    await poll(() => asked).toEqual([expect.stringContaining('未保存的修改')])
    expect(await page.locator('[data-form-builder="trip"]').count()).toBe(1)
    expect(await page.locator('[data-rule="0"]').count()).toBe(1)
    // The browser's Back asks too; staying puts the builder back, changes kept.
    const before = page.url()
    page.once('dialog', (dialog) => {
      asked.push(dialog.message())
      void dialog.dismiss()
    })
    await page.goBack({ timeout: 5_000 }).catch(() => undefined)
    await poll(() => asked).toHaveLength(2)
    await poll(() => page.url()).toBe(before)
    expect(await page.locator('[data-form-builder="trip"]').count()).toBe(1)
    expect(await page.locator('[data-rule="0"]').count()).toBe(1)
    await publish(['第一次发布'])

    const form = await api<{
      definition: { rules?: unknown[]; constraints?: unknown[]; fields: { key: string; indexed?: boolean }[] }
    }>(`/api/apps/${APP}/forms/trip`)
    expect(form.definition.fields.find((f) => f.key === 'ends')?.indexed).toBe(true)
    expect(form.definition.constraints).toEqual([{
      key: 'limit_1', per: 'customer', sum: 'cost', max: 'credit_limit',
      message: '同一客户的出差费用合计不能超过其信用额度',
    }])
    expect(form.definition.rules).toEqual([{
      key: 'rule_1',
      assert: { 'date>=': [{ var: 'ends' }, { var: 'starts' }] },
      message: { 'zh-CN': '返回日期不能早于出发日期', en: 'The return date cannot be before the start date' },
      fields: ['ends'],
    }])

    const tripField = (key: string) => page.locator(`[data-form="trip"] [data-field="${key}"]`)
    await page.locator('[data-menu="form:trip"]').click()
    await page.locator('[data-list="trip"]').waitFor()
    await page.locator('[data-action="new"]').click()
    await tripField('name').locator('input').fill('上海客户回访')
    const setDate = async (key: string, value: string) => {
      const input = tripField(key).locator('input')
      await input.click()
      await input.fill(value)
      await input.press('Enter')
    }
    await setDate('starts', '2026-03-10')
    await setDate('ends', '2026-03-01')
    const customers = await api<{ items: { values: Values }[] }>(
      `/api/apps/${APP}/forms/customer/records?pageSize=1&sort=id`)
    const visited = customers.items[0].values as { name: string; credit_limit: string }
    await tripField('customer').locator('.ant-select').click()
    await page.keyboard.type(visited.name)
    await option_(visited.name).click()
    await tripField('cost').locator('input').fill('800.00')
    await page.locator('[data-action="save"]').click()
    await poll(() => tripField('ends').locator('.ant-form-item-explain-error').textContent())
      .toContain('返回日期不能早于出发日期')
    await page.screenshot({ path: `${SHOTS}/tessera-form-builder-rule-refused.png`, fullPage: true })
    const none = await api<{ total: number }>(`/api/apps/${APP}/forms/trip/records`)
    expect(none.total).toBe(0)

    await setDate('ends', '2026-03-12')
    // Now the limit: more than the customer's credit limit is refused on the cost.
    await tripField('cost').locator('input').fill(String(Number(visited.credit_limit) + 1))
    await page.locator('[data-action="save"]').click()
    await poll(() => tripField('cost').locator('.ant-form-item-explain-error').textContent())
      .toContain('同一客户的出差费用合计不能超过其信用额度')
    expect((await api<{ total: number }>(`/api/apps/${APP}/forms/trip/records`)).total).toBe(0)
    await tripField('cost').locator('input').fill('800.00')
    await page.locator('[data-action="save"]').click()
    await page.locator('[data-list="trip"] .list-row', { hasText: '上海客户回访' }).waitFor({ timeout: 15_000 })
    const saved = await api<{ items: { values: Values }[] }>(`/api/apps/${APP}/forms/trip/records`)
    expect(saved.items.map((item) => item.values)).toEqual([
      expect.objectContaining({ name: '上海客户回访', starts: '2026-03-10', ends: '2026-03-12', cost: '800.00' }),
    ])
  })
})
