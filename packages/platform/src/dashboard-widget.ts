import type { ReportSpec } from '@tessera/reports'

import { KEY_PATTERN } from '@tessera/core'
import { type Problem, WIDGET_TYPES, type WidgetType, checkText, isRecord } from './dashboard.js'
import { checkFixedParams } from './dashboard-params.js'

const CARTESIAN: readonly WidgetType[] = ['bar', 'stacked_bar', 'line', 'area']
const SLICED: readonly WidgetType[] = ['pie', 'donut', 'funnel']
const SINGLE: readonly WidgetType[] = ['kpi', 'gauge']
const WIDGET_PROPERTIES = [
  'key', 'type', 'title', 'report', 'measure', 'dimension', 'measures', 'series', 'drill',
  'percent', 'better', 'max', 'params', 'layout',
]

/** Checks one widget against its report: the keys it names and what its type needs. */
export function checkWidget(
  widget: Record<string, unknown>,
  at: string,
  reports: ReadonlyMap<string, ReportSpec>,
  problem: Problem,
): void {
  for (const name of Object.keys(widget)) {
    if (!WIDGET_PROPERTIES.includes(name)) {
      problem(`${at}.${name}`, `a widget has no property "${name}"`, `组件没有属性「${name}」`)
    }
  }
  const type = WIDGET_TYPES.find((candidate) => candidate === widget.type)
  if (!type) {
    const got = JSON.stringify(widget.type)
    problem(`${at}.type`, `must be one of ${WIDGET_TYPES.join(', ')}, got ${got}`,
      `须为 ${WIDGET_TYPES.join('、')} 之一，收到 ${got}`)
  }
  if (typeof widget.key !== 'string' || !KEY_PATTERN.test(widget.key)) {
    const got = JSON.stringify(widget.key)
    problem(`${at}.key`, `must match ${KEY_PATTERN}, got ${got}`, `须为小写字母开头的字母、数字或下划线（${KEY_PATTERN}），收到 ${got}`)
  }
  checkText(widget.title, `${at}.title`, false, problem)
  checkLayout(widget.layout, at, problem)
  const report = typeof widget.report === 'string' ? reports.get(widget.report) : undefined
  if (!report) {
    const got = JSON.stringify(widget.report)
    return problem(`${at}.report`, `report ${got} does not exist`, `报表 ${got} 不存在`)
  }

  // A hidden measure is no column of the result: nothing for a widget to show.
  const measures = new Set((report.measures ?? []).filter((measure) => !measure.hidden).map((measure) => measure.key))
  const dimensions = new Set((report.dimensions ?? []).map((dimension) => dimension.key))
  const words = { measure: '度量', dimension: '维度' }
  const named = (value: unknown, known: Set<string>, path: string, what: 'measure' | 'dimension') => {
    if (value === undefined) return
    if (typeof value !== 'string' || !known.has(value)) {
      const got = JSON.stringify(value)
      problem(path, `report "${report.key}" has no ${what} ${got}`, `报表「${report.key}」没有${words[what]} ${got}`)
    }
  }
  named(widget.measure, measures, `${at}.measure`, 'measure')
  named(widget.dimension, dimensions, `${at}.dimension`, 'dimension')
  named(widget.series, dimensions, `${at}.series`, 'dimension')
  for (const [name, known, what] of [['measures', measures, 'measure'], ['drill', dimensions, 'dimension']] as const) {
    const list = widget[name]
    if (list === undefined) continue
    if (!Array.isArray(list) || list.length === 0) {
      problem(`${at}.${name}`, 'must be a non-empty list', '须为非空列表')
      continue
    }
    list.forEach((item, index) => {
      named(item, known, `${at}.${name}[${index}]`, what)
      if (list.indexOf(item) !== index) {
        problem(`${at}.${name}[${index}]`, `${JSON.stringify(item)} is listed twice`, `${JSON.stringify(item)} 列了两次`)
      }
    })
  }
  if (!type) return

  const first = Array.isArray(widget.drill) ? widget.drill[0] : undefined
  const dimension = widget.dimension ?? first
  if (SINGLE.includes(type) && !widget.measure) {
    problem(`${at}.measure`, `a ${type} widget names the measure it shows`, `${type} 组件须指定显示的度量（measure）`)
  }
  if ((CARTESIAN.includes(type) || SLICED.includes(type)) && !dimension) {
    problem(`${at}.dimension`, `a ${type} widget names its dimension (or drill levels)`,
      `${type} 组件须指定维度（dimension）或下钻层级（drill）`)
  }
  if ((CARTESIAN.includes(type) || SLICED.includes(type)) && !widget.measures && !widget.measure) {
    problem(`${at}.measures`, `a ${type} widget names at least one measure`, `${type} 组件须至少指定一个度量`)
  }
  const shown = Array.isArray(widget.measures) ? widget.measures.length : 0
  if (SLICED.includes(type) && (shown > 1 || (shown === 1 && widget.measure !== undefined))) {
    problem(`${at}.measures`, `a ${type} widget shows one measure`, `${type} 组件只显示一个度量`)
  }
  if (type === 'pivot' && !report.pivot) {
    problem(`${at}.report`, `a pivot widget needs a report with a pivot; "${report.key}" has none`,
      `透视表组件需要带透视设置的报表，「${report.key}」没有`)
  }
  if (widget.series !== undefined && !CARTESIAN.includes(type)) {
    problem(`${at}.series`, 'only bar, stacked_bar, line and area widgets take series',
      '只有 bar、stacked_bar、line 和 area 组件可以有系列（series）')
  }
  if (widget.max !== undefined && (typeof widget.max !== 'number' || !(widget.max > 0))) {
    const got = JSON.stringify(widget.max)
    problem(`${at}.max`, `must be a positive number, got ${got}`, `须为正数，收到 ${got}`)
  }
  if (widget.percent !== undefined && typeof widget.percent !== 'boolean') {
    problem(`${at}.percent`, 'must be true or false', '须为 true 或 false')
  }
  if (widget.better !== undefined && widget.better !== 'higher' && widget.better !== 'lower') {
    const got = JSON.stringify(widget.better)
    problem(`${at}.better`, `must be "higher" or "lower", got ${got}`, `须为 "higher" 或 "lower"，收到 ${got}`)
  }
  checkParams(widget.params, report, at, problem)
}

/** The lowest row a widget may start on, and the most rows it may take. */
export const MAX_ROW = 1000
const MAX_HEIGHT = 48

function checkLayout(layout: unknown, at: string, problem: Problem): void {
  const { x, y, w, h } = isRecord(layout) ? layout : {}
  const whole = [x, y, w, h].every(Number.isInteger)
  const [left, top, width, height] = [x, y, w, h].map(Number)
  // A dashboard of a thousand rows of the grid is far longer than any page people scroll.
  const fits = whole && left >= 0 && width >= 1 && left + width <= 12 && top >= 0 && top <= MAX_ROW &&
    height >= 1 && height <= MAX_HEIGHT
  if (!fits) {
    problem(`${at}.layout`,
      `needs whole x, y, w, h with 0 ≤ x, 1 ≤ w, x + w ≤ 12, 0 ≤ y ≤ ${MAX_ROW} and 1 ≤ h ≤ ${MAX_HEIGHT}`,
      `须为整数 x、y、w、h，且 0 ≤ x、1 ≤ w、x + w ≤ 12、0 ≤ y ≤ ${MAX_ROW}、1 ≤ h ≤ ${MAX_HEIGHT}`)
  }
}

function checkParams(params: unknown, report: ReportSpec, at: string, problem: Problem): void {
  if (params === undefined) return
  if (!isRecord(params)) return problem(`${at}.params`, 'must be an object of param values', '须为参数取值的对象')
  for (const [key, value] of Object.entries(params)) {
    if (!(report.params ?? []).some((param) => param.key === key)) {
      problem(`${at}.params.${key}`, `report "${report.key}" has no param "${key}"`, `报表「${report.key}」没有参数「${key}」`)
    }
    if (typeof value !== 'string') {
      problem(`${at}.params.${key}`, 'must be a text, as in a query string', '须为文本（如同查询字符串中的值）')
    }
  }
  checkFixedParams(params, report, at, problem)
}
