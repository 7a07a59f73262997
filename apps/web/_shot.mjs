import { chromium } from 'playwright-core'
const [,, path, out, w = '1366', h = '900'] = process.argv
const base = process.env.BASE ?? 'http://127.0.0.1:3555'
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'] })
const context = await browser.newContext({ viewport: { width: Number(w), height: Number(h) }, locale: process.env.LANG_UI ?? 'zh-CN' })
const page = await context.newPage()
const login = await page.request.post(`${base}/api/auth/login`, { data: { username: 'admin', password: 'harbour-lights-2026!' } })
if (!login.ok()) console.log('login', login.status(), await login.text())
await page.goto(`${base}/#${path}`)
if (process.env.SEL) await page.locator(process.env.SEL).first().waitFor({ timeout: 20000 })
await page.waitForTimeout(Number(process.env.WAIT ?? 2500))
await page.screenshot({ path: out, fullPage: process.env.FULL === '1' })
await browser.close()
