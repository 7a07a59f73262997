import {
  TesseraError,
  isIsoDate,
  isPeriodDefault,
  notFound,
  periodAround,
  requireAdmin,
  type Actor,
  type Locale,
} from '@tessera/core'
import {
  type ReportFilter,
  type ReportResult,
  type ReportSpec,
  checkReportSpec,
  parsePeriod,
  runDrill,
  runReport,
} from '@tessera/reports'

import { type DashboardSpec, type WidgetSpec, checkDashboard, isRecord } from './dashboard.js'
import type { Platform } from './platform.js'
import { shareRun } from './shared-runs.js'

/**
 * What the web app asks of one widget: the dashboard's param values, the
 * global filters' values by filter key (several for a select, "from..to"
 * for a date range), the drill path so far and the level shown.
 *
 * @example
 * { params: { asOf: '2024-06-30' }, filters: { region: ['华东'] },
 *   path: { region: '华东' }, level: 'customer' }
 */
export interface WidgetQuery {
  params: Record<string, string>
  filters: Record<string, string | string[]>
  path: Record<string, unknown>
  level?: string
  /** Drills only: the measure clicked, for the records that make up that figure. */
  measure?: string
}

/** The records behind a figure, with the form they belong to. */
export interface DrillResult extends ReportResult {
  form: string
}

export const MAX_DRILL_ROWS = 5000
const MAX_OPTIONS = 200

/**
 * Runs one widget's report as the dashboard shows it: only the params the
 * report declares, the global filters mapped to the report's field paths,
 * and, for a drill widget, grouped by the current level within the path.
 */
export async function runWidget(
  platform: Platform,
  actor: Actor,
  appKey: string,
  dashboardKey: string,
  widgetKey: string,
  query: WidgetQuery,
  locale: Locale,
): Promise<ReportResult> {
  const { widget, report, filters, dashboard } = await widgetContext(
    platform, actor, appKey, dashboardKey, widgetKey, query, locale,
  )
  const group = widgetGroup(widget, query)
  const params = reportParams(dashboard, report, widget, query.params)
  const shape = {
    filters,
    ...(group ? { group } : {}),
    ...(widget.drill ? { match: checkedPath(widget, query.path) } : {}),
  }
  const key = JSON.stringify([actor, appKey, report.key, params, shape, locale])
  return shareRun(key, () => platform.runReport(actor, appKey, report.key, params, locale, shape))
}

/** The records behind one figure of a widget: its drill path plus the clicked values. */
export async function drillWidget(
  platform: Platform,
  actor: Actor,
  appKey: string,
  dashboardKey: string,
  widgetKey: string,
  query: WidgetQuery,
  locale: Locale,
  limit = 500,
): Promise<DrillResult> {
  const { widget, report, filters, dashboard } = await widgetContext(
    platform, actor, appKey, dashboardKey, widgetKey, query, locale,
  )
  const params = reportParams(dashboard, report, widget, query.params)
  return drillReport(platform, actor, appKey, report.key, params, query.path, locale, {
    filters,
    limit,
    ...(query.measure === undefined ? {} : { measure: query.measure }),
  })
}

/** The records behind a report's cell: dimension values, run-time filters, a limit. */
export async function drillReport(
  platform: Platform,
  actor: Actor,
  appKey: string,
  reportKey: string,
  params: Record<string, unknown>,
  dimensions: Record<string, unknown>,
  locale: Locale,
  options: { filters?: ReportFilter[]; limit?: number; measure?: string } = {},
): Promise<DrillResult> {
  await platform.assertReport(actor, appKey, reportKey, locale)
  const forms = platform.catalog.resolver(appKey)
  const spec = await checkReportSpec(await platform.catalog.getMeta(appKey, 'report', reportKey), forms)
  const limit = Math.min(options.limit ?? 500, MAX_DRILL_ROWS)
  const result = await runDrill(platform.database.db, spec, forms, params, dimensions, {
    timeZone: await platform.timeZone(),
    locale,
    filters: options.filters,
    limit,
    ...(options.measure === undefined ? {} : { measure: options.measure }),
    source: platform.records.query.reportSource(actor),
  })
  return { ...result, form: spec.source }
}

/**
 * The choices of a select filter containing `q`: its listed options, or the
 * distinct values of a form's field that the actor may read (row scope
 * applies), at most 200, in code point order.
 */
export async function filterOptions(
  platform: Platform,
  actor: Actor,
  appKey: string,
  dashboardKey: string,
  filterKey: string,
  q: string,
  locale: Locale,
): Promise<string[]> {
  const dashboard = await loadDashboard(platform, actor, appKey, dashboardKey, locale)
  const filter = dashboard.filters?.find((candidate) => candidate.key === filterKey)
  if (!filter) throw notFound(`filter of dashboard ${dashboardKey}`, filterKey)
  const wanted = q.trim().toLowerCase()
  const keep = (value: string) => wanted === '' || value.toLowerCase().includes(wanted)
  if (Array.isArray(filter.options)) return filter.options.filter(keep).slice(0, MAX_OPTIONS)
  if (!filter.options) return []

  const forms = platform.catalog.resolver(appKey)
  const probe: ReportSpec = {
    key: 'filter_options',
    label: filterKey,
    source: filter.options.form,
    where: { '!=': [{ var: filter.options.field }, null] },
    dimensions: [{ key: 'value', expr: { var: filter.options.field } }],
  }
  const result = await runReport(platform.database.db, probe, forms, {}, {
    timeZone: await platform.timeZone(),
    locale,
    source: platform.records.query.reportSource(actor),
  })
  return result.rows.map((row) => String(row.value)).filter(keep).slice(0, MAX_OPTIONS)
}

/**
 * Runs a report spec that is not saved (the widget builder's live preview),
 * checked first, under the administrator's own row scope; admins only.
 */
export async function previewReport(
  platform: Platform,
  actor: Actor,
  appKey: string,
  spec: unknown,
  params: Record<string, unknown>,
  locale: Locale,
): Promise<ReportResult> {
  requireAdmin(actor, `preview reports of app "${appKey}"`)
  const forms = platform.catalog.resolver(appKey)
  const checked = await checkReportSpec(spec, forms, { locale })
  return runReport(platform.database.db, checked, forms, params, {
    timeZone: await platform.timeZone(),
    locale,
    source: platform.records.query.reportSource(actor),
  })
}

/** Saves a report spec after checking it against the published forms; admins only. */
export async function saveReport(
  platform: Platform,
  actor: Actor,
  appKey: string,
  reportKey: string,
  spec: unknown,
  locale: Locale,
): Promise<ReportSpec> {
  requireAdmin(actor, `change the reports of app "${appKey}"`)
  const forms = platform.catalog.resolver(appKey)
  const checked = await checkReportSpec(spec, forms, { locale })
  if (checked.key !== reportKey) throw keyMismatch('report', reportKey, checked.key)
  await checkedSave(async () => {
    const { reports } = await appReports(platform, appKey)
    reports.set(checked.key, checked)
    const dashboards = await platform.catalog.listMetaSpecs<DashboardSpec>(appKey, 'dashboard')
    await checkDependents(platform, appKey, dashboards, reports, [checked.key], undefined, locale)
    // Saved only if no dashboard changed since it was checked against the new report.
    await platform.catalog.putMetaItems(appKey, [{ kind: 'report', key: reportKey, spec: checked }], actor, [],
      { kind: 'dashboard', versions: versionsOf(dashboards) })
  })
  return checked
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
): Promise<DashboardSpec> {
  requireAdmin(actor, `change the dashboards of app "${appKey}"`)
  const { spec: unversioned, baseVersion } = versionOf(spec, locale)
  const forms = platform.catalog.resolver(appKey)
  let saved: DashboardSpec | undefined
  await checkedSave(async () => {
    const { reports, versions } = await appReports(platform, appKey)
    const checked = await checkDashboard(unversioned, reports, forms, locale)
    if (checked.key !== dashboardKey) throw keyMismatch('dashboard', dashboardKey, checked.key)
    // Its reports held at the versions it was checked against until it is saved.
    await platform.catalog.putMetaItems(appKey, [{ kind: 'dashboard', key: dashboardKey, spec: checked, baseVersion }], actor,
      reportsOf(checked).map((key) => ({ kind: 'report', key, version: versions[key] })))
    saved = checked
  })
  return saved!
}

/**
 * A dashboard sent with the `version` it was read at (GET gives it): the
 * save is refused with conflict.version if the dashboard changed since, so
 * two people editing one dashboard (a layout, a widget from the builder)
 * do not silently undo each other. Without `version` the save replaces
 * whatever is there.
 */
function versionOf(spec: unknown, locale: Locale): { spec: unknown; baseVersion?: number } {
  if (!isRecord(spec) || !('version' in spec)) return { spec }
  const { version, ...rest } = spec
  if (!Number.isInteger(version) || Number(version) < 1) {
    const got = JSON.stringify(version)
    const en = `version must be the whole number the dashboard was read at, got ${got}`
    throw new TesseraError('request.invalid', en, {
      issues: [{ field: 'version', rule: 'type', message: locale === 'en' ? en : `version 须为读取看板时的版本号（正整数），收到 ${got}`, received: version }],
      messages: { 'zh-CN': `version 须为读取看板时的版本号（正整数），收到 ${got}`, en },
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
 * Deletes a report no dashboard names (admins only); one still named is
 * refused with the dashboards that name it (conflict.reference).
 */
export async function deleteReport(
  platform: Platform,
  actor: Actor,
  appKey: string,
  reportKey: string,
): Promise<void> {
  requireAdmin(actor, `change the reports of app "${appKey}"`)
  const deleted = await platform.catalog.deleteMeta(appKey, 'report', reportKey, (items) => {
    const users = items.filter((item) => item.kind === 'dashboard' &&
      reportsOf(item.spec as DashboardSpec).includes(reportKey))
    if (users.length === 0) return
    const names = users.map((item) => item.key)
    const en = `report "${reportKey}" is shown on dashboard${names.length > 1 ? 's' : ''} ` +
      `${names.map((name) => `"${name}"`).join(', ')}: remove its widgets (and filter fields) there first`
    throw new TesseraError('conflict.reference', en, {
      details: { report: reportKey, dashboards: names },
      messages: {
        'zh-CN': `报表「${reportKey}」仍被看板${names.map((name) => `「${name}」`).join('、')}使用，请先在看板中移除用到它的组件（及筛选字段）`,
        en,
      },
    })
  })
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
): Promise<{ dashboard: DashboardSpec; reports: ReportSpec[] }> {
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
      saved.push(await checkReportSpec(raw, forms, { locale }))
    } catch (error) {
      throw atReport(error, index)
    }
  }
  const { spec: unversioned, baseVersion } = versionOf(shape.dashboard, locale)
  const fresh = new Set(saved.map((report) => report.key))
  let checked: DashboardSpec | undefined
  await checkedSave(async () => {
    const { reports, versions } = await appReports(platform, appKey)
    for (const report of saved) reports.set(report.key, report)
    const board = await checkDashboard(unversioned, reports, forms, locale)
    if (board.key !== dashboardKey) throw keyMismatch('dashboard', dashboardKey, board.key)
    const dashboards = await platform.catalog.listMetaSpecs<DashboardSpec>(appKey, 'dashboard')
    await checkDependents(platform, appKey, dashboards, reports, [...fresh], dashboardKey, locale)
    // The reports it shows but does not save, and the dashboards the saved reports were checked against, held as read.
    await platform.catalog.putMetaItems(appKey, [
      ...saved.map((report) => ({ kind: 'report' as const, key: report.key, spec: report })),
      { kind: 'dashboard', key: dashboardKey, spec: board, baseVersion },
    ], actor,
    reportsOf(board).filter((key) => !fresh.has(key)).map((key) => ({ kind: 'report', key, version: versions[key] })),
    { kind: 'dashboard', versions: versionsOf(dashboards) })
    checked = board
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

async function loadDashboard(
  platform: Platform,
  actor: Actor,
  appKey: string,
  dashboardKey: string,
  locale: Locale,
): Promise<DashboardSpec> {
  const visible = await platform.dashboardFor(actor, appKey, dashboardKey, locale)
  return visible as unknown as DashboardSpec
}

export async function widgetContext(
  platform: Platform,
  actor: Actor,
  appKey: string,
  dashboardKey: string,
  widgetKey: string,
  query: WidgetQuery,
  locale: Locale,
) {
  const dashboard = await loadDashboard(platform, actor, appKey, dashboardKey, locale)
  const widget = dashboard.widgets.find((candidate) => candidate.key === widgetKey)
  if (!widget) throw notFound(`widget of dashboard ${dashboardKey}`, widgetKey)
  const report = await platform.catalog.getMeta<ReportSpec>(appKey, 'report', widget.report)
  checkWidgetQuery(dashboard, report, query)
  return { widget, report, dashboard, filters: reportFilters(dashboard, report.key, query.filters) }
}

/**
 * A widget takes the dashboard's params (and its report's) and the
 * dashboard's filters; anything else is refused rather than ignored, so a
 * figure never looks filtered when it is not.
 */
function checkWidgetQuery(dashboard: DashboardSpec, report: ReportSpec, query: WidgetQuery): void {
  const params = new Set([...(dashboard.params ?? []), ...(report.params ?? [])].map((param) => param.key))
  const filters = new Set((dashboard.filters ?? []).map((filter) => filter.key))
  const unknownParam = Object.keys(query.params).find((key) => !params.has(key))
  if (unknownParam !== undefined) {
    const known = [...params].join(', ') || '—'
    throw new TesseraError('request.invalid', `the dashboard has no param "${unknownParam}" (it has: ${known})`, {
      details: { param: unknownParam },
      issues: [{ field: `query.${unknownParam}`, rule: 'unknown', message: `no param "${unknownParam}"` }],
      messages: {
        'zh-CN': `看板没有参数「${unknownParam}」（可用：${known}）`,
        en: `the dashboard has no param "${unknownParam}" (it has: ${known})`,
      },
    })
  }
  const unknownFilter = Object.keys(query.filters).find((key) => !filters.has(key))
  if (unknownFilter !== undefined) {
    const known = [...filters].join(', ') || '—'
    throw new TesseraError('request.invalid', `the dashboard has no filter "${unknownFilter}" (it has: ${known})`, {
      details: { filter: unknownFilter },
      issues: [{ field: `query.f.${unknownFilter}`, rule: 'unknown', message: `no filter "${unknownFilter}"` }],
      messages: {
        'zh-CN': `看板没有筛选「${unknownFilter}」（可用：${known}）`,
        en: `the dashboard has no filter "${unknownFilter}" (it has: ${known})`,
      },
    })
  }
}

/**
 * The dashboard's param values the report declares, then the widget's own.
 * A period the request leaves out takes its preset default around the
 * dashboard's as-of date (its first date param) when that is given, as
 * the web app does: as of 30 June, "month to date" is June.
 */
export function reportParams(
  dashboard: DashboardSpec,
  report: ReportSpec,
  widget: WidgetSpec,
  values: Record<string, string>,
): Record<string, string> {
  const dated = (dashboard.params ?? []).find((param) => param.type === 'date')
  const anchor = dated ? values[dated.key] : undefined
  const params: Record<string, string> = {}
  for (const param of report.params ?? []) {
    const value = values[param.key]
    if (value !== undefined && value !== '') {
      params[param.key] = value
    } else if (param.type === 'period' && isPeriodDefault(param.default) && isIsoDate(anchor)) {
      const period = periodAround(param.default, anchor)
      params[param.key] = `${period.from}..${period.to}`
    }
  }
  return { ...params, ...widget.params }
}

/** Global filter values as run-time filters on the report's own field paths. */
export function reportFilters(
  dashboard: DashboardSpec,
  reportKey: string,
  values: Record<string, string | string[]>,
): ReportFilter[] {
  const filters: ReportFilter[] = []
  for (const filter of dashboard.filters ?? []) {
    const raw = values[filter.key]
    const list = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((v) => v !== '')
    if (list.length === 0) continue
    const override = filter.fields?.[reportKey]
    const field = override === undefined ? filter.field : override
    if (field === null) continue

    // A refusal names the query part the reader sent (f.region), not the report's filter list.
    const origin = `query.f.${filter.key}`
    if (filter.type === 'text' && filter.match === 'contains') {
      filters.push({ field, contains: list[0], origin })
      continue
    }
    if (filter.type !== 'date-range') {
      filters.push({ field, values: list, origin })
      continue
    }
    const period = parsePeriod(list[0])
    if (!period) {
      const en = `filter "${filter.key}" expects a date range "YYYY-MM-DD..YYYY-MM-DD", got ${JSON.stringify(list[0])}`
      throw new TesseraError('request.invalid', en, {
        details: { filter: filter.key, received: list[0] },
        issues: [{ field: `f.${filter.key}`, rule: 'date_range', message: en }],
        messages: { 'zh-CN': `筛选「${filter.key}」须为日期范围 "YYYY-MM-DD..YYYY-MM-DD"，收到 ${JSON.stringify(list[0])}`, en },
      })
    }
    filters.push({ field, from: period.from, to: period.to, origin })
  }
  return filters
}

/** A drill widget groups by its current level (and its series, if any). */
function widgetGroup(widget: WidgetSpec, query: WidgetQuery): string[] | undefined {
  if (!widget.drill) return undefined
  const level = query.level ?? widget.dimension ?? widget.drill[0]
  if (!widget.drill.includes(level)) {
    const en = `widget "${widget.key}" drills through ${widget.drill.join(' → ')}, not "${level}"`
    throw new TesseraError('request.invalid', en, {
      details: { expected: widget.drill, received: level },
      issues: [{ field: 'level', rule: 'drill', message: en }],
      messages: { 'zh-CN': `组件「${widget.key}」的下钻层级是 ${widget.drill.join(' → ')}，没有「${level}」`, en },
    })
  }
  return widget.series ? [level, widget.series] : [level]
}

function checkedPath(widget: WidgetSpec, path: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(path)) {
    const name = key.replace(/__(index|others)$/, '')
    if (widget.drill?.includes(name)) continue
    const levels = widget.drill?.join(' → ') ?? '—'
    const en = `widget "${widget.key}" drills through ${levels}; "${key}" is not one of them`
    throw new TesseraError('request.invalid', en, {
      details: { expected: widget.drill, received: key },
      issues: [{ field: `path.${key}`, rule: 'drill', message: en }],
      messages: { 'zh-CN': `组件「${widget.key}」的下钻层级是 ${levels}，「${key}」不在其中`, en },
    })
  }
  return path
}
