import {
  TesseraError,
  isIsoDate,
  isPeriodDefault,
  isTesseraError,
  localize,
  notFound,
  periodAround,
  requireAdmin,
  type Actor,
  type Locale,
  type LocalizedText,
} from '@tessera/core'
import {
  type ReportFilter,
  type ReportResult,
  type ReportSpec,
  checkReportSpec,
  fieldPathInfo,
  parsePeriod,
  resolveParams,
  runDrill,
  runReport,
} from '@tessera/reports'

import type { DashboardFilter, DashboardSpec, WidgetSpec } from './dashboard.js'
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
  if (!widget.drill) refuseDrillParts(widget, query)
  const group = widgetGroup(widget, query, report)
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
  form?: string,
): Promise<DrillResult> {
  const { widget, report, filters, dashboard } = await widgetContext(
    platform, actor, appKey, dashboardKey, widgetKey, query, locale,
  )
  const params = reportParams(dashboard, report, widget, query.params)
  return drillReport(platform, actor, appKey, report.key, params, query.path, locale, {
    filters,
    limit,
    ...(query.measure === undefined ? {} : { measure: query.measure }),
    ...(form === undefined ? {} : { form }),
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
  options: { filters?: ReportFilter[]; limit?: number; measure?: string; form?: string } = {},
): Promise<DrillResult> {
  await platform.assertReport(actor, appKey, reportKey, locale)
  const forms = platform.catalog.resolver(appKey)
  const spec = await checkReportSpec(await platform.catalog.getMeta(appKey, 'report', reportKey), forms, { locale })
  const limit = Math.min(options.limit ?? 500, MAX_DRILL_ROWS)
  const result = await runDrill(platform.database.db, spec, forms, params, dimensions, {
    timeZone: await platform.timeZone(),
    locale,
    filters: options.filters,
    limit,
    ...(options.measure === undefined ? {} : { measure: options.measure }),
    ...(options.form === undefined ? {} : { form: options.form }),
    source: platform.records.query.reportSource(actor),
  })
  // A union's records are of the form asked for (runDrill refuses a union's drill without one).
  return { ...result, form: options.form ?? spec.source as string }
}

/** One choice of a select filter: the value sent back, and what the dropdown shows. */
export interface FilterOption {
  value: string
  label: string
}

/**
 * The choices of a select filter whose value or label contains `q`: its
 * listed options, or the distinct values of a form's field that the actor
 * may read (row scope applies), at most 200, in code point order. Where
 * the filter's field is a select field, each code is shown by its option's
 * label (`paper` → 纸质); other values are their own label.
 *
 * `others` are the values the other filters are set to: one whose choices
 * are read from the same form narrows these to the records it keeps (with
 * 区域 华东 set, 客户 offers only the customers of 华东). Filters read
 * from another form, or with listed options, narrow nothing here.
 */
export async function filterOptions(
  platform: Platform,
  actor: Actor,
  appKey: string,
  dashboardKey: string,
  filterKey: string,
  q: string,
  locale: Locale,
  others: Record<string, string | string[]> = {},
): Promise<FilterOption[]> {
  const dashboard = await loadDashboard(platform, actor, appKey, dashboardKey, locale)
  const filter = dashboard.filters?.find((candidate) => candidate.key === filterKey)
  if (!filter) throw notFound(`filter of dashboard ${dashboardKey}`, filterKey)
  refuseUnknownFilter(dashboard, Object.keys(others), locale)
  const labels = await optionLabels(platform, appKey, dashboard, filter, locale)
  const wanted = q.trim().toLowerCase()
  const choice = (value: string): FilterOption => ({ value, label: labels.get(value) ?? value })
  const keep = (option: FilterOption) =>
    wanted === '' || option.value.toLowerCase().includes(wanted) || option.label.toLowerCase().includes(wanted)
  if (Array.isArray(filter.options)) return filter.options.map(choice).filter(keep).slice(0, MAX_OPTIONS)
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
    filters: narrowingFilters(dashboard, filter, others),
    source: platform.records.query.reportSource(actor),
  })
  return result.rows.map((row) => choice(String(row.value))).filter(keep).slice(0, MAX_OPTIONS)
}

/** The other select filters set whose choices come from the same form as `filter`'s, on that form's fields. */
function narrowingFilters(
  dashboard: DashboardSpec,
  filter: DashboardFilter,
  others: Record<string, string | string[]>,
): ReportFilter[] {
  const source = filter.options && !Array.isArray(filter.options) ? filter.options.form : undefined
  const narrowing: ReportFilter[] = []
  for (const other of dashboard.filters ?? []) {
    const raw = others[other.key]
    const values = (Array.isArray(raw) ? raw : raw === undefined ? [] : [raw]).filter((value) => value !== '')
    if (other.key === filter.key || values.length === 0 || other.type !== 'select') continue
    if (!other.options || Array.isArray(other.options) || other.options.form !== source) continue
    narrowing.push({ field: other.options.field, values, origin: `query.f.${other.key}` })
  }
  return narrowing
}

/** A global filter as a drilled list says it was set: its label and its values by their labels. */
export interface SetFilter {
  key: string
  label: LocalizedText
  values: string[]
}

/**
 * The dashboard's global filters that shaped a widget's figures, as set
 * (`{ region: ['华东'] }`), each with its label and its values by their
 * labels (a select field's code 'paper' as 纸质): for the list drilled from
 * the widget to say what it holds. Filters the widget is left out of are
 * left out.
 */
export async function setFilters(
  platform: Platform,
  actor: Actor,
  appKey: string,
  dashboardKey: string,
  widgetKey: string,
  filters: Record<string, string | string[]>,
  locale: Locale,
): Promise<SetFilter[]> {
  const dashboard = await loadDashboard(platform, actor, appKey, dashboardKey, locale)
  const widget = dashboard.widgets.find((one) => one.key === widgetKey)
  const set: SetFilter[] = []
  for (const filter of dashboard.filters ?? []) {
    const given = filters[filter.key]
    const values = given === undefined ? [] : Array.isArray(given) ? given : [given]
    if (values.length === 0 || !widget || filter.fields?.[widget.report] === null) continue
    const labels = await optionLabels(platform, appKey, dashboard, filter, locale)
    set.push({ key: filter.key, label: filter.label ?? filter.key, values: values.map((value) => labels.get(value) ?? value) })
  }
  return set
}

/**
 * The labels of a select filter's codes, by code: from the field its
 * options are read from, or else from the first widget report whose
 * filtered path ends at a select field. Empty when none does.
 */
async function optionLabels(
  platform: Platform,
  appKey: string,
  dashboard: DashboardSpec,
  filter: DashboardFilter,
  locale: Locale,
): Promise<Map<string, string>> {
  const forms = platform.catalog.resolver(appKey)
  const places: Array<{ rows: string | ReportSpec; path: string }> = []
  if (filter.options && !Array.isArray(filter.options)) {
    places.push({ rows: filter.options.form, path: filter.options.field })
  }
  for (const reportKey of new Set(dashboard.widgets.map((widget) => widget.report))) {
    const path = filter.fields && reportKey in filter.fields ? filter.fields[reportKey] : filter.field
    if (path === null || path === undefined) continue
    const report = await platform.catalog.getMeta<ReportSpec>(appKey, 'report', reportKey).catch(() => undefined)
    if (report) places.push({ rows: report, path })
  }
  for (const place of places) {
    const info = await fieldPathInfo(place.rows, place.path, forms).catch((error: unknown) => {
      if (isTesseraError(error)) return undefined
      throw error
    })
    if (info?.choices) return new Map(info.choices.map((option) => [option.value, localize(option.label, locale)]))
  }
  return new Map()
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
  if (!widget) {
    // A widget the reader's dashboard leaves out for its report (a link a manager shared) is
    // refused as the report is, naming it, not called missing.
    const whole = await platform.catalog.getMeta<DashboardSpec>(appKey, 'dashboard', dashboardKey)
    const hidden = whole.widgets.find((candidate) => candidate.key === widgetKey)
    if (hidden) await platform.assertReport(actor, appKey, hidden.report, locale)
    throw notFound(`widget of dashboard ${dashboardKey}`, widgetKey)
  }
  const report = await platform.catalog.getMeta<ReportSpec>(appKey, 'report', widget.report)
  checkWidgetQuery(dashboard, report, query, locale)
  return { widget, report, dashboard, filters: reportFilters(dashboard, report.key, query.filters) }
}

/**
 * A widget takes the dashboard's params (and its report's) and the
 * dashboard's filters; anything else is refused rather than ignored, so a
 * figure never looks filtered when it is not.
 */
function checkWidgetQuery(dashboard: DashboardSpec, report: ReportSpec, query: WidgetQuery, locale: Locale): void {
  const params = new Set([...(dashboard.params ?? []), ...(report.params ?? [])].map((param) => param.key))
  const unknownParam = Object.keys(query.params).find((key) => !params.has(key))
  if (unknownParam !== undefined) {
    const known = [...params].join(', ') || '—'
    throw new TesseraError('request.invalid', `the dashboard has no param "${unknownParam}" (it has: ${known})`, {
      details: { param: unknownParam },
      issues: [{ field: `query.${unknownParam}`, rule: 'unknown',
        message: locale === 'en' ? `no param "${unknownParam}"` : `没有参数「${unknownParam}」` }],
      messages: {
        'zh-CN': `看板没有参数「${unknownParam}」（可用：${known}）`,
        en: `the dashboard has no param "${unknownParam}" (it has: ${known})`,
      },
    })
  }
  // Every dashboard param given is a value of its type, also where this widget's report does not take it
  // (an as-of date that is no date would otherwise quietly move the period around today).
  for (const param of dashboard.params ?? []) {
    const value = query.params[param.key]
    if (value === undefined || value === '') continue
    try {
      resolveParams([{ key: param.key, type: param.type }], { [param.key]: value }, { timeZone: 'UTC', locale })
    } catch (error) {
      if (!(error instanceof TesseraError)) throw error
      throw new TesseraError(error.code, error.message, {
        details: error.details,
        issues: error.issues.map((issue) => ({ ...issue, field: `query.${param.key}` })),
        messages: error.messages,
      })
    }
  }
  refuseUnknownFilter(dashboard, Object.keys(query.filters), locale)
}

/** Refuses a filter key the dashboard does not have, naming the ones it has. */
function refuseUnknownFilter(dashboard: DashboardSpec, keys: readonly string[], locale: Locale): void {
  const filters = new Set((dashboard.filters ?? []).map((filter) => filter.key))
  const unknownFilter = keys.find((key) => !filters.has(key))
  if (unknownFilter !== undefined) {
    const known = [...filters].join(', ') || '—'
    throw new TesseraError('request.invalid', `the dashboard has no filter "${unknownFilter}" (it has: ${known})`, {
      details: { filter: unknownFilter },
      issues: [{ field: `query.f.${unknownFilter}`, rule: 'unknown',
        message: locale === 'en' ? `no filter "${unknownFilter}"` : `没有筛选「${unknownFilter}」` }],
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
function widgetGroup(widget: WidgetSpec, query: WidgetQuery, report: ReportSpec): string[] | undefined {
  if (!widget.drill) {
    // A chart of one dimension (and series) over a report grouped by more draws
    // those only: a pie of regions over regions × customers has a slice per region.
    const shown = widget.dimension === undefined ? [] : [widget.dimension, ...(widget.series ? [widget.series] : [])]
    const all = (report.dimensions ?? []).map((dimension) => dimension.key)
    const charted = widget.type !== 'table' && widget.type !== 'pivot' && widget.type !== 'kpi'
    return charted && shown.length > 0 && all.some((key) => !shown.includes(key)) ? shown : undefined
  }
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

/**
 * A widget without drill levels takes no `path` or `level`: a client that
 * sent one to narrow a figure would otherwise get the whole figure back.
 */
function refuseDrillParts(widget: WidgetSpec, query: WidgetQuery): void {
  const parts = [...(Object.keys(query.path).length > 0 ? ['path'] : []), ...(query.level !== undefined ? ['level'] : [])]
  if (parts.length === 0) return
  const en = `widget "${widget.key}" has no drill levels, so it takes no ${parts.join(' or ')}`
  throw new TesseraError('request.invalid', en, {
    details: { widget: widget.key, received: parts },
    issues: parts.map((part) => ({ field: part, rule: 'drill', message: en })),
    messages: { 'zh-CN': `组件「${widget.key}」没有下钻层级，不接受 ${parts.join('、')}`, en },
  })
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
