import type { ReportSpec } from '@tessera/reports'

import { type Problem, WIDGET_TYPES, type WidgetType, isRecord } from './dashboard.js'

const CARTESIAN: readonly WidgetType[] = ['bar', 'stacked_bar', 'line', 'area']
const SLICED: readonly WidgetType[] = ['pie', 'donut', 'funnel']
const SINGLE: readonly WidgetType[] = ['kpi', 'gauge']

/** Checks one widget against its report: the keys it names and what its type needs. */
export function checkWidget(
  widget: Record<string, unknown>,
  at: string,
  reports: ReadonlyMap<string, ReportSpec>,
  problem: Problem,
): void {
  const type = WIDGET_TYPES.find((candidate) => candidate === widget.type)
  if (!type) {
    problem(`${at}.type`, `must be one of ${WIDGET_TYPES.join(', ')}, got ${JSON.stringify(widget.type)}`)
  }
  checkLayout(widget.layout, at, problem)
  const report = typeof widget.report === 'string' ? reports.get(widget.report) : undefined
  if (!report) return problem(`${at}.report`, `report ${JSON.stringify(widget.report)} does not exist`)

  const measures = new Set((report.measures ?? []).map((measure) => measure.key))
  const dimensions = new Set((report.dimensions ?? []).map((dimension) => dimension.key))
  const named = (value: unknown, known: Set<string>, path: string, what: string) => {
    if (value === undefined) return
    if (typeof value !== 'string' || !known.has(value)) {
      problem(path, `report "${report.key}" has no ${what} ${JSON.stringify(value)}`)
    }
  }
  named(widget.measure, measures, `${at}.measure`, 'measure')
  named(widget.dimension, dimensions, `${at}.dimension`, 'dimension')
  named(widget.series, dimensions, `${at}.series`, 'dimension')
  for (const [name, known, what] of [['measures', measures, 'measure'], ['drill', dimensions, 'dimension']] as const) {
    const list = widget[name]
    if (list === undefined) continue
    if (!Array.isArray(list) || list.length === 0) problem(`${at}.${name}`, 'must be a non-empty list')
    else list.forEach((item, index) => named(item, known, `${at}.${name}[${index}]`, what))
  }
  if (!type) return

  const first = Array.isArray(widget.drill) ? widget.drill[0] : undefined
  const dimension = widget.dimension ?? first
  if (SINGLE.includes(type) && !widget.measure) {
    problem(`${at}.measure`, `a ${type} widget names the measure it shows`)
  }
  if ((CARTESIAN.includes(type) || SLICED.includes(type)) && !dimension) {
    problem(`${at}.dimension`, `a ${type} widget names its dimension (or drill levels)`)
  }
  if ((CARTESIAN.includes(type) || SLICED.includes(type)) && !widget.measures && !widget.measure) {
    problem(`${at}.measures`, `a ${type} widget names at least one measure`)
  }
  if (type === 'pivot' && !report.pivot) {
    problem(`${at}.report`, `a pivot widget needs a report with a pivot; "${report.key}" has none`)
  }
  if (widget.series !== undefined && !CARTESIAN.includes(type)) {
    problem(`${at}.series`, `only bar, stacked_bar, line and area widgets take series`)
  }
  if (widget.max !== undefined && (typeof widget.max !== 'number' || !(widget.max > 0))) {
    problem(`${at}.max`, `must be a positive number, got ${JSON.stringify(widget.max)}`)
  }
  if (widget.percent !== undefined && typeof widget.percent !== 'boolean') {
    problem(`${at}.percent`, 'must be true or false')
  }
  if (widget.better !== undefined && widget.better !== 'higher' && widget.better !== 'lower') {
    problem(`${at}.better`, `must be "higher" or "lower", got ${JSON.stringify(widget.better)}`)
  }
  checkParams(widget.params, report, at, problem)
}

function checkLayout(layout: unknown, at: string, problem: Problem): void {
  const { x, y, w, h } = isRecord(layout) ? layout : {}
  const whole = [x, y, w, h].every(Number.isInteger)
  const [left, top, width, height] = [x, y, w, h].map(Number)
  const fits = whole && left >= 0 && width >= 1 && left + width <= 12 && top >= 0 && height >= 1
  if (!fits) {
    problem(`${at}.layout`, 'needs whole x, y, w, h with 0 ≤ x, 1 ≤ w, x + w ≤ 12, 0 ≤ y and 1 ≤ h')
  }
}

function checkParams(params: unknown, report: ReportSpec, at: string, problem: Problem): void {
  if (params === undefined) return
  if (!isRecord(params)) return problem(`${at}.params`, 'must be an object of param values')
  const declared = new Set((report.params ?? []).map((param) => param.key))
  for (const [key, value] of Object.entries(params)) {
    if (!declared.has(key)) problem(`${at}.params.${key}`, `report "${report.key}" has no param "${key}"`)
    if (typeof value !== 'string') problem(`${at}.params.${key}`, 'must be a text, as in a query string')
  }
}
