import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  TesseraError,
  type Actor,
  type AppDefinition,
} from '@tessera/core'
import { checkMapping } from '@tessera/importer'
import { checkReportSpec, type ReportSpec } from '@tessera/reports'
import {
  checkRoleSpec,
  type Catalog,
  type RoleDocuments,
  type RoleSpecContext,
} from '@tessera/store'
import { checkDashboard } from './dashboard.js'

/**
 * A template folder: template.json names the app and lists, by key, the
 * JSON files it ships under forms/, reports/, dashboards/, imports/ and
 * roles/ (role documents, see docs/metadata/roles.md).
 */
export interface TemplateManifest {
  app: AppDefinition
  forms: string[]
  reports?: string[]
  dashboards?: string[]
  imports?: string[]
  roles?: string[]
  settings?: { timeZone?: string }
}

export interface InstallResult {
  app: string
  published: { form: string; version: number }[]
  reports: number
  dashboards: number
  imports: number
  roles: number
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
  roleDocuments?: RoleDocuments,
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
    dashboards.push(await checkDashboard(await readJson(join(dir, 'dashboards', `${key}.json`)), reports, forms))
  }
  const imports = []
  for (const key of manifest.imports ?? []) {
    imports.push(await checkMapping(await readJson(join(dir, 'imports', `${key}.json`)), forms))
  }

  const roles = []
  if (manifest.roles?.length) {
    if (!roleDocuments) throw new TesseraError('internal', `template ${dir} ships roles, but no role store was given to install them`)
    const context = await roleContext(catalog, appKey, reports.keys(), dashboards.map((d) => d.key))
    for (const key of manifest.roles) {
      roles.push(checkRoleSpec(await readJson(join(dir, 'roles', `${key}.json`)), context))
    }
  }

  for (const spec of reports.values()) await catalog.putMeta(appKey, 'report', spec.key, spec, actor)
  for (const spec of dashboards) await catalog.putMeta(appKey, 'dashboard', spec.key, spec, actor)
  for (const spec of imports) await catalog.putMeta(appKey, 'import', spec.key, spec, actor)
  for (const spec of roles) await roleDocuments!.save(actor, appKey, spec)
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
    roles: roles.length,
  }
}

/** Published forms, plus the reports and dashboards stored or about to be. */
async function roleContext(
  catalog: Catalog,
  appKey: string,
  reports: Iterable<string>,
  dashboards: Iterable<string>,
): Promise<RoleSpecContext> {
  const forms = new Map()
  for (const summary of await catalog.listForms(appKey)) {
    if (summary.publishedVersion !== null) forms.set(summary.key, await catalog.getForm(appKey, summary.key))
  }
  const stored = async (kind: 'report' | 'dashboard') => (await catalog.listMeta(appKey, kind)).map((m) => m.key)
  return {
    forms,
    reports: new Set([...reports, ...(await stored('report'))]),
    dashboards: new Set([...dashboards, ...(await stored('dashboard'))]),
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
