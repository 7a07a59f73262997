import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  TesseraError,
  type Actor,
  type AppDefinition,
} from '@tessera/core'
import { checkMapping } from '@tessera/importer'
import { checkReportSpec, type ReportSpec } from '@tessera/reports'
import type { Catalog } from '@tessera/store'
import { checkDashboard } from './dashboard.js'

/**
 * A template folder: template.json names the app and lists, by key, the
 * JSON files it ships under forms/, reports/, dashboards/ and imports/.
 */
export interface TemplateManifest {
  app: AppDefinition
  forms: string[]
  reports?: string[]
  dashboards?: string[]
  imports?: string[]
  settings?: { timeZone?: string }
}

export interface InstallResult {
  app: string
  published: { form: string; version: number }[]
  reports: number
  dashboards: number
  imports: number
}

/**
 * Installs or upgrades an app from a template folder. Forms are saved as
 * drafts and published together; reports, dashboards and import mappings are
 * checked against the published forms before they are stored. Installing
 * the same template again changes nothing.
 */
export async function installTemplate(
  catalog: Catalog,
  dir: string,
  actor: Actor,
): Promise<InstallResult> {
  const manifest = await readJson<TemplateManifest>(join(dir, 'template.json'))
  const appKey = manifest.app?.key
  if (!appKey || !Array.isArray(manifest.forms)) {
    throw new TesseraError('metadata.invalid', `${join(dir, 'template.json')} needs "app.key" and a "forms" list`)
  }
  await catalog.saveApp(manifest.app)
  for (const key of manifest.forms) {
    await catalog.saveDraft(appKey, await readJson(join(dir, 'forms', `${key}.json`)))
  }
  const published = await catalog.publish(appKey, manifest.forms, actor)

  const forms = catalog.resolver(appKey)
  const reports = new Map<string, ReportSpec>()
  for (const key of manifest.reports ?? []) {
    const spec = await checkReportSpec(await readJson(join(dir, 'reports', `${key}.json`)), forms)
    reports.set(spec.key, spec)
  }
  const dashboards = []
  for (const key of manifest.dashboards ?? []) {
    dashboards.push(checkDashboard(await readJson(join(dir, 'dashboards', `${key}.json`)), reports))
  }
  const imports = []
  for (const key of manifest.imports ?? []) {
    imports.push(await checkMapping(await readJson(join(dir, 'imports', `${key}.json`)), forms))
  }

  for (const spec of reports.values()) await catalog.putMeta(appKey, 'report', spec.key, spec, actor)
  for (const spec of dashboards) await catalog.putMeta(appKey, 'dashboard', spec.key, spec, actor)
  for (const spec of imports) await catalog.putMeta(appKey, 'import', spec.key, spec, actor)
  if (manifest.settings?.timeZone) {
    const current = await catalog.getSetting<string | null>('timeZone', null)
    if (!current) await catalog.setSetting('timeZone', manifest.settings.timeZone)
  }
  return {
    app: appKey,
    published: published.map((f) => ({ form: f.key, version: f.version })),
    reports: reports.size,
    dashboards: dashboards.length,
    imports: imports.length,
  }
}

async function readJson<T = unknown>(path: string): Promise<T> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    throw new TesseraError('metadata.invalid', `cannot read ${path}: ${(error as Error).message}`, { cause: error })
  }
  try {
    return JSON.parse(text) as T
  } catch (error) {
    throw new TesseraError('metadata.invalid', `${path} is not valid JSON: ${(error as Error).message}`, { cause: error })
  }
}
