import {
  KEY_PATTERN,
  TesseraError,
  type FieldIssue,
  type FormResolver,
  type Locale,
  type LocalizedText,
} from '@tessera/core'
import type { ReportSpec } from '@tessera/reports'

import { checkFilters } from './dashboard-filters.js'
import { checkDashboardParams } from './dashboard-params.js'
import { MAX_ROW, checkWidget } from './dashboard-widget.js'
import { settleLayout } from './dashboard-layout.js'

/**
 * A dashboard: widgets laid out on a 12-column grid, each showing one
 * report. The dashboard's params (an as-of date, a period) go to every
 * widget whose report declares them; its global filters narrow every
 * widget's report by a field path; `refresh` reloads every widget that
 * often (seconds).
 *
 * @example
 * {
 *   "key": "sales",
 *   "label": { "zh-CN": "销售看板", "en": "Sales" },
 *   "params": [ { "key": "asOf", "type": "date", "label": "截止日期", "default": "today" } ],
 *   "filters": [ { "key": "region", "label": "区域", "type": "select", "field": "customer.region",
 *                  "options": { "form": "customer", "field": "region" } } ],
 *   "refresh": 300,
 *   "widgets": [
 *     { "key": "total", "type": "kpi", "title": "合计", "report": "summary",
 *       "measure": "amount", "layout": { "x": 0, "y": 0, "w": 3, "h": 2 } },
 *     { "key": "by_region", "type": "bar", "title": "按区域", "report": "by_region",
 *       "dimension": "region", "measures": ["amount"], "drill": ["region", "customer"],
 *       "layout": { "x": 0, "y": 2, "w": 12, "h": 5 } }
 *   ]
 * }
 */
export interface DashboardSpec {
  key: string
  label: LocalizedText
  params?: DashboardParam[]
  filters?: DashboardFilter[]
  /** Seconds between automatic reloads of every widget (10 to 86400); none when absent. */
  refresh?: number
  widgets: WidgetSpec[]
}

export interface DashboardParam {
  key: string
  type: 'date' | 'number' | 'text' | 'period'
  label?: LocalizedText
  default?: string | number
}

/**
 * A global filter: one control above the widgets whose value narrows every
 * widget's report. `field` is a path from the report's source form
 * ("customer.region"); `fields` overrides it per report key, null leaving
 * that report unfiltered. Options of a select come from a form's field
 * (distinct values) or a list.
 *
 * @example
 * { "key": "salesperson", "label": { "zh-CN": "销售", "en": "Salesperson" }, "type": "select",
 *   "field": "customer.salesperson", "fields": { "salesperson_collection": null },
 *   "options": { "form": "customer", "field": "salesperson" } }
 */
export interface DashboardFilter {
  key: string
  label?: LocalizedText
  type: DashboardFilterType
  field: string
  fields?: Record<string, string | null>
  options?: { form: string; field: string } | string[]
  /** A text filter: the whole value (default) or any value holding the text. */
  match?: 'equals' | 'contains'
}

export type DashboardFilterType = 'select' | 'text' | 'date-range'
export const FILTER_TYPES: readonly DashboardFilterType[] = ['select', 'text', 'date-range']

export type WidgetType =
  | 'kpi'
  | 'bar'
  | 'stacked_bar'
  | 'line'
  | 'area'
  | 'pie'
  | 'donut'
  | 'funnel'
  | 'gauge'
  | 'table'
  | 'pivot'

export const WIDGET_TYPES: readonly WidgetType[] = [
  'kpi',
  'bar',
  'stacked_bar',
  'line',
  'area',
  'pie',
  'donut',
  'funnel',
  'gauge',
  'table',
  'pivot',
]

/**
 * One tile. What it needs by type:
 * - kpi, gauge: `measure` (a compared measure shows its change; a gauge
 *   runs from 0 to `max`, default 1 for a percent, else 100);
 * - bar, stacked_bar, line, area: `dimension` and `measures`, or `series`
 *   (a second dimension whose values become the series);
 * - pie, donut, funnel: `dimension` and one measure;
 * - table: nothing (`measures` may pick columns); pivot: a report with a pivot.
 * `drill` lists dimensions clicked through in order (the first shown
 * first); a click on the last opens the records behind the figure.
 * `percent` shows the measures as percentages (ratios such as 0.2323).
 * `better` says which way a KPI's change is good news: "lower" (the
 * default: receivables, overdue) colours a fall green and a rise red,
 * "higher" (collection rate, cash collected) the other way round.
 */
export interface WidgetSpec {
  key: string
  type: WidgetType
  title?: LocalizedText
  report: string
  measure?: string
  dimension?: string
  measures?: string[]
  series?: string
  drill?: string[]
  percent?: boolean
  better?: 'higher' | 'lower'
  max?: number
  /** Fixed report params of this widget, over the dashboard's. */
  params?: Record<string, string>
  layout: WidgetLayout
}

export interface WidgetLayout {
  x: number
  y: number
  w: number
  h: number
}

const DASHBOARD_PROPERTIES = ['key', 'label', 'params', 'filters', 'refresh', 'widgets']
/** The most widgets a dashboard holds: every view runs each one's query. */
export const MAX_WIDGETS = 60

/**
 * Checks a dashboard against the reports it shows (and, given the app's
 * forms, its filters' field paths against each report's source). Every
 * problem is listed in one `metadata.invalid`, each naming its path.
 */
export async function checkDashboard(
  spec: unknown,
  reports: ReadonlyMap<string, ReportSpec>,
  forms?: FormResolver,
  locale: Locale = 'zh-CN',
): Promise<DashboardSpec> {
  const issues: FieldIssue[] = []
  const problem: Problem = (field, en, zh) =>
    issues.push({ field, rule: 'dashboard', message: locale === 'en' ? en : zh })
  if (!isRecord(spec) || !Array.isArray(spec.widgets)) {
    const en = 'a dashboard must be an object with a "widgets" list'
    const received = Array.isArray(spec) ? 'array' : spec === null ? 'null' : typeof spec
    throw new TesseraError('metadata.invalid', en, {
      details: { received },
      issues: [{
        field: isRecord(spec) ? 'widgets' : 'body',
        rule: 'type',
        message: locale === 'en' ? en : '看板须为带有 "widgets" 列表的对象',
        expected: isRecord(spec) ? 'array' : 'object',
        received: isRecord(spec) ? (Array.isArray(spec.widgets) ? 'array' : typeof spec.widgets) : received,
      }],
      messages: { 'zh-CN': '看板须为带有 "widgets" 列表的对象', en },
    })
  }

  for (const name of Object.keys(spec)) {
    if (!DASHBOARD_PROPERTIES.includes(name)) {
      problem(name, `a dashboard has no property "${name}"`, `看板没有属性「${name}」`)
    }
  }
  if (typeof spec.key !== 'string' || !KEY_PATTERN.test(spec.key)) {
    const got = JSON.stringify(spec.key)
    problem('key', `must match ${KEY_PATTERN}, got ${got}`, `须为小写字母开头的字母、数字或下划线（${KEY_PATTERN}），收到 ${got}`)
  }
  checkText(spec.label, 'label', true, problem)
  const refresh = spec.refresh
  const refreshOk = refresh === undefined ||
    (Number.isInteger(refresh) && Number(refresh) >= 10 && Number(refresh) <= 86_400)
  if (!refreshOk) {
    const got = JSON.stringify(refresh)
    problem('refresh', `must be whole seconds from 10 to 86400, got ${got}`, `须为 10 到 86400 之间的整秒数，收到 ${got}`)
  }
  checkDashboardParams(spec.params, spec.widgets, reports, problem)

  if (spec.widgets.length > MAX_WIDGETS) {
    problem('widgets', `a dashboard holds at most ${MAX_WIDGETS} widgets (each one is a query on every view), got ${spec.widgets.length}`,
      `一个看板最多 ${MAX_WIDGETS} 个组件（每个组件每次查看都要查询一次），收到 ${spec.widgets.length} 个`)
  }
  const seen = new Set<string>()
  spec.widgets.forEach((widget: unknown, index) => {
    const at = `widgets[${index}]`
    if (!isRecord(widget)) return problem(at, 'must be an object', '须为对象')
    if (seen.has(String(widget.key))) {
      problem(`${at}.key`, `"${String(widget.key)}" is used twice`, `「${String(widget.key)}」用了两次`)
    }
    seen.add(String(widget.key))
    checkWidget(widget, at, reports, problem)
  })
  await checkFilters(spec.filters, spec.widgets, reports, forms, problem)

  // Widgets placed on one another are moved down, so none hides another; one that would move
  // below the grid's last row is refused instead, so a dashboard as saved can be saved again.
  const layouts = issues.length > 0 ? [] : settleLayout((spec.widgets as WidgetSpec[]).map((widget) => widget.layout))
  layouts.forEach((layout, index) => {
    if (layout.y <= MAX_ROW) return
    problem(`widgets[${index}].layout`,
      `lies on another widget and, moved below it, would start on row ${layout.y}, past the last row ${MAX_ROW}: place it elsewhere`,
      `与其他组件重叠，移到其下方要从第 ${layout.y} 行开始，超过了最后一行 ${MAX_ROW}：请换个位置`)
  })

  if (issues.length > 0) {
    const summary = issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ')
    const worded = locale === 'en'
      ? `dashboard "${String(spec.key)}" is invalid: ${summary}`
      : `看板「${String(spec.key)}」有误：${issues.map((issue) => `${issue.field}：${issue.message}`).join('；')}`
    throw new TesseraError('metadata.invalid', `dashboard "${String(spec.key)}" is invalid: ${summary}`, {
      details: { dashboard: spec.key },
      issues,
      messages: { [locale]: worded },
    })
  }
  const checked = spec as unknown as DashboardSpec
  return { ...checked, widgets: checked.widgets.map((widget, index) => ({ ...widget, layout: layouts[index] })) }
}

/**
 * A name shown to people: a non-empty text, or `{ "zh-CN": …, "en"?: … }`
 * with a non-empty Chinese one. Absent is fine unless `required`.
 */
export function checkText(value: unknown, at: string, required: boolean, problem: Problem): void {
  if (value === undefined && !required) return
  const filled = (text: unknown) => typeof text === 'string' && text.trim() !== ''
  const ok = filled(value) || (isRecord(value) && filled(value['zh-CN']) &&
    (value.en === undefined || typeof value.en === 'string') &&
    Object.keys(value).every((locale) => locale === 'zh-CN' || locale === 'en'))
  if (!ok) {
    const got = JSON.stringify(value) ?? 'nothing'
    problem(at, `must be a non-empty text or { "zh-CN": text, "en": text }, got ${got}`,
      `须为非空文本，或 { "zh-CN": 文本, "en": 文本 }，收到 ${got}`)
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Records a problem at a path, worded in English and Chinese. */
export type Problem = (field: string, en: string, zh: string) => void
