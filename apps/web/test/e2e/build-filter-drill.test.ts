import { execFileSync } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { browserMissing, launchBrowser, signIn, startSite, type TestSite, showPageOnFailure } from './browser-harness.js'

const APP = 'customer-settlement'
const BOARD = `/api/apps/${APP}/dashboards/receivables`

type Row = Record<string, unknown>
interface Run {
  rows: Row[]
}

/**
 * The dashboards done-criterion, in Chromium: build a widget in the
 * builder and put it on the dashboard, apply a global filter, and drill
 * from an aging bar to the invoices behind it — each step checked against
 * the API's own figures.
 */
describe.skipIf(browserMissing)('building, filtering and drilling a dashboard in Chromium', () => {
  let site: TestSite
  let browser: Browser
  let page: Page
  showPageOnFailure(() => page)

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${site.url}${path}`, { headers: { 'accept-language': 'zh-CN', ...site.apiHeaders } })
    expect(response.status, path).toBe(200)
    return response.json() as Promise<T>
  }
  const shownRows = async (widget: string) => {
    const text = await page.locator(`[data-widget="${widget}"] [data-rows]`).first().getAttribute('data-rows')
    return JSON.parse(text ?? 'null') as Row[]
  }
  const ready = (widget: string) => page.locator(`[data-widget="${widget}"][data-state="ready"]`)

  beforeAll(async () => {
    site = await startSite({ demoSize: 400, sample: false })
    browser = await launchBrowser()
    page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN' })
    await signIn(page, site.url)
  })
  afterAll(async () => {
    await browser?.close()
    await site?.close()
  })

  it('builds a widget by dragging fields, previews it live and saves it onto the dashboard', async () => {
    await page.goto(`${site.url}/#/apps/${APP}/builder?dashboard=receivables&form=invoice`)
    await page.locator('[data-builder-field="customer.region"]').waitFor({ timeout: 20_000 })

    await page.locator('[data-builder-field="customer.region"]').dragTo(page.locator('[data-zone="dimensions"]'))
    await page.locator('[data-builder-field="amount"]').dragTo(page.locator('[data-zone="measures"]'))
    await page.locator('[data-builder-title] ').fill('各区域开票')
    await page.locator('[data-builder-title-en]').fill('Invoiced by region')
    await expect.poll(() => page.locator('[data-dimension="customer.region"]').count()).toBe(1)
    await expect.poll(() => page.locator('[data-measure="amount"]').count()).toBe(1)
    await page.locator('[data-preview="ready"] [data-rows]').waitFor({ timeout: 20_000 })
    const preview = JSON.parse(await page.locator('[data-preview] [data-rows]').getAttribute('data-rows') ?? '[]') as Row[]
    expect(preview.length).toBeGreaterThan(1)

    // Meanwhile someone else saves the dashboard (a slower refresh): the builder adds its widget to
    // their version rather than saving the one it read and undoing their change.
    const read = await api<Record<string, unknown>>(BOARD)
    const changed = await fetch(`${site.url}${BOARD}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...site.apiHeaders },
      body: JSON.stringify({ ...read, refresh: 600 }),
    })
    expect(changed.status).toBe(200)

    await page.locator('[data-action="save-widget"]').click()
    await page.waitForURL(/#\/apps\/customer-settlement\/dashboards\/receivables/, { timeout: 20_000 })
    const board = await api<{ refresh: number; widgets: Array<{ key: string; report: string }> }>(BOARD)
    expect(board.refresh).toBe(600)
    const built = board.widgets[board.widgets.length - 1]
    expect(built.key).toMatch(/^w_/)
    // Titled in both languages, as typed.
    expect((built as { title?: unknown }).title).toEqual({ 'zh-CN': '各区域开票', en: 'Invoiced by region' })
    await ready(built.key).waitFor({ timeout: 20_000 })
    const saved = await api<Run>(`${BOARD}/widgets/${built.key}/run`)
    expect(await shownRows(built.key)).toEqual(saved.rows.map((row) => ({ customer_region: row.customer_region, sum_amount: row.sum_amount })))
    expect(new Set(saved.rows.map((row) => row.customer_region))).toEqual(new Set(preview.map((row) => row.customer_region)))
    // Its report takes neither the as-of date nor the period, and the card says so; the template's do not.
    const ignores = page.locator(`[data-widget="${built.key}"] [data-ignores]`)
    expect(await ignores.getAttribute('data-ignores')).toBe('asOf,period')
    expect(await ignores.textContent()).toBe('不随截止日期、期间')
    await ready('aging').waitFor({ timeout: 20_000 })
    expect(await page.locator('[data-widget="aging"] [data-ignores]').count()).toBe(0)
    await page.screenshot({ path: '/tmp/tessera-e2e-built.png', fullPage: true })
  })

  it('saves a widget of a form the dashboard\'s filters cannot reach, left unfiltered by them', async () => {
    await page.goto(`${site.url}/#/apps/${APP}/builder?dashboard=receivables&form=allocation`)
    await page.locator('[data-builder-field="date"]').waitFor({ timeout: 20_000 })
    await page.locator('[data-builder-field="date"]').dragTo(page.locator('[data-zone="dimensions"]'))
    await page.locator('[data-builder-field="amount"]').dragTo(page.locator('[data-zone="measures"]'))
    // It follows the dashboard's period by the allocation's date.
    expect(await page.locator('[data-dating-note]').textContent()).toBe('不跟随时统计全部记录，不受看板日期影响')
    await page.locator('[data-dating-param]').click()
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: '期间' }).click()
    await expect.poll(() => page.locator('[data-builder-dating]').getAttribute('data-builder-dating')).toBe('period:date')
    expect(await page.locator('[data-dating-note]').textContent()).toBe('只统计核销日期在期间内的记录')
    await page.locator('[data-preview="ready"] [data-rows]').waitFor({ timeout: 20_000 })
    await page.screenshot({ path: '/tmp/tessera-e2e-builder-dating.png', fullPage: true })
    await page.locator('[data-action="save-widget"]').click()
    await page.waitForURL(/#\/apps\/customer-settlement\/dashboards\/receivables/, { timeout: 20_000 })
    const board = await api<{
      widgets: Array<{ key: string; report: string; title: unknown }>
      filters: Array<{ key: string; fields?: Record<string, null> }>
    }>(BOARD)
    const built = board.widgets[board.widgets.length - 1]
    // Left untitled, it is named by what it shows in both languages.
    expect(built.title).toMatchObject({ 'zh-CN': '核销金额（按核销日期）', en: expect.stringContaining(' by ') })
    expect(built.report).not.toBe(board.widgets[board.widgets.length - 2].report)
    // Allocations reach no customer region in one step: the region filter leaves the widget alone.
    expect(board.filters.find((filter) => filter.key === 'region')?.fields?.[built.report]).toBeNull()
    await ready(built.key).waitFor({ timeout: 20_000 })
    // It takes the period, so its card names no dashboard condition it ignores.
    expect(await page.locator(`[data-widget="${built.key}"] [data-ignores]`).count()).toBe(0)
    const report = await api<{ params: Array<{ key: string; type: string }> }>(`/api/apps/${APP}/reports/${built.report}`)
    expect(report.params).toEqual([expect.objectContaining({ key: 'period', type: 'period' })])
    // A month's run holds that month's allocations only, as the whole history's run shows them.
    const { today } = await api<{ today: string }>('/api/settings')
    const all = await api<Run>(`${BOARD}/widgets/${built.key}/run?period=2000-01-01..${today}`)
    const month = await api<Run>(`${BOARD}/widgets/${built.key}/run?period=${today.slice(0, 7)}-01..${today}`)
    expect(all.rows.length).toBeGreaterThan(1)
    expect(month.rows).toEqual(all.rows.filter((row) => String(row.date_month) === today.slice(0, 7)))
  })

  it('applies a global filter to every widget', async () => {
    const regions = await api<Array<{ value: string; label: string }>>(`${BOARD}/filters/region/options`)
    const region = regions[0].value
    await page.locator('[data-filter="region"] .ant-select').click()
    await page.locator('.ant-select-item-option', { hasText: region }).first().click()
    await page.keyboard.press('Escape')
    await page.waitForURL(/filters=/, { timeout: 10_000 })

    const { today } = await api<{ today: string }>('/api/settings')
    const filters = encodeURIComponent(JSON.stringify({ region: [region] }))
    const total = await api<Run>(`${BOARD}/widgets/total/run?asOf=${today}&filters=${filters}`)
    await expect.poll(() => page.locator('[data-widget="total"] [data-value]').getAttribute('data-value'), { timeout: 15_000 })
      .toBe(total.rows[0].open)
    const board = await api<{ widgets: Array<{ key: string }> }>(BOARD)
    // The first widget built above, by region.
    const built = board.widgets.find((widget) => widget.key.startsWith('w_'))?.key ?? ''
    await expect.poll(async () => (await shownRows(built)).map((row) => row.customer_region), { timeout: 15_000 })
      .toEqual([region])
    // The allocations widget is left out of the region filter: now that one is set, its card says so.
    const unfiltered = board.widgets[board.widgets.length - 1].key
    await expect.poll(() => page.locator(`[data-widget="${unfiltered}"] [data-ignores]`).getAttribute('data-ignores'),
      { timeout: 15_000 }).toBe('region')
  })

  it('drills from an aging bar to exactly the invoices behind it', async () => {
    const { today } = await api<{ today: string }>('/api/settings')
    const filters = new URL(page.url().replace('#/', '')).searchParams.get('filters') ?? '{}'
    const query = `asOf=${today}&filters=${encodeURIComponent(filters)}`
    const aging = await api<Run>(`${BOARD}/widgets/aging/run?${query}`)
    // Another widget drilled meanwhile (in the URL): the way back from the list finds it so again.
    const region = (await api<Run>(`${BOARD}/widgets/by_region/run?${query}`)).rows[0]?.region
    const drilled = JSON.stringify({ by_region: { level: 'customer', path: { region } } })
    await page.goto(`${site.url}/#/apps/${APP}/dashboards/receivables?filters=${encodeURIComponent(filters)}&drills=${encodeURIComponent(drilled)}`)
    await expect.poll(async () => (await shownRows('aging')).map((row) => row.open), { timeout: 15_000 })
      .toEqual(aging.rows.map((row) => row.open))

    // Bars are drawn left to right for the buckets with an amount; click the biggest one
    // once they have grown in, in view.
    await page.locator('[data-widget="aging"]').scrollIntoViewIfNeeded()
    await page.waitForTimeout(1500)
    const drawn = aging.rows.filter((row) => Number(row.open) > 0)
    const target = drawn.reduce((best, row) => (Number(row.open) > Number(best.open) ? row : best))
    const bars = await page.locator('[data-widget="aging"] svg path[fill="#5070dd"]').evaluateAll((paths) =>
      paths.map((path) => (path as SVGGraphicsElement).getBoundingClientRect())
        .filter((box) => box.height > 0.5)
        .sort((a, b) => a.x - b.x)
        .map((box) => ({ x: box.x + box.width / 2, y: box.y + box.height / 2 })))
    expect(bars).toHaveLength(drawn.length)
    const bar = bars[drawn.indexOf(target)]
    await page.mouse.click(bar.x, bar.y)

    // The list runs the drill itself, for every page.
    await page.waitForURL(/#\/apps\/customer-settlement\/forms\/invoice\?drill=/, { timeout: 20_000 })
    const behind = await api<{ rows: Row[]; total: number }>(
      `${BOARD}/widgets/aging/drill?${query}&path=${encodeURIComponent(JSON.stringify({ bucket__index: target.bucket__index }))}&limit=1000`,
    )
    expect(behind.total).toBe(target.invoices)
    const link = new URL(page.url().replace('#/', '')).searchParams
    expect(JSON.parse(link.get('drill') ?? '{}')).toMatchObject({ widget: 'aging', path: { bucket__index: target.bucket__index } })
    await expect.poll(() => page.locator('.list-total').textContent(), { timeout: 15_000 })
      .toContain(String(target.invoices))
    // Beside each invoice, its share of the bar (as of the dashboard's date), as the drill API gives it.
    const shares = new Map(behind.rows.map((row) => [String(row.id), String(row.open)]))
    const shown = await page.locator('.ant-table-row').evaluateAll((rows) => rows.map((row) => ({
      id: row.getAttribute('data-row-key'),
      open: row.querySelector('[data-column="drill:open"]')?.textContent ?? '',
    })))
    expect(shown.length).toBe(Math.min(20, Number(target.invoices)))
    for (const one of shown) {
      expect(one.open.replace(/,/g, '')).toBe(shares.get(String(one.id)))
    }
    // Under the page, the share column totalled over all the bar's invoices (not only these 20): the bar.
    const totals = page.locator('[data-drill-totals]')
    expect(JSON.parse(await totals.getAttribute('data-drill-totals') ?? '{}')).toMatchObject({ open: target.open })
    expect(await totals.textContent()).toContain(`合计（全部 ${target.invoices} 条）`)
    expect(await totals.textContent()).toContain(Number(target.open).toLocaleString('en-US', { minimumFractionDigits: 2 }))
    // Above the list: where it came from, and the way back to the dashboard as it was.
    const origin = page.locator('[data-drill-origin="aging"]')
    expect(await origin.textContent()).toContain(`下钻自：应收看板 · 账龄分布 · ${String(target.bucket)}`)
    expect(await origin.textContent()).toContain(`截止 ${today}`)
    // And the region it was filtered to: the list holds that region's invoices only.
    const set = JSON.parse(filters) as Record<string, string[]>
    expect(set.region?.length).toBe(1)
    await expect.poll(() => origin.locator('[data-drill-filter]').textContent(), { timeout: 10_000 })
      .toBe(` · 区域 ${set.region[0]}`)
    await page.screenshot({ path: '/tmp/tessera-e2e-drilled.png', fullPage: true })
    await origin.locator('[data-action="back-to-dashboard"]').click()
    await page.waitForURL(/#\/apps\/customer-settlement\/dashboards\/receivables\?/, { timeout: 10_000 })
    const back = new URL(page.url().replace('#/', '')).searchParams
    expect(back.get('asOf')).toBe(today)
    expect(back.get('filters')).toBe(filters)
    expect(JSON.parse(back.get('drills') ?? '{}')).toEqual(JSON.parse(drilled))
    await expect.poll(() => page.locator('[data-widget="by_region"]').getAttribute('data-level'), { timeout: 15_000 })
      .toBe('customer')

    // The server-side drill list, opened directly: every invoice of the
    // biggest bucket without the region filter, under a chip that clears it.
    const all = await api<Run>(`${BOARD}/widgets/aging/run?asOf=${today}`)
    const biggest = all.rows.reduce((best, row) => (Number(row.invoices) > Number(best.invoices) ? row : best))
    const drill = JSON.stringify({ dashboard: 'receivables', widget: 'aging', params: { asOf: today }, filters: {},
      path: { bucket__index: biggest.bucket__index } })
    await page.goto(`${site.url}/#/apps/${APP}/forms/invoice?drill=${encodeURIComponent(drill)}`)
    await page.locator('[data-chip="dashboard-drill"]').waitFor({ timeout: 20_000 })
    await expect.poll(() => page.locator('.list-total').textContent(), { timeout: 15_000 })
      .toContain(String(biggest.invoices))
    expect(await page.locator('[data-chip="dashboard-drill"]').textContent()).toContain(String(biggest.invoices))
    await page.locator('[data-chip="dashboard-drill"] .ant-tag-close-icon').click()
    await expect.poll(() => page.locator('[data-chip="dashboard-drill"]').count()).toBe(0)
  })

  it('drills a widget level by level: a region, then its customers', async () => {
    await page.goto(`${site.url}/#/apps/${APP}/dashboards/receivables`)
    await ready('by_region').waitFor({ timeout: 20_000 })
    const regions = await shownRows('by_region')
    // Bars grow in for a moment after drawing; measure them once they stand still, in view.
    await page.locator('[data-widget="by_region"]').scrollIntoViewIfNeeded()
    await page.waitForTimeout(1500)
    const bars = await page.locator('[data-widget="by_region"] svg path[fill="#5070dd"]').evaluateAll((paths) =>
      paths.map((path) => (path as SVGGraphicsElement).getBoundingClientRect())
        .filter((box) => box.height > 0.5)
        .sort((a, b) => a.x - b.x)
        .map((box) => ({ x: box.x + box.width / 2, y: box.y + box.height / 2 })))
    await page.mouse.click(bars[0].x, bars[0].y)

    await expect.poll(() => page.locator('[data-widget="by_region"]').getAttribute('data-level')).toBe('customer')
    await ready('by_region').waitFor({ timeout: 15_000 })
    const path = await page.locator('[data-widget="by_region"] [data-drill-path]').getAttribute('data-drill-path')
    expect(JSON.parse(path ?? '{}')).toEqual({ region: regions[0].region })
    const customers = await shownRows('by_region')
    const sum = customers.reduce((total, row) => total + Math.round(Number(row.open) * 100), 0)
    expect(sum).toBe(Math.round(Number(regions[0].open) * 100))

    // The drill is in the URL: a reload (or back from a drilled list) finds the customers again.
    const drills = JSON.parse(new URL(page.url().replace('#/', '')).searchParams.get('drills') ?? '{}')
    expect(drills).toEqual({ by_region: { level: 'customer', path: { region: regions[0].region } } })
    await page.reload()
    await expect.poll(() => page.locator('[data-widget="by_region"]').getAttribute('data-level'), { timeout: 20_000 })
      .toBe('customer')
    await ready('by_region').waitFor({ timeout: 15_000 })
    expect(await shownRows('by_region')).toEqual(customers)

    await page.locator('[data-widget="by_region"] [data-action="drill-top"]').click()
    await expect.poll(() => page.locator('[data-widget="by_region"]').getAttribute('data-level')).toBe('region')
    expect(new URL(page.url().replace('#/', '')).searchParams.get('drills')).toBeNull()
  })

  it('moves and resizes a widget on the grid and saves the layout', async () => {
    await page.locator('[data-action="edit-layout"]').click()
    const cell = page.locator('.widget-cell', { has: page.locator('[data-widget="dso"]') })
    const before = JSON.parse(await cell.getAttribute('data-layout') ?? '{}')
    const handle = cell.locator('[data-action="resize"]')
    const box = await handle.boundingBox()
    if (!box) throw new Error('no resize handle')
    const gridBox = await page.locator('.widget-grid').boundingBox()
    const column = (gridBox?.width ?? 1200) / 12
    await page.mouse.move(box.x + 8, box.y + 8)
    await page.mouse.down()
    await page.mouse.move(box.x + 8 - column, box.y + 8 + 120, { steps: 8 })
    await page.mouse.up()
    await expect.poll(async () => JSON.parse(await cell.getAttribute('data-layout') ?? '{}').w).toBe(before.w - 1)

    await page.locator('[data-action="save-layout"]').click()
    await expect.poll(async () => {
      const board = await api<{ widgets: Array<{ key: string; layout: { w: number; h: number } }> }>(BOARD)
      return board.widgets.find((widget) => widget.key === 'dso')?.layout.w
    }, { timeout: 10_000 }).toBe(before.w - 1)
  })

  it('exports a widget to Excel and the dashboard to a PNG image', async () => {
    const excel = page.waitForEvent('download')
    await page.locator('[data-widget="aging"] [data-action="export-excel"]').click()
    const sheet = await excel
    expect(sheet.suggestedFilename()).toBe('账龄分布.xlsx')
    const bytes = await readFile(await sheet.path())
    expect(bytes.subarray(0, 4).toString('hex')).toBe('504b0304')
    // Its second sheet says which day the figures are of.
    const { today } = await api<{ today: string }>('/api/settings')
    const about = execFileSync('unzip', ['-p', await sheet.path(), 'xl/worksheets/sheet2.xml'], { encoding: 'utf8' })
    expect(about).toContain('>截止日期<')
    expect(about).toContain(`>${today}<`)
    expect(about).toContain('>账龄分布<')

    const image = page.waitForEvent('download')
    await page.locator('[data-action="export-image"]').click()
    const png = await image
    expect(png.suggestedFilename()).toBe('应收看板.png')
    const exported = await readFile(await png.path())
    expect(exported.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a')
    if (process.env.TESSERA_KEEP_IMAGE) await writeFile(process.env.TESSERA_KEEP_IMAGE, exported)

    // The picture is the page: block by block (40 px squares) its grid looks like a screenshot of
    // the grid, tables and KPI cards included, not only the charts.
    const grid = page.locator('.widget-grid').locator('..')
    // The screenshot without what the export leaves out (buttons) and the page's sticky top bar.
    const screenshot = await grid.screenshot({
      animations: 'disabled',
      style: '[data-action] { visibility: hidden !important } .shell-header { visibility: hidden !important }',
    })
    if (process.env.TESSERA_KEEP_IMAGE) await writeFile(`${process.env.TESSERA_KEEP_IMAGE}.screen.png`, screenshot)
    const compared = await page.evaluate(async ([ours, theirs]) => {
      const pixels = async (base64: string) => {
        const picture = new Image()
        picture.src = `data:image/png;base64,${base64}`
        await picture.decode()
        const canvas = document.createElement('canvas')
        canvas.width = picture.width
        canvas.height = picture.height
        const context = canvas.getContext('2d')!
        context.drawImage(picture, 0, 0)
        return context
      }
      const [image, shot] = [await pixels(ours), await pixels(theirs)]
      const width = shot.canvas.width
      const height = shot.canvas.height
      // The export: 2× scale, 16 px padding, a 28 px title band.
      const blockLuminance = (context: CanvasRenderingContext2D, x: number, y: number, size: number) => {
        const data = context.getImageData(x, y, size, size).data
        let sum = 0
        for (let i = 0; i < data.length; i += 4) sum += (data[i] + data[i + 1] + data[i + 2]) / 3
        return sum / (data.length / 4)
      }
      const diffs: number[] = []
      for (let y = 0; y + 40 <= height; y += 40) {
        for (let x = 0; x + 40 <= width; x += 40) {
          const theirs = blockLuminance(shot, x, y, 40)
          const ours = blockLuminance(image, (16 + x) * 2, (16 + 28 + y) * 2, 80)
          diffs.push(Math.abs(ours - theirs))
        }
      }
      diffs.sort((a, b) => a - b)
      return {
        size: [image.canvas.width, image.canvas.height, width, height],
        mean: diffs.reduce((a, b) => a + b, 0) / diffs.length,
        p95: diffs[Math.floor(diffs.length * 0.95)],
      }
    }, [exported.toString('base64'), screenshot.toString('base64')] as const)
    const [imageWidth, imageHeight, gridWidth, gridHeight] = compared.size
    expect(imageWidth).toBe((gridWidth + 32) * 2)
    expect(imageHeight).toBe((gridHeight + 32 + 28) * 2)
    console.log(`dashboard image against a screenshot: mean block difference ${compared.mean.toFixed(2)}, 95th percentile ${compared.p95.toFixed(2)}`)
    expect(compared.mean).toBeLessThan(3)
    expect(compared.p95).toBeLessThan(12)
  })

  it('removes a widget in edit mode, saved with the layout', async () => {
    type Board = { widgets: Array<{ key: string; report: string }>; filters: Array<{ fields?: Record<string, null> }> }
    const before = await api<Board>(BOARD)
    // The allocations widget built above: the global filters name its report to leave it unfiltered.
    const unfiltered = before.widgets[before.widgets.length - 1]
    expect(before.filters.some((filter) => filter.fields && unfiltered.report in filter.fields)).toBe(true)
    await page.locator('[data-action="edit-layout"]').click()
    for (const key of ['dso', unfiltered.key]) {
      const cell = page.locator('.widget-cell', { has: page.locator(`[data-widget="${key}"]`) })
      await cell.locator('[data-action="remove-widget"]').click()
      await page.locator('.ant-popconfirm:visible .ant-btn-primary').click()
      await expect.poll(() => page.locator(`[data-widget="${key}"]`).count()).toBe(0)
    }
    // Not saved until Done.
    expect((await api<{ widgets: Array<{ key: string }> }>(BOARD)).widgets.some((widget) => widget.key === 'dso')).toBe(true)
    await page.locator('[data-action="save-layout"]').click()
    await expect.poll(async () => {
      const board = await api<{ widgets: Array<{ key: string }> }>(BOARD)
      return board.widgets.map((widget) => widget.key).filter((key) => key === 'dso' || key === unfiltered.key)
    }, { timeout: 10_000 }).toEqual([])
    // With it went the filters' entries for its report, which the check would otherwise refuse.
    const after = await api<Board>(BOARD)
    expect(after.filters.some((filter) => filter.fields && unfiltered.report in filter.fields)).toBe(false)
  })

  it('creates a dashboard from the menu, adds its first widget in the builder, and deletes it', async () => {
    await page.goto(`${site.url}/#/apps/${APP}/dashboards/receivables`)
    const dialog = page.locator('.ant-modal:visible')
    const create = async (zh: string, key: string) => {
      await page.locator('[data-menu="new-dashboard"]').click()
      await dialog.locator('[data-field="nameZh"] input').fill(zh)
      await dialog.locator('[data-field="nameEn"] input').fill('Collections')
      await dialog.locator('[data-field="key"] input').fill(key)
      await dialog.locator('[data-action="create-dashboard"]').click()
    }
    // The name is asked for before anything is sent.
    await page.locator('[data-menu="new-dashboard"]').click()
    await dialog.locator('[data-action="create-dashboard"]').click()
    await expect.poll(() => dialog.locator('[data-field="nameZh"] .ant-form-item-explain').textContent()).toBe('请填写看板名称')
    await dialog.locator('.ant-modal-close').click()

    // A key taken is refused under the key, and the dashboard of that key stays as it was.
    await create('回款看板', 'receivables')
    await expect.poll(() => dialog.locator('[data-field="key"] .ant-form-item-explain').textContent(), { timeout: 10_000 })
      .toBe('标识「receivables」已被占用，请换一个')
    expect((await api<{ label: unknown }>(BOARD)).label).toEqual({ 'zh-CN': '应收看板', en: 'Receivables' })
    await dialog.locator('[data-field="key"] input').fill('e2e_collections')
    await dialog.locator('[data-action="create-dashboard"]').click()
    await page.waitForURL(/dashboards\/e2e_collections/, { timeout: 10_000 })
    await page.locator('[data-dashboard-empty]').waitFor({ timeout: 10_000 })
    expect(await page.locator('[data-menu="dashboard:e2e_collections"]').textContent()).toBe('回款看板')
    const created = await api<{ label: unknown; params: Array<{ key: string }>; widgets: unknown[] }>(`/api/apps/${APP}/dashboards/e2e_collections`)
    expect(created).toMatchObject({ label: { 'zh-CN': '回款看板', en: 'Collections' }, widgets: [] })
    expect(created.params.map((param) => param.key)).toEqual(['asOf', 'period'])
    await page.screenshot({ path: '/tmp/tessera-e2e-new-dashboard.png' })

    // Its first widget, from the builder the empty dashboard opens.
    await page.locator('[data-dashboard-empty] button').click()
    await page.waitForURL(/builder\?dashboard=e2e_collections/, { timeout: 10_000 })
    await page.goto(`${site.url}/#/apps/${APP}/builder?dashboard=e2e_collections&form=invoice`)
    await page.locator('[data-builder-field="amount"]').waitFor({ timeout: 20_000 })
    await page.locator('[data-builder-field="customer.region"]').dragTo(page.locator('[data-zone="dimensions"]'))
    await page.locator('[data-builder-field="amount"]').dragTo(page.locator('[data-zone="measures"]'))
    await page.locator('[data-preview="ready"]').waitFor({ timeout: 20_000 })
    await page.locator('[data-action="save-widget"]').click()
    await page.waitForURL(/dashboards\/e2e_collections/, { timeout: 10_000 })
    await expect.poll(async () => (await api<{ widgets: unknown[] }>(`/api/apps/${APP}/dashboards/e2e_collections`)).widgets.length,
      { timeout: 10_000 }).toBe(1)
    await expect.poll(() => page.locator('[data-dashboard-empty]').count()).toBe(0)

    // A global filter without JSON: a field of the invoices, through their customer.
    await page.locator('[data-action="edit-filters"]').click()
    const editor = page.locator('.ant-modal:visible')
    const choose = async (hook: string, text: string, typed?: string) => {
      await editor.locator(`[data-field="${hook}"] .ant-select`).click()
      // A long list shows only what is scrolled to: typing narrows it.
      if (typed) await page.keyboard.type(typed)
      await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text }).first().click()
    }
    await choose('form', '发票（应收）')
    await choose('path', '客户 · 区域', '区域')
    await expect.poll(() => editor.locator('[data-field="nameZh"] input').inputValue()).toBe('区域')
    await editor.locator('[data-action="add-filter"]').click()
    await expect.poll(async () => (await api<{ filters?: unknown[] }>(`/api/apps/${APP}/dashboards/e2e_collections`)).filters ?? [],
      { timeout: 10_000 }).toHaveLength(1)
    const [filter] = (await api<{ filters: Array<{ key: string; field: string; type: string; options?: unknown }> }>(
      `/api/apps/${APP}/dashboards/e2e_collections`)).filters
    expect(filter).toMatchObject({ field: 'customer.region', type: 'select', options: { form: 'customer', field: 'region' } })
    // It narrows the widget: pick a region, and the chart shows that region alone.
    const box = page.locator(`[data-filter="${filter.key}"] .ant-select`)
    await box.waitFor({ timeout: 10_000 })
    const regions = await api<Array<{ value: string }>>(`/api/apps/${APP}/dashboards/e2e_collections/filters/${filter.key}/options`)
    await box.click()
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: regions[0].value }).first().click()
    await page.keyboard.press('Escape')
    const [built] = (await api<{ widgets: Array<{ key: string }> }>(`/api/apps/${APP}/dashboards/e2e_collections`)).widgets
    await expect.poll(async () => (await shownRows(built.key))?.map((row) => row.customer_region), { timeout: 15_000 })
      .toEqual([regions[0].value])
    // And goes again.
    await page.locator('[data-action="edit-filters"]').click()
    await editor.locator(`[data-filter-item="${filter.key}"] [data-action="remove-filter"]`).click()
    await expect.poll(() => page.locator(`[data-filter="${filter.key}"]`).count(), { timeout: 10_000 }).toBe(0)

    // Deleted after a question: the app opens its other dashboard, the menu no longer lists it.
    await page.locator('[data-action="delete-dashboard"]').click()
    await page.locator('[data-action="confirm-delete-dashboard"]').click()
    await page.waitForURL(/dashboards\/receivables/, { timeout: 10_000 })
    await expect.poll(() => page.locator('[data-menu="dashboard:e2e_collections"]').count()).toBe(0)
    const gone = await fetch(`${site.url}/api/apps/${APP}/dashboards/e2e_collections`, { headers: site.apiHeaders })
    expect(gone.status).toBe(404)
  })
})
