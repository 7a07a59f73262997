import { chromium } from 'playwright-core'
const base = 'http://127.0.0.1:3555'
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] })
const context = await browser.newContext({ viewport: { width: 390, height: 844 } })
const page = await context.newPage()
page.on('console', (m) => { if (m.type() === 'error') console.log('console', m.text().slice(0, 400)) })
page.on('pageerror', (e) => console.log('pageerror', e.message.slice(0, 400)))
await page.request.post(`${base}/api/auth/login`, { data: { username: 'admin', password: 'harbour-lights-2026!' } })
await page.goto(`${base}/#/apps/customer-settlement/forms/receipt`)
await page.waitForTimeout(4000)
await browser.close()
