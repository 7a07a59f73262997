import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  TesseraError,
  isTesseraError,
  type Actor,
  type AppDefinition,
  type FormDefinition,
  type PublishedForm,
} from '@tessera/core'
import { checkFormDefinition } from '@tessera/forms'
import { checkMapping } from '@tessera/importer'
import { checkReportSpec, type ReportSpec } from '@tessera/reports'
import {
  checkRoleSpec,
  sameDesign,
  type Catalog,
  type RoleDocuments,
  type RoleSpecContext,
} from '@tessera/store'
import { checkDashboard } from './dashboard.js'
import { checkDrillSources, checkDrillTarget } from './report-pages.js'

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
  /** What the people running the app changed since it was installed, left as they made it. */
  kept: { kind: string; key: string; by: string }[]
  /** Template items that no longer fit what was kept (a report over a field taken out), not installed. */
  skipped: { kind: string; key: string; problem: string }[]
}

/**
 * Installs or upgrades an app from a template folder. Forms are saved as
 * drafts and published together; reports, dashboards and import mappings are
 * checked against the published forms before they are stored. Installing
 * the same template again changes nothing.
 *
 * An upgrade (every `tessera start` installs the bundled template) takes
 * the template's version only of what nobody else changed since it was
 * installed: a form another actor published or holds a draft of, or a
 * report, dashboard, mapping or role someone saved in the app, is kept as
 * it is and listed in `kept`. A template item that does not fit what was
 * kept is left out and listed in `skipped` (on a fresh install any misfit
 * is the template's own mistake, and refused).
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
  const installed = await catalog.findApp(appKey)
  const changed = installed ? await catalog.changedSinceInstall(appKey, actor.id) : new Map<string, string>()
  const kept: InstallResult['kept'] = []
  const isKept = (kind: string, key: string) => {
    const by = changed.get(`${kind}:${key}`)
    if (by !== undefined) kept.push({ kind, key, by })
    return by !== undefined
  }
  const skipped: InstallResult['skipped'] = []
  // A template item checked against what is in force: refused on a clean
  // install, left out (and listed) where it meets changes that were kept.
  const fits = async <T>(kind: string, key: string, check: () => Promise<T> | T): Promise<T | undefined> => {
    try {
      return await check()
    } catch (error) {
      if (kept.length === 0 || !isTesseraError(error)) throw error
      skipped.push({ kind, key, problem: error.messageIn('zh-CN') })
      return undefined
    }
  }

  await catalog.saveApp(manifest.app)
  try {
    // Only the template's forms that say something new are saved and published.
    const changedForms: { key: string; before?: FormDefinition }[] = []
    for (const key of manifest.forms) {
      if (isKept('form', key)) continue
      const raw = await readJson(join(dir, 'forms', `${key}.json`))
      const current = await catalog.findForm(appKey, key)
      if (current && sameDesign(checkFormDefinition(raw), current.definition)) continue
      await catalog.saveDraft(appKey, raw)
      changedForms.push({ key, ...(current ? { before: current.definition } : {}) })
    }
    const published = await publishFitting(catalog, appKey, changedForms, actor, kept.length > 0, skipped)

    const forms = catalog.resolver(appKey)
    const inForce = (kind: 'report' | 'dashboard' | 'import', key: string) => catalog.findMeta(appKey, kind, key)
    // Reports in force (the kept ones as saved), which dashboards are checked against.
    const reports = new Map<string, ReportSpec>()
    const ownReports: ReportSpec[] = []
    for (const key of manifest.reports ?? []) {
      if (isKept('report', key)) {
        const stored = await inForce('report', key) as ReportSpec | undefined
        if (stored) reports.set(key, stored)
        continue
      }
      const spec = await fits('report', key, async () => checkReportSpec(await readJson(join(dir, 'reports', `${key}.json`)), forms, { bothLanguages: true }))
      if (spec) {
        reports.set(spec.key, spec)
        ownReports.push(spec)
      }
    }
    // A report's rows open another (drillTo): each fits the reports as they will be, both ways.
    for (const spec of [...ownReports]) {
      const fitting = await fits('report', spec.key, () => {
        checkDrillTarget(spec, reports, 'zh-CN')
        checkDrillSources(spec.key, reports, 'zh-CN')
        return spec
      })
      if (fitting) continue
      ownReports.splice(ownReports.indexOf(spec), 1)
      const stored = await inForce('report', spec.key) as ReportSpec | undefined
      if (stored) reports.set(spec.key, stored)
      else reports.delete(spec.key)
    }
    const dashboards = []
    for (const key of manifest.dashboards ?? []) {
      if (isKept('dashboard', key)) continue
      const spec = await fits('dashboard', key, async () =>
        checkDashboard(await readJson(join(dir, 'dashboards', `${key}.json`)), reports, forms))
      if (spec) dashboards.push(spec)
    }
    const imports = []
    for (const key of manifest.imports ?? []) {
      if (isKept('import', key)) continue
      const spec = await fits('import', key, async () => checkMapping(await readJson(join(dir, 'imports', `${key}.json`)), forms))
      if (spec) imports.push(spec)
    }

    const roles = []
    if (manifest.roles?.length) {
      if (!roleDocuments) throw new TesseraError('internal', `template ${dir} ships roles, but no role store was given to install them`)
      const context = await roleContext(catalog, appKey, reports.keys(), dashboards.map((d) => d.key))
      for (const key of manifest.roles) {
        if (isKept('role', key)) continue
        const spec = await fits('role', key, async () => checkRoleSpec(await readJson(join(dir, 'roles', `${key}.json`)), context))
        if (spec) roles.push(spec)
      }
    }

    for (const spec of ownReports) await catalog.putMeta(appKey, 'report', spec.key, spec, actor)
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
      reports: ownReports.length,
      dashboards: dashboards.length,
      imports: imports.length,
      roles: roles.length,
      kept,
      skipped,
    }
  } catch (error) {
    // A fresh install stopped by a misfit takes back what it made (forms
    // published before a report, dashboard, mapping or role was refused),
    // so the template can be fixed and installed again from nothing.
    if (!installed) await catalog.discardNewApp(appKey)
    throw error
  }
}

/**
 * Publishes the template's changed forms together. Where changes were kept
 * and that fails, each is published alone, and one that does not fit what
 * was kept (a lookup of a field taken out) is left at its version in force,
 * its draft put back, and listed in `skipped`.
 */
async function publishFitting(
  catalog: Catalog,
  appKey: string,
  forms: { key: string; before?: FormDefinition }[],
  actor: Actor,
  keptAny: boolean,
  skipped: InstallResult['skipped'],
): Promise<PublishedForm[]> {
  if (forms.length === 0) return []
  try {
    return await catalog.publish(appKey, forms.map((form) => form.key), actor)
  } catch (error) {
    if (!keptAny || !isTesseraError(error)) throw error
  }
  const published: PublishedForm[] = []
  for (const form of forms) {
    try {
      published.push(...await catalog.publish(appKey, [form.key], actor))
    } catch (error) {
      if (!isTesseraError(error)) throw error
      skipped.push({ kind: 'form', key: form.key, problem: error.messageIn('zh-CN') })
      if (form.before) await catalog.saveDraft(appKey, form.before)
    }
  }
  return published
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
