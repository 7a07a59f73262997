import { TesseraError, localize, notFound, requireAdmin, type Actor, type FormResolver, type Locale, type LocalizedText } from '@tessera/core'
import { type ReportSpec, checkReportSpec, compileReport } from '@tessera/reports'

import { type DashboardSpec, checkDashboard, isRecord } from './dashboard.js'
import type { Platform } from './platform.js'
import { checkDrillSources, checkDrillTarget } from './report-pages.js'

/*
 * Saving and deleting reports and dashboards. Each save checks what it
 * writes against what it depends on and what depends on it (a dashboard
 * against its reports, a report against every dashboard showing it), and
 * holds those at the versions it checked until it has written.
 */

/** Saves a report spec after checking it against the published forms; admins only. */
export async function saveReport(
  platform: Platform,
  actor: Actor,
  appKey: string,
  reportKey: string,
  spec: unknown,
  locale: Locale,
): Promise<ReportSpec & { version: number }> {
  requireAdmin(actor, `change the reports of app "${appKey}"`)
  const forms = platform.catalog.resolver(appKey)
  const { spec: unversioned, baseVersion } = versionOf(spec, locale, 'report')
  const checked = await checkReportSpec(unversioned, forms, { locale, bothLanguages: true })
  if (checked.key !== reportKey) throw keyMismatch('report', reportKey, checked.key)
  await refuseOversized(checked, forms, await platform.timeZone(), locale)
  let version = 0
  await checkedSave(async () => {
    const { reports } = await appReports(platform, appKey)
    reports.set(checked.key, checked)
    checkDrillTarget(checked, reports, locale)
    checkDrillSources(checked.key, reports, locale)
    const dashboards = await platform.catalog.listMetaSpecs<DashboardSpec>(appKey, 'dashboard')
    await checkDependents(platform, appKey, dashboards, reports, [checked.key], undefined, locale)
    // Saved only if no dashboard changed since it was checked against the new report (and, given
    // the version it was read at, only if no one else saved the report meanwhile).
    const stored = await platform.catalog.putMetaItems(appKey, [{ kind: 'report', key: reportKey, spec: checked, baseVersion }],
      actor, [], { kind: 'dashboard', versions: versionsOf(dashboards) })
    version = stored[`report/${reportKey}`]
  })
  return { ...checked, version }
}

/**
 * A report whose statement would carry more values than PostgreSQL takes
 * (long `in` lists, doubled by a comparison), or whose text would be too
 * long (lets repeating each other), is refused when saved, not at every
 * run: compiled once with its params' defaults. Other problems of
 * that run (a param without a default) are the run's own to report.
 */
async function refuseOversized(spec: ReportSpec, forms: FormResolver, timeZone: string, locale: Locale) {
  try {
    await compileReport(spec, forms, {}, { timeZone, locale })
  } catch (error) {
    // Too many values, or too long a text: no run of it could go through (see toSqlText).
    if (error instanceof TesseraError && (error.details.parameters !== undefined || error.details.length !== undefined)) throw error
  }
}

/** The app's reports, and the version of each as read. */
async function appReports(platform: Platform, appKey: string) {
  const listed = await platform.catalog.listMetaSpecs<ReportSpec>(appKey, 'report')
  return { reports: new Map(listed.map((item) => [item.key, item.spec])), versions: versionsOf(listed) }
}

function versionsOf(items: ReadonlyArray<{ key: string; version: number }>): Record<string, number> {
  return Object.fromEntries(items.map((item) => [item.key, item.version]))
}

/**
 * Runs a read-check-save again when the save finds that something it was
 * checked against changed meanwhile (conflict.retry), up to three times:
 * two administrators saving a report and a dashboard showing it at once
 * each end up checked against the other's change.
 */
async function checkedSave(attempt: () => Promise<void>): Promise<void> {
  for (let round = 1; ; round += 1) {
    try {
      return await attempt()
    } catch (error) {
      if (round >= 3 || !(error instanceof TesseraError) || error.code !== 'conflict.retry') throw error
    }
  }
}

/**
 * Every saved dashboard (but `except`) that shows one of the `changed`
 * reports, checked again against `reports` as they would be after the
 * save: a report change that would break a dashboard (a measure, drill
 * level or filter path it uses gone, a param it sends retyped) is refused,
 * naming the dashboard and what of it breaks, instead of failing on every
 * view afterwards.
 */
async function checkDependents(
  platform: Platform,
  appKey: string,
  dashboards: ReadonlyArray<{ key: string; spec: DashboardSpec }>,
  reports: ReadonlyMap<string, ReportSpec>,
  changed: readonly string[],
  except: string | undefined,
  locale: Locale,
): Promise<void> {
  const forms = platform.catalog.resolver(appKey)
  for (const { key, spec: dashboard } of dashboards) {
    const summary = { key }
    if (summary.key === except) continue
    if (!reportsOf(dashboard).some((key) => changed.includes(key))) continue
    try {
      await checkDashboard(dashboard, reports, forms, locale)
    } catch (error) {
      if (!(error instanceof TesseraError)) throw error
      const issues = error.issues.map((issue) => ({ ...issue, field: `dashboards.${summary.key}.${issue.field}` }))
      const first = error.issues[0]
      const what = first ? `${first.field}: ${first.message}` : error.message
      const en = `the change would break dashboard "${summary.key}" (${what}); change the dashboard first`
      const zh = `这样保存会使看板「${summary.key}」无法显示（${what}），请先修改看板`
      throw new TesseraError('report.invalid', en, {
        details: { dashboard: summary.key, reports: [...changed] },
        issues,
        messages: { 'zh-CN': zh, en },
      })
    }
  }
}

/** Saves a dashboard after checking it against the app's reports and forms; admins only. */
export async function saveDashboard(
  platform: Platform,
  actor: Actor,
  appKey: string,
  dashboardKey: string,
  spec: unknown,
  locale: Locale = 'zh-CN',
): Promise<DashboardSpec & { version: number }> {
  requireAdmin(actor, `change the dashboards of app "${appKey}"`)
  const { spec: unversioned, baseVersion } = versionOf(spec, locale)
  return storeDashboard(platform, actor, appKey, unversioned, locale, { key: dashboardKey, baseVersion })
}

/**
 * Checks a dashboard against the app's reports and forms and stores it,
 * its reports held at the versions it was checked against until it is
 * saved: at `key` (a save, refused if someone saved it since `baseVersion`),
 * or as a new one (`create`: refused if its key is taken).
 */
async function storeDashboard(
  platform: Platform,
  actor: Actor,
  appKey: string,
  spec: unknown,
  locale: Locale,
  at: { key: string; baseVersion?: number } | { create: true },
): Promise<DashboardSpec & { version: number }> {
  const forms = platform.catalog.resolver(appKey)
  let saved: (DashboardSpec & { version: number }) | undefined
  await checkedSave(async () => {
    const { reports, versions } = await appReports(platform, appKey)
    const checked = await checkDashboard(spec, reports, forms, locale)
    if ('key' in at && checked.key !== at.key) throw keyMismatch('dashboard', at.key, checked.key)
    const item = 'key' in at
      ? { kind: 'dashboard' as const, key: checked.key, spec: checked, baseVersion: at.baseVersion }
      : { kind: 'dashboard' as const, key: checked.key, spec: checked, create: true }
    const stored = await platform.catalog.putMetaItems(appKey, [item],
      actor, reportsOf(checked).map((key) => ({ kind: 'report', key, version: versions[key] })))
    // With the version now stored, so the next change can be sent with it without reading again.
    saved = { ...checked, version: stored[`dashboard/${checked.key}`] }
  })
  return saved!
}

/**
 * Creates a dashboard (admins only): checked as a save is, and refused
 * with conflict.unique (issue on `key`) when the app has a dashboard of
 * that key already, rather than replacing it. A new dashboard may hold no
 * widgets yet: the widget builder adds them.
 */
export async function createDashboard(
  platform: Platform,
  actor: Actor,
  appKey: string,
  spec: unknown,
  locale: Locale = 'zh-CN',
): Promise<DashboardSpec & { version: number }> {
  requireAdmin(actor, `change the dashboards of app "${appKey}"`)
  if (isRecord(spec) && 'version' in spec) {
    const en = 'a new dashboard has no version yet: leave "version" out'
    throw new TesseraError('request.invalid', en, {
      issues: [{ field: 'version', rule: 'unknown', message: locale === 'en' ? en : '新看板还没有版本号，请不要给 version' }],
      messages: { 'zh-CN': '新看板还没有版本号，请不要给 version', en },
    })
  }
  return storeDashboard(platform, actor, appKey, spec, locale, { create: true })
}

/**
 * Deletes a dashboard (admins only). One a role names is refused with the
 * roles (conflict.reference): such a role could no longer be saved as it
 * reads. The reports it showed stay; a template's dashboard comes back at
 * the next install of the template.
 */
export async function deleteDashboard(
  platform: Platform,
  actor: Actor,
  appKey: string,
  dashboardKey: string,
): Promise<void> {
  requireAdmin(actor, `change the dashboards of app "${appKey}"`)
  const own = await platform.catalog.findMeta<{ label?: LocalizedText }>(appKey, 'dashboard', dashboardKey)
  const deleted = await platform.catalog.deleteMeta(appKey, 'dashboard', dashboardKey, (items) => {
    const roles = items.filter((item) => item.kind === 'role' &&
      ((item.spec as { dashboards?: unknown }).dashboards as unknown[] | undefined ?? []).includes(dashboardKey))
    if (roles.length === 0) return
    const label = (spec: unknown, key: string, locale: Locale) => {
      const text = (spec as { label?: LocalizedText } | undefined)?.label
      return text === undefined ? key : localize(text, locale) || key
    }
    const board = (locale: Locale) => label(own, dashboardKey, locale)
    const en = `dashboard "${board('en')}" is still granted by role${roles.length > 1 ? 's' : ''} ` +
      `${roles.map((role) => `"${label(role.spec, role.key, 'en')}"`).join(', ')}: remove it from their dashboards first`
    throw new TesseraError('conflict.reference', en, {
      details: { dashboard: dashboardKey, roles: roles.map((role) => role.key) },
      messages: {
        'zh-CN': `看板「${board('zh-CN')}」仍被角色${roles.map((role) => `「${label(role.spec, role.key, 'zh-CN')}」`).join('、')}使用，请先从角色可看的看板中去掉它`,
        en,
      },
    })
  }, actor)
  if (!deleted) throw notFound('dashboard', `${appKey}/${dashboardKey}`)
}

/**
 * A dashboard sent with the `version` it was read at (GET gives it): the
 * save is refused with conflict.version if the dashboard changed since, so
 * two people editing one dashboard (a layout, a widget from the builder)
 * do not silently undo each other. Without `version` the save replaces
 * whatever is there.
 */
function versionOf(spec: unknown, locale: Locale, kind: 'dashboard' | 'report' = 'dashboard'): { spec: unknown; baseVersion?: number } {
  if (!isRecord(spec) || !('version' in spec)) return { spec }
  const { version, ...rest } = spec
  if (!Number.isInteger(version) || Number(version) < 1) {
    const got = JSON.stringify(version)
    const en = `version must be the whole number the ${kind} was read at, got ${got}`
    const zh = `version 须为读取${kind === 'report' ? '报表' : '看板'}时的版本号（正整数），收到 ${got}`
    throw new TesseraError('request.invalid', en, {
      issues: [{ field: 'version', rule: 'type', message: locale === 'en' ? en : zh, received: version }],
      messages: { 'zh-CN': zh, en },
    })
  }
  return { spec: rest, baseVersion: Number(version) }
}

/** The reports a dashboard names: its widgets' and those its filters' `fields` name. */
export function reportsOf(dashboard: DashboardSpec): string[] {
  const keys = new Set(dashboard.widgets.map((widget) => widget.report))
  for (const filter of dashboard.filters ?? []) {
    for (const key of Object.keys(filter.fields ?? {})) keys.add(key)
  }
  return [...keys].sort()
}

/**
 * Deletes a report no dashboard shows and no role grants (admins only); one
 * still named is refused with the dashboards and roles that name it
 * (conflict.reference): a role granting a report that is gone could no
 * longer be saved as it reads.
 */
export async function deleteReport(
  platform: Platform,
  actor: Actor,
  appKey: string,
  reportKey: string,
): Promise<void> {
  requireAdmin(actor, `change the reports of app "${appKey}"`)
  const own = await platform.catalog.findMeta<{ label?: LocalizedText }>(appKey, 'report', reportKey)
  const deleted = await platform.catalog.deleteMeta(appKey, 'report', reportKey, (items) => {
    // Named by their labels as the menus show them, with the keys in `details`.
    const named = (kind: string, key: string, locale: Locale) => {
      const label = (items.find((item) => item.kind === kind && item.key === key)?.spec as { label?: LocalizedText } | undefined)?.label
      return label === undefined ? key : localize(label, locale) || key
    }
    const ownLabel = (locale: Locale) => (own?.label === undefined ? reportKey : localize(own.label, locale) || reportKey)
    const report = { zh: ownLabel('zh-CN'), en: ownLabel('en') }
    // A report whose rows open this one goes first, or loses its drillTo.
    const openers = items.filter((item) => item.kind === 'report' &&
      (item.spec as ReportSpec).drillTo?.report === reportKey).map((item) => item.key)
    if (openers.length > 0) {
      const en = `report "${report.en}" is opened from the rows of report${openers.length > 1 ? 's' : ''} ` +
        `${openers.map((one) => `"${named('report', one, 'en')}"`).join(', ')}: remove their drillTo first`
      throw new TesseraError('conflict.reference', en, {
        details: { report: reportKey, reports: openers },
        messages: {
          'zh-CN': `报表${openers.map((one) => `「${named('report', one, 'zh-CN')}」`).join('、')}的行会打开报表「${report.zh}」，请先去掉它们的 drillTo`,
          en,
        },
      })
    }
    const dashboards = items.filter((item) => item.kind === 'dashboard' &&
      reportsOf(item.spec as DashboardSpec).includes(reportKey)).map((item) => item.key)
    const roles = items.filter((item) => item.kind === 'role' &&
      ((item.spec as { reports?: unknown }).reports as unknown[] | undefined ?? []).includes(reportKey)).map((item) => item.key)
    if (dashboards.length === 0 && roles.length === 0) return
    const quoted = (kind: string, names: string[]) => names.map((name) => `"${named(kind, name, 'en')}"`).join(', ')
    const quotedZh = (kind: string, names: string[]) => names.map((name) => `「${named(kind, name, 'zh-CN')}」`).join('、')
    const en = `report "${report.en}" is still named by ` + [
      ...(dashboards.length > 0 ? [`dashboard${dashboards.length > 1 ? 's' : ''} ${quoted('dashboard', dashboards)}`] : []),
      ...(roles.length > 0 ? [`role${roles.length > 1 ? 's' : ''} ${quoted('role', roles)}`] : []),
    ].join(' and ') + ': remove it from ' + [
      ...(dashboards.length > 0 ? ["the dashboards' widgets (and filter fields)"] : []),
      ...(roles.length > 0 ? ["the roles' reports"] : []),
    ].join(' and ') + ' first'
    const zh = `报表「${report.zh}」仍被` + [
      ...(dashboards.length > 0 ? [`看板${quotedZh('dashboard', dashboards)}`] : []),
      ...(roles.length > 0 ? [`角色${quotedZh('role', roles)}`] : []),
    ].join('和') + '使用，请先' + [
      ...(dashboards.length > 0 ? ['在看板中移除用到它的组件（及筛选字段）'] : []),
      ...(roles.length > 0 ? ['从角色可看的报表中去掉它'] : []),
    ].join('，并')
    throw new TesseraError('conflict.reference', en, {
      details: { report: reportKey, dashboards, roles },
      messages: { 'zh-CN': zh, en },
    })
  }, actor)
  if (!deleted) throw notFound('report', `${appKey}/${reportKey}`)
}

/**
 * Saves a dashboard together with new or changed reports it shows, all
 * checked first and written in one transaction: a refused dashboard
 * leaves no report behind (the widget builder saves a widget's report and
 * the dashboard showing it this way). Admins only.
 */
export async function saveDashboardWithReports(
  platform: Platform,
  actor: Actor,
  appKey: string,
  dashboardKey: string,
  body: unknown,
  locale: Locale = 'zh-CN',
): Promise<{ dashboard: DashboardSpec & { version: number }; reports: ReportSpec[] }> {
  requireAdmin(actor, `change the dashboards of app "${appKey}"`)
  const shape = body as { dashboard?: unknown; reports?: unknown }
  const keys = typeof body === 'object' && body !== null ? Object.keys(body) : []
  const extra = keys.filter((key) => key !== 'dashboard' && key !== 'reports')
  if (typeof body !== 'object' || body === null || Array.isArray(body) || shape.dashboard === undefined ||
    !Array.isArray(shape.reports) || shape.reports.length > 20 || extra.length > 0) {
    const en = 'the body must be { "dashboard": {…}, "reports": [ up to 20 report specs ] }' +
      (extra.length > 0 ? `; unknown property "${extra[0]}"` : '')
    throw new TesseraError('request.invalid', en, {
      issues: [{ field: extra.length > 0 ? extra[0] : 'body', rule: 'type', message: en }],
      messages: {
        'zh-CN': '请求体须为 { "dashboard": {…}, "reports": [最多 20 个报表] }' +
          (extra.length > 0 ? `，不认识属性「${extra[0]}」` : ''),
        en,
      },
    })
  }
  const forms = platform.catalog.resolver(appKey)
  const saved: ReportSpec[] = []
  for (const [index, raw] of (shape.reports as unknown[]).entries()) {
    const key = isRecord(raw) ? raw.key : undefined
    if (typeof key === 'string' && saved.some((report) => report.key === key)) {
      const en = `reports[${index}]: report "${key}" is listed twice`
      throw new TesseraError('request.invalid', en, {
        issues: [{ field: `reports[${index}].key`, rule: 'unique', message: en, received: key }],
        messages: { 'zh-CN': `reports[${index}]：报表「${key}」列了两次`, en },
      })
    }
    try {
      const checked = await checkReportSpec(raw, forms, { locale, bothLanguages: true })
      await refuseOversized(checked, forms, await platform.timeZone(), locale)
      saved.push(checked)
    } catch (error) {
      throw atReport(error, index)
    }
  }
  const { spec: unversioned, baseVersion } = versionOf(shape.dashboard, locale)
  const fresh = new Set(saved.map((report) => report.key))
  let checked: (DashboardSpec & { version: number }) | undefined
  await checkedSave(async () => {
    const { reports, versions } = await appReports(platform, appKey)
    // New reports only: one already there is changed on its own (PUT …/reports/:key), never replaced unseen here.
    for (const [index, report] of saved.entries()) {
      if (!reports.has(report.key)) continue
      const en = `reports[${index}]: report "${report.key}" already exists; this saves new reports only (change an existing one with PUT …/reports/${report.key})`
      throw new TesseraError('conflict.unique', en, {
        details: { report: report.key },
        issues: [{ field: `reports[${index}].key`, rule: 'unique', message: en, received: report.key }],
        messages: { 'zh-CN': `reports[${index}]：报表「${report.key}」已存在；这里只新建报表，要修改它请单独保存这个报表`, en },
      })
    }
    for (const report of saved) reports.set(report.key, report)
    for (const report of saved) {
      checkDrillTarget(report, reports, locale)
      checkDrillSources(report.key, reports, locale)
    }
    const board = await checkDashboard(unversioned, reports, forms, locale)
    if (board.key !== dashboardKey) throw keyMismatch('dashboard', dashboardKey, board.key)
    const dashboards = await platform.catalog.listMetaSpecs<DashboardSpec>(appKey, 'dashboard')
    await checkDependents(platform, appKey, dashboards, reports, [...fresh], dashboardKey, locale)
    // The reports it shows but does not save, and the dashboards the saved reports were checked against, held as read.
    const stored = await platform.catalog.putMetaItems(appKey, [
      ...saved.map((report) => ({ kind: 'report' as const, key: report.key, spec: report })),
      { kind: 'dashboard', key: dashboardKey, spec: board, baseVersion },
    ], actor,
    reportsOf(board).filter((key) => !fresh.has(key)).map((key) => ({ kind: 'report', key, version: versions[key] })),
    { kind: 'dashboard', versions: versionsOf(dashboards) })
    checked = { ...board, version: stored[`dashboard/${dashboardKey}`] }
  })
  return { dashboard: checked!, reports: saved }
}

/** A report's refusal, its issues placed under `reports[i]`. */
function atReport(error: unknown, index: number): unknown {
  if (!(error instanceof TesseraError) || !error.issues) return error
  const issues = error.issues.map((issue) => ({ ...issue, field: `reports[${index}]${issue.field ? `.${issue.field}` : ''}` }))
  return new TesseraError(error.code, error.message, { details: error.details, issues, messages: error.messages })
}

function keyMismatch(what: string, expected: string, received: string): TesseraError {
  const en = `the ${what} saved at "${expected}" must have the key "${expected}", got "${received}"`
  return new TesseraError('request.invalid', en, {
    details: { expected, received },
    issues: [{ field: 'key', rule: 'mismatch', message: en }],
    messages: { 'zh-CN': `保存在「${expected}」的${what === 'report' ? '报表' : '看板'}的 key 须为「${expected}」，收到「${received}」`, en },
  })
}
