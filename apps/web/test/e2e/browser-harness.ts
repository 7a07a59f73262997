import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import type { AddressInfo } from 'node:net'
import { chromium, type Browser } from 'playwright-core'
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
export const SAMPLE = resolve(__dirname, '../../../../../shared/data/ar-sample.csv')
const WEB_ROOT = resolve(__dirname, '../../dist')

const required = Boolean(process.env.CI || process.env.TESSERA_REQUIRE_BROWSER)
export const browserMissing = !existsSync(CHROMIUM) && !required
if (browserMissing) console.warn(`SKIPPED: browser tests need Chromium at ${CHROMIUM} (apt-get install chromium, or run .ci/run)`)

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is required for browser tests and missing at ${CHROMIUM}`)
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  })
}

export interface TestSite {
  url: string
  platform: Platform
  close(): Promise<void>
}

/** A fresh embedded database with the template, demo data and (if present) the public sample. */
export async function startSite(options: { demoSize: number; sample: boolean }): Promise<TestSite> {
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
  return {
    url: `http://127.0.0.1:${port}`,
    platform,
    async close() {
      await server.close()
      await platform.close()
    },
  }
}
