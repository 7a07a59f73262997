import {
  KEY_PATTERN,
  TesseraError,
  type FieldIssue,
  type LocalizedText,
} from '@tessera/core'
import type { ReportSpec } from '@tessera/reports'

/**
 * A dashboard: widgets laid out on a 12-column grid, each showing one report.
 * The dashboard's params (an as-of date, say) are passed to every widget's
 * report run.
 *
 * @example
 * {
 *   "key": "sales",
 *   "label": { "zh-CN": "销售看板", "en": "Sales" },
 *   "params": [ { "key": "asOf", "type": "date", "label": "截止日期", "default": "today" } ],
 *   "widgets": [
 *     { "key": "total", "type": "kpi", "title": "合计", "report": "summary",
 *       "measure": "amount", "layout": { "x": 0, "y": 0, "w": 3, "h": 2 } },
 *     { "key": "by_month", "type": "bar", "title": "按月", "report": "by_month",
 *       "dimension": "month", "measures": ["amount"], "layout": { "x": 0, "y": 2, "w": 12, "h": 5 } }
 *   ]
 * }
 */
export interface DashboardSpec {
  key: string
  label: LocalizedText
  params?: DashboardParam[]
  widgets: WidgetSpec[]
}

export interface DashboardParam {
  key: string
  type: 'date' | 'number' | 'text'
  label?: LocalizedText
  default?: string | number
}

export type WidgetType = 'kpi' | 'bar' | 'pie' | 'table'
export const WIDGET_TYPES: readonly WidgetType[] = ['kpi', 'bar', 'pie', 'table']

export interface WidgetSpec {
  key: string
  type: WidgetType
  title?: LocalizedText
  report: string
  /** kpi: the measure shown. */
  measure?: string
  /** bar and pie: the dimension along the axis or around the pie. */
  dimension?: string
  /** bar and pie: the measures drawn. */
  measures?: string[]
  layout: { x: number; y: number; w: number; h: number }
}

/** Checks a dashboard against the reports it shows; every problem is listed. */
export function checkDashboard(
  spec: unknown,
  reports: ReadonlyMap<string, ReportSpec>,
): DashboardSpec {
  const issues: FieldIssue[] = []
  const problem = (field: string, message: string) => issues.push({ field, rule: 'dashboard', message })
  const d = spec as DashboardSpec
  if (typeof d !== 'object' || d === null || !Array.isArray(d.widgets)) {
    throw new TesseraError('metadata.invalid', 'a dashboard must be an object with a "widgets" list')
  }
  if (!KEY_PATTERN.test(String(d.key))) problem('key', `must match ${KEY_PATTERN}`)
  const seen = new Set<string>()
  d.widgets.forEach((w, i) => {
    const at = `widgets[${i}]`
    if (seen.has(w.key)) problem(`${at}.key`, `"${w.key}" is used twice`)
    seen.add(w.key)
    if (!WIDGET_TYPES.includes(w.type)) problem(`${at}.type`, `must be one of ${WIDGET_TYPES.join(', ')}, got ${JSON.stringify(w.type)}`)
    const report = reports.get(w.report)
    if (!report) return problem(`${at}.report`, `report "${w.report}" does not exist`)
    const measures = new Set((report.measures ?? []).map((m) => m.key))
    const dimensions = new Set((report.dimensions ?? []).map((m) => m.key))
    for (const m of [w.measure, ...(w.measures ?? [])]) {
      if (m !== undefined && !measures.has(m)) problem(`${at}.measures`, `report "${w.report}" has no measure "${m}"`)
    }
    if (w.dimension !== undefined && !dimensions.has(w.dimension)) {
      problem(`${at}.dimension`, `report "${w.report}" has no dimension "${w.dimension}"`)
    }
    if (w.type === 'kpi' && !w.measure) problem(`${at}.measure`, 'a kpi widget names the measure it shows')
    if ((w.type === 'bar' || w.type === 'pie') && (!w.dimension || !w.measures?.length)) {
      problem(at, `a ${w.type} widget names a dimension and at least one measure`)
    }
    const { x, y, w: width, h } = w.layout ?? {}
    const fits = [x, y, width, h].every(Number.isInteger) && x >= 0 && width >= 1 && x + width <= 12 && y >= 0 && h >= 1
    if (!fits) problem(`${at}.layout`, 'needs whole x, y, w, h with 0 ≤ x, 1 ≤ w, x + w ≤ 12, 0 ≤ y and 1 ≤ h')
  })
  if (issues.length > 0) {
    throw new TesseraError('metadata.invalid', `dashboard "${d.key}" is invalid: ${issues.map((x) => `${x.field}: ${x.message}`).join('; ')}`, { issues })
  }
  return d
}
