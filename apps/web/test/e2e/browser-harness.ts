import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { AddressInfo } from 'node:net'
import { chromium, type Browser, type Page } from 'playwright-core'
import { afterEach } from 'vitest'
import { SYSTEM_ACTOR } from '@tessera/core'
import { loadDemo, Platform } from '@tessera/platform'
import { buildServer } from '@tessera/server'
import { openDatabase, migrate } from '@tessera/store'

/**
 * Browser tests drive the built web app, served by the real server on a
 * random loopback port, in Debian's headless Chromium through playwright-core.
 * Without /usr/bin/chromium they are skipped with a note, except in CI (or
 * with TESSERA_REQUIRE_BROWSER set), where its absence is a failure.
 */
export const CHROMIUM = process.env.TESSERA_CHROMIUM ?? '/usr/bin/chromium'
export const TEMPLATE = resolve(__dirname, '../../../../templates/customer-settlement')
export const SAMPLE = process.env.TESSERA_SAMPLE_CSV ?? resolve(__dirname, '../../../../../shared/data/ar-sample.csv')
const WEB_ROOT = resolve(__dirname, '../../dist')

const required = Boolean(process.env.CI || process.env.TESSERA_REQUIRE_BROWSER)
export const browserMissing = !existsSync(CHROMIUM) && !required
if (browserMissing) console.warn(`SKIPPED: browser tests need Chromium at ${CHROMIUM} (apt-get install chromium, or run .ci/run)`)

/**
 * Debian's Chromium, headless. Each launch gets a fresh profile: playwright
 * passes its own new `--user-data-dir` (a `playwright_chromiumdev_profile-*`
 * folder under the temporary directory, removed on close) and refuses one
 * given in `args`, so none is passed here.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is required for browser tests and missing at ${CHROMIUM}`)
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  })
  // Pages ask for reduced motion, as some readers' systems do: the app then opens menus and pickers
  // without animating them, so a click is never sent to an item still moving into place (a loaded
  // machine once clicked a calendar's day instead of its 今天, and a menu's 退出登录 went unheard).
  // Every uncaught error of the page's scripts is kept, for showPageOnFailure to fail the test on.
  const newPage = browser.newPage.bind(browser)
  browser.newPage = async (options) => {
    const page = await newPage({ reducedMotion: 'reduce', ...options })
    const errors: Error[] = []
    pageErrors.set(page, errors)
    page.on('pageerror', (error) => errors.push(error))
    return page
  }
  return browser
}

const pageErrors = new WeakMap<Page, Error[]>()

/** The administrator the harness creates at first run (unless asked not to). */
export const E2E_ADMIN = { username: 'e2e.admin', password: 'harbour-lights-2026!', displayName: '测试管理员' }

export interface TestSite {
  url: string
  platform: Platform
  /** Headers that let Node's fetch call the API as the administrator (empty without setup). */
  apiHeaders: Record<string, string>
  close(): Promise<void>
}

export interface SiteOptions {
  demoSize: number
  sample: boolean
  /** Create the administrator through the API first (default); false leaves the first run to the page. */
  setup?: boolean
}

/** A fresh embedded database with the template, demo data and (if present) the public sample. */
export async function startSite(options: SiteOptions): Promise<TestSite> {
  if (!existsSync(join(WEB_ROOT, 'index.html'))) {
    throw new Error(`the web app is not built (${WEB_ROOT}); npm test builds it first, or run: npx pnpm@9.15.9 --filter @tessera/web build`)
  }
  const database = await openDatabase()
  await migrate(database)
  const platform = new Platform(database)
  await platform.installTemplate(TEMPLATE, SYSTEM_ACTOR)
  await loadDemo(platform, TEMPLATE, {
    outDir: mkdtempSync(join(tmpdir(), 'tessera-e2e-')), size: options.demoSize, actor: SYSTEM_ACTOR,
  })
  if (options.sample) {
    const result = await platform.runImport('customer-settlement', 'ledger', SAMPLE, { actor: SYSTEM_ACTOR })
    if (result.status !== 'succeeded') throw new Error(`sample import failed: ${JSON.stringify(result.errors.slice(0, 3))}`)
  }
  const server = await buildServer(platform, { webRoot: WEB_ROOT })
  await server.listen({ host: '127.0.0.1', port: 0 })
  const { port } = server.server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}`
  return {
    url,
    platform,
    apiHeaders: options.setup === false ? {} : await setupAdmin(url),
    async close() {
      await server.close()
      await platform.close()
    },
  }
}

async function setupAdmin(url: string): Promise<Record<string, string>> {
  const response = await fetch(`${url}/api/auth/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(E2E_ADMIN),
  })
  if (response.status !== 201) throw new Error(`first-run setup failed: ${response.status} ${await response.text()}`)
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]
  const { csrfToken } = (await response.json()) as { csrfToken: string }
  return { cookie, 'x-csrf-token': csrfToken }
}

/** Signs in through the page and waits for the app's header to show the user. */
export async function signIn(page: Page, url: string, who = E2E_ADMIN): Promise<void> {
  await page.goto(`${url}/`)
  await page.locator('[data-page="login"]').waitFor({ timeout: 20_000 })
  await page.locator('[data-field="username"] input').fill(who.username)
  await page.locator('[data-field="password"] input').fill(who.password)
  await page.locator('[data-action="login"]').click()
  await page.locator('[data-action="user-menu"]').waitFor({ timeout: 20_000 })
}

/** A test site, a browser and a page signed in as the administrator, for a file's beforeAll. */
export async function openSignedIn(options: SiteOptions, viewport = { width: 1400, height: 1000 }) {
  const site = await startSite(options)
  const browser = await launchBrowser()
  const page = await browser.newPage({ viewport, locale: 'zh-CN' })
  await signIn(page, site.url)
  return { site, browser, page }
}

/** Creates a form from the app's menu (新建表单) and waits for its builder. */
export async function newForm(page: Page, names: { zh: string; en: string }, key: string): Promise<void> {
  await page.locator('[data-menu="new-form"]').click()
  // Reached by their labels, as a screen reader would.
  await page.getByLabel('表单名称（中文）').fill(names.zh)
  await page.locator('[data-new-form-label-en]').fill(names.en)
  await page.getByLabel('表单标识（英文小写、数字、下划线）').fill(key)
  await page.locator('[data-action="create-form"]').click()
  await page.locator(`[data-form-builder="${key}"]`).waitFor()
}

/**
 * Fails a test during which the page's scripts threw (an error the page
 * itself may not show). After a failed test, prints where the page was and
 * what it showed: a CI run keeps only its log, and "waiting for locator" alone does not say
 * whether the page was loading, refused, or somewhere else.
 */
export function showPageOnFailure(current: () => Page | undefined): void {
  afterEach(async (context) => {
    // A script error the page did not show (a handler throwing on a picked day) fails the test too.
    const shown = current()
    const errors = (shown && pageErrors.get(shown)?.splice(0)) ?? []
    if (errors.length > 0 && context.task.result?.state !== 'fail') {
      throw new Error(`the page threw while "${context.task.name}" ran:\n${errors.map((error) => error.stack ?? error.message).join('\n')}`)
    }
    if (context.task.result?.state !== 'fail') return
    const page = current()
    if (!page || page.isClosed()) return
    const text = await page.locator('body').innerText({ timeout: 2_000 }).catch((error: unknown) => `(unreadable: ${String(error)})`)
    console.error(`The page when "${context.task.name}" failed: ${page.url()}\n${text.slice(0, 3_000)}`)
  })
}
