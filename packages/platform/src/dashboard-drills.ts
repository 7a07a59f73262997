import { sql, type RawBuilder } from 'kysely'
import {
  Dec,
  TesseraError,
  localize,
  toWallClock,
  type Actor,
  type FieldDefinition,
  type Locale,
  type LocalizedText,
  type PublishedForm,
  type RecordData,
} from '@tessera/core'
import {
  type DrillOptions,
  type ReportColumn,
  type ReportSpec,
  checkReportSpec,
  compileDrill,
  compileReport,
  figureMeasure,
  runDrill,
} from '@tessera/reports'

import type { DashboardSpec } from './dashboard.js'
import { type SetFilter, type WidgetQuery, reportParams, setFilters, widgetContext } from './dashboard-runs.js'
import type { Platform } from './platform.js'
import { clickedCaption, shareTotals } from './drill-figures.js'

/**
 * Where the figure behind a drilled list comes from: a dashboard widget as
 * the dashboard showed it (its params, global filters and drill path), or
 * a cell of a report on its own page (the report's params and the
 * dimension values of the cell).
 */
export type FigureOrigin = (
  | { dashboard: string; widget: string; query: WidgetQuery }
  | { report: string; params: Record<string, string>; path: Record<string, unknown>; measure?: string }
) & {
  /**
   * The language the figure was shown in when clicked: a path holds the
   * values as shown (a ledger line's 期初余额, not Opening balance), so the
   * drill matches them in that language, whatever language the list is
   * read in later.
   */
  locale?: Locale
}

/**
 * A figure's drill as the reader may run it: the report checked (and the
 * reader allowed to run it), the params it runs with, the path clicked,
 * and the options every drill of it shares — a dashboard's filters, the
 * clicked measure, the reader's rows.
 */
async function figureDrill(platform: Platform, actor: Actor, appKey: string, origin: FigureOrigin, locale: Locale) {
  const forms = platform.catalog.resolver(appKey)
  const base = {
    timeZone: await platform.timeZone(),
    locale: origin.locale ?? locale,
    source: platform.records.query.reportSource(actor),
  }
  if ('report' in origin) {
    await platform.assertReport(actor, appKey, origin.report, locale)
    const spec = await checkReportSpec(await platform.catalog.getMeta(appKey, 'report', origin.report), forms, { locale })
    const options: DrillOptions = { ...base, ...(origin.measure === undefined ? {} : { measure: origin.measure }) }
    return { name: origin.report, spec, forms, params: origin.params as Record<string, unknown>, path: origin.path, options }
  }
  const { dashboard: dashboardKey, widget: widgetKey, query } = origin
  const { widget, report, filters, dashboard } = await widgetContext(
    platform, actor, appKey, dashboardKey, widgetKey, query, locale,
  )
  await platform.assertReport(actor, appKey, report.key, locale)
  const spec = await checkReportSpec(report, forms, { locale })
  const options: DrillOptions = {
    ...base,
    filters,
    ...(query.measure === undefined ? {} : { measure: query.measure }),
  }
  const params = reportParams(dashboard, report, widget, query.params)
  return { name: widgetKey, spec, forms, params, path: query.path, options }
}

/**
 * The records behind one figure as a condition on a record list of `form`
 * (alias `t`), however many there are: the drill statement itself, run as
 * a subquery over the reader's own rows. A list opened this way pages,
 * sorts and searches them like any other.
 *
 * @example
 * const where = await drillCondition(platform, actor, 'customer-settlement',
 *   { dashboard: 'receivables', widget: 'aging',
 *     query: { params: { asOf: '2026-06-30' }, filters: {}, path: { bucket__index: 4 } } }, 'invoice', 'zh-CN')
 * await platform.records.list(actor, 'customer-settlement', 'invoice', { where })
 */
export async function drillCondition(
  platform: Platform,
  actor: Actor,
  appKey: string,
  origin: FigureOrigin,
  form: string,
  locale: Locale,
): Promise<RawBuilder<boolean>> {
  const { name, spec, forms, params, path, options } = await figureDrill(platform, actor, appKey, origin, locale)
  // A union's figure lists the records of the form asked for (compileDrill checks it is one of the union's).
  if (spec.union !== undefined) options.form = form
  else if (spec.source !== form) {
    const what = 'report' in origin ? { en: 'report', zh: '报表' } : { en: 'widget', zh: '组件' }
    const en = `${what.en} "${name}" drills into records of form "${spec.source}", not "${form}"`
    throw new TesseraError('request.invalid', en, {
      details: { field: 'drill', expected: spec.source, received: form },
      issues: [{ field: 'query.drill', rule: 'form', message: en, expected: spec.source, received: form }],
      messages: { 'zh-CN': `${what.zh}「${name}」下钻到表单「${spec.source}」的记录，不是「${form}」`, en },
    })
  }
  const compiled = await compileDrill(spec, forms, params, path, options)
  return sql<boolean>`t.id in (select "id" from (${compiled.query}) as "__drill")`
}

/**
 * What each of these records adds to the figure (its shares of the
 * report's measures, as of the figure's params), for a record list opened
 * on the drill to show beside the records' own fields: as of a past date,
 * an invoice's open amount then, not now.
 */
export async function drillShares(
  platform: Platform,
  actor: Actor,
  appKey: string,
  origin: FigureOrigin,
  ids: readonly number[],
  locale: Locale,
  form: string,
): Promise<{
  columns: ReportColumn[]
  values: Record<string, Record<string, unknown>>
  params: DrillParam[]
  /** A dashboard's global filters that shaped the figure, as set. */
  filters: SetFilter[]
  /**
   * The values clicked, as the figure showed them in the reader's language
   * (a bucket and the others row by their labels, a select field's code by
   * its label): the list says these, never a caption a link carries.
   */
  caption: string[]
  /**
   * The shares of every record behind the figure added up (not only the
   * page's), for each sum and count: what the column totals to, beside the
   * figure clicked. Money at its scale, counts as whole numbers.
   */
  totals: Record<string, string | number>
}> {
  const { spec, forms, params, path, options } = await figureDrill(platform, actor, appKey, origin, locale)
  if (spec.union !== undefined) options.form = form
  const result = await runDrill(platform.database.db, spec, forms, params, path, { ...options, ids })
  // A plain count's share is 1 for every record: nothing to show (unless a union lists the form
  // twice, which counts its records twice).
  const twice = spec.union !== undefined && spec.union.from.filter((one) => one.form === form).length > 1
  const counted = new Set((spec.measures ?? []).filter((one) => one.agg === 'count' && one.expr === undefined && !twice)
    .map((one) => one.key))
  const columns = result.columns.filter((column) => column.kind === 'measure' && !counted.has(column.key))
  const values: Record<string, Record<string, unknown>> = {}
  for (const row of result.rows) {
    values[String(row.id)] = Object.fromEntries(columns.map((column) => [column.key, row[column.key]]))
  }
  // The dates the figure was taken at: those its report takes, as it ran (a widget kept to its
  // own period says so), not every param of the dashboard.
  // As the report resolved them: a param left out is its default, a period "from..to".
  const taken = (spec.params ?? []).flatMap((param): DrillParam[] => {
    const value = paramText(result.params[param.key])
    return value === undefined ? [] : [{ key: param.key, type: param.type, label: param.label ?? param.key, value }]
  })
  const filters = 'dashboard' in origin
    ? await setFilters(platform, actor, appKey, origin.dashboard, origin.widget, origin.query.filters, locale)
    : []
  const columnsIn = async (language: Locale) => (await compileReport(spec, forms, params, {
    timeZone: options.timeZone, locale: language, ...(options.source ? { source: options.source } : {}),
  })).columns
  const shown = await columnsIn(locale)
  // Clicked in the other language, a bucket's label in the path is found among that language's labels;
  // a select field's value that is no code (a label typed in either language) is looked up there too.
  // Compiled only then: a link the app made holds codes, clicked in the reader's language.
  const byCode = (key: string, value: unknown) => {
    const choices = shown.find((column) => column.key === key)?.choices
    return choices === undefined || typeof value !== 'string' || Object.hasOwn(choices, value)
  }
  const needsOther = options.locale !== locale || Object.entries(path).some(([key, value]) => !byCode(key, value))
  const other = needsOther ? await columnsIn(locale === 'en' ? 'zh-CN' : 'en') : []
  const clicked = options.locale === locale ? shown : other
  const totals = await shareTotals(platform, spec, forms, params, path, options, columns)
  return { columns, values, params: taken, filters, caption: clickedCaption(path, shown, clicked, other), totals }
}

/** A form with records behind a figure, and how many of them the reader may read. */
export interface DrillForm {
  form: string
  label: LocalizedText
  count: number
}

/**
 * The forms whose records make up a figure, each with how many: the
 * report's source form for a report over one form; for a union, each of
 * its forms that has any (a ledger's line: its invoices, its receipts, its
 * write-offs), for the reader to choose which to list.
 */
export async function drillForms(
  platform: Platform,
  actor: Actor,
  appKey: string,
  origin: FigureOrigin,
  locale: Locale,
): Promise<DrillForm[]> {
  const { spec, forms, params, path, options } = await figureDrill(platform, actor, appKey, origin, locale)
  const keys = spec.union === undefined ? [spec.source as string] : [...new Set(spec.union.from.map((one) => one.form))]
  const found: DrillForm[] = []
  for (const form of keys) {
    const result = await runDrill(platform.database.db, spec, forms, params, path,
      { ...options, limit: 1, ...(spec.union === undefined ? {} : { form }) })
    const count = result.total ?? 0
    if (count === 0 && spec.union !== undefined) continue
    found.push({ form, label: (await forms.getForm(form)).definition.label ?? form, count })
  }
  return found
}

const ABOUT = {
  'zh-CN': {
    sheet: '说明', from: '来源', report: '报表', dashboard: '看板', widget: '组件', measure: '度量', empty: '（空）',
    previous: '（上期）', at: '导出时间',
  },
  en: {
    sheet: 'About', from: 'From', report: 'report', dashboard: 'dashboard', widget: 'widget', measure: 'Measure',
    empty: '(empty)', previous: ' (previous)', at: 'Exported at',
  },
} as const

/**
 * What an exported drilled list is, for a sheet beside its records: the
 * report or dashboard widget it was drilled from, each clicked dimension
 * by its label (a bucket by its label, not its index), the measure, the
 * params as the report took them and the dashboard's filters as set, and
 * when it was exported (the company's wall clock, to the minute).
 */
export async function drillAbout(
  platform: Platform,
  appKey: string,
  origin: FigureOrigin,
  params: readonly DrillParam[],
  locale: Locale,
  filters: readonly SetFilter[] = [],
): Promise<{ sheet: string; lines: Array<[string, string]> }> {
  const words = ABOUT[locale]
  const label = async (kind: 'report' | 'dashboard', key: string) =>
    localize((await platform.catalog.getMeta<{ label?: LocalizedText }>(appKey, kind, key)).label ?? key, locale)
  const quote = (text: string) => (locale === 'en' ? ` "${text}"` : `「${text}」`)
  let from: string
  let reportKey: string
  let path: Record<string, unknown>
  let measure: string | undefined
  if ('report' in origin) {
    from = `${words.report}${quote(await label('report', origin.report))}`
    reportKey = origin.report
    path = origin.path
    measure = origin.measure
  } else {
    const board = await platform.catalog.getMeta<DashboardSpec>(appKey, 'dashboard', origin.dashboard)
    const widget = board.widgets.find((one) => one.key === origin.widget)
    const title = widget?.title === undefined ? origin.widget : localize(widget.title, locale) || origin.widget
    from = `${words.dashboard}${quote(localize(board.label, locale))} · ${words.widget}${quote(title)}`
    reportKey = widget?.report ?? ''
    path = origin.query.path
    measure = origin.query.measure
  }
  const spec = await platform.catalog.getMeta<ReportSpec>(appKey, 'report', reportKey).catch(() => undefined)
  const lines: Array<[string, string]> = [[words.from, from]]
  for (const [key, value] of Object.entries(path)) {
    const base = key.replace(/__(index|others)$/, '')
    // A bucket's label travels beside its index: said once.
    if (key !== base && Object.hasOwn(path, base)) continue
    const dimension = spec?.dimensions?.find((one) => one.key === base)
    const read = spec?.source === undefined ? undefined : await fieldRead(platform, appKey, spec.source, dimension?.expr)
    const named = dimension?.label !== undefined ? localize(dimension.label, locale)
      : read !== undefined ? localize(read.label, locale) : base
    const labels = dimension?.buckets && 'labels' in dimension.buckets ? dimension.buckets.labels : undefined
    const options = read?.type === 'select' && !dimension?.buckets && !dimension?.grain ? read.options : undefined
    // By its code, or by a label in either language (as a link typed by a person may hold).
    const option = options?.find((one) => one.value === value)
      ?? options?.find((one) => localize(one.label, 'zh-CN') === value || localize(one.label, 'en') === value)
    const shown = key.endsWith('__index') && typeof value === 'number' && labels?.[value] !== undefined
      ? localize(labels[value], locale)
      : value === null || value === undefined || value === '' ? words.empty
        : option ? localize(option.label, locale) : String(value)
    lines.push([named, shown])
  }
  // A previous period's figure (`collected__previous`) is its measure's, in the previous period.
  const figure = measure === undefined ? undefined : figureMeasure(measure)
  const measured = figure === undefined ? undefined : spec?.measures?.find((one) => one.key === figure.key)
  if (measured) {
    const named = measured.label === undefined ? measured.key : localize(measured.label, locale)
    lines.push([words.measure, figure?.previous ? `${named}${words.previous}` : named])
  }
  for (const param of params) lines.push([localize(param.label, locale), param.value.replace('..', ' – ')])
  for (const filter of filters) lines.push([localize(filter.label, locale), filter.values.join(locale === 'en' ? ', ' : '、')])
  lines.push([words.at, toWallClock(new Date().toISOString(), await platform.timeZone()).slice(0, 16)])
  return { sheet: words.sheet, lines }
}

/**
 * The field a dimension reads when it reads one as it is (`{ "var": "customer.region" }`,
 * through links): its label names a dimension saved without one, and a select
 * field's options say its codes by their labels.
 */
async function fieldRead(platform: Platform, appKey: string, source: string, expr: unknown) {
  const path = typeof expr === 'object' && expr !== null && 'var' in expr && typeof expr.var === 'string'
    ? expr.var.split('.') : undefined
  if (path === undefined) return undefined
  let form = source
  for (const [index, key] of path.entries()) {
    const field = (await platform.catalog.getForm(appKey, form).catch(() => undefined))?.definition.fields
      .find((one) => one.key === key)
    if (field === undefined) return undefined
    if (index === path.length - 1) return field
    if (field.type !== 'link') return undefined
    form = field.form
  }
  return undefined
}

function paramText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value === 'object' && 'from' in value && 'to' in value) return `${String(value.from)}..${String(value.to)}`
  return String(value)
}

/** A param a drilled figure was computed with, for the list opened on it to say. */
export interface DrillParam {
  key: string
  type: string
  label: LocalizedText
  /** As the report took it: a date, or a period "from..to". */
  value: string
}

const FIGURE_SUFFIX = {
  dashboard: { 'zh-CN': '（看板口径）', en: ' (dashboard figure)' },
  report: { 'zh-CN': '（报表口径）', en: ' (report figure)' },
} as const

/**
 * An exported drilled list with the share columns the list shows: the form
 * given one read-only field per share column (after its own, headed
 * "未收金额（看板口径）", or 报表口径 for a report's cell), and each record given its shares as values, so
 * the CSV and Excel writers lay them out like any other field (money with
 * its scale, counts as whole numbers). `totals` adds up, over the records
 * given (those exported, after any search or filter of the list), each
 * share column that `shares.totals` names as adding up (sums and counts,
 * not averages or ratios), exactly.
 */
export function withDrillShares(
  form: PublishedForm,
  records: RecordData[],
  shares: {
    columns: ReportColumn[]
    values: Record<string, Record<string, unknown>>
    totals: Record<string, string | number>
  },
  locale: Locale,
  origin: FigureOrigin,
): { form: PublishedForm; records: RecordData[]; totals: Record<string, string | number> } {
  const taken = new Set(form.definition.fields.map((field) => field.key))
  const fields = shares.columns.map((column): { key: string; field: FieldDefinition; from: string } => {
    let key = `drill_${column.key}`
    while (taken.has(key)) key = `_${key}`
    taken.add(key)
    const label = `${localize(column.label, locale)}${FIGURE_SUFFIX['report' in origin ? 'report' : 'dashboard'][locale]}`
    const field: FieldDefinition = column.type === 'money'
      ? { key, label, type: 'money', ...(column.scale === undefined ? {} : { scale: column.scale }) }
      : column.type === 'integer' || column.type === 'number'
        ? { key, label, type: 'number', ...(column.type === 'integer' ? { integer: true } : {}) }
        : { key, label, type: 'text' }
    return { key, field, from: column.key }
  })
  if (fields.length === 0) return { form, records, totals: {} }
  const shared = records.map((record) => {
    const own = shares.values[String(record.id)] ?? {}
    const added = Object.fromEntries(fields.map((one) => [one.key, own[one.from] ?? null]))
    return { ...record, values: { ...record.values, ...added } }
  })
  const totals = Object.fromEntries(fields.filter((one) => Object.hasOwn(shares.totals, one.from)).map((one) => {
    const column = shares.columns.find((candidate) => candidate.key === one.from)!
    const sum = shared.reduce((total, record) => {
      const value = record.values[one.key]
      return value === null || value === undefined ? total : total.plus(String(value))
    }, new Dec(0))
    return [one.key, column.type === 'integer' ? sum.toNumber()
      : column.scale === undefined ? sum.toFixed() : sum.toFixed(column.scale)]
  }))
  return {
    form: { ...form, definition: { ...form.definition, fields: [...form.definition.fields, ...fields.map((one) => one.field)] } },
    records: shared,
    totals,
  }
}
