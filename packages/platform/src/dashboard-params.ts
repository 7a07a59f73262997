import { isTesseraError } from '@tessera/core'
import { IssueList, checkParamSpecs, resolveParams, type ReportParamSpec, type ReportSpec } from '@tessera/reports'

import { type Problem, isRecord } from './dashboard.js'

/**
 * Checks a dashboard's params as a report's are checked (shape, type,
 * default), that each has the type of the same param in every report
 * its widgets show (a date `asOf` cannot feed a report whose `asOf` is a
 * period), and that every param a widget's report requires without a
 * default is given by the dashboard or the widget.
 */
export function checkDashboardParams(
  raw: unknown,
  widgets: unknown[],
  reports: ReadonlyMap<string, ReportSpec>,
  problem: Problem,
): void {
  const english = new IssueList('en')
  const chinese = new IssueList('zh-CN')
  checkParamSpecs(raw, english)
  checkParamSpecs(raw, chinese)
  english.all.forEach((issue, index) => problem(issue.field ?? 'params', issue.message, chinese.all[index]?.message ?? issue.message))

  // Compared as written, also where the default was refused above.
  const written = Array.isArray(raw) ? raw : []
  written.forEach((param: unknown, index) => {
    if (!isRecord(param) || typeof param.key !== 'string' || typeof param.type !== 'string') return
    for (const widget of widgets) {
      const report = isRecord(widget) && typeof widget.report === 'string' ? reports.get(widget.report) : undefined
      const theirs = report?.params?.find((candidate) => candidate.key === param.key)
      if (!report || !theirs || theirs.type === param.type) continue
      problem(`params[${index}].type`,
        `report "${report.key}" takes "${param.key}" as a ${theirs.type}, not a ${param.type}`,
        `报表「${report.key}」的参数「${param.key}」是 ${theirs.type}，不是 ${param.type}`)
      break
    }
  })

  // A param a report requires, with no default, must come from somewhere:
  // the dashboard's own params or the widget's fixed ones.
  const declared = new Set(written.flatMap((param: unknown) => isRecord(param) && typeof param.key === 'string' ? [param.key] : []))
  widgets.forEach((widget, index) => {
    if (!isRecord(widget) || typeof widget.report !== 'string') return
    const report = reports.get(widget.report)
    const fixed = isRecord(widget.params) ? widget.params : {}
    for (const param of report?.params ?? []) {
      if (!param.required || param.default !== undefined || declared.has(param.key) || fixed[param.key] !== undefined) continue
      problem(`widgets[${index}].params.${param.key}`,
        `report "${widget.report}" requires the param "${param.key}", which neither the dashboard's params nor the widget's give`,
        `报表「${widget.report}」必须有参数「${param.key}」，看板参数和组件参数都没有给出`)
    }
  })
}

/**
 * A widget's fixed param values must each be a value its report's param
 * takes (a real date, a period, a number), checked as a run checks them.
 */
export function checkFixedParams(
  params: Record<string, unknown>,
  report: ReportSpec,
  at: string,
  problem: Problem,
): void {
  for (const [key, value] of Object.entries(params)) {
    const spec = report.params?.find((candidate) => candidate.key === key)
    if (!spec || typeof value !== 'string') continue
    const loose: ReportParamSpec = { key: spec.key, type: spec.type }
    const words: string[] = []
    for (const locale of ['en', 'zh-CN'] as const) {
      try {
        resolveParams([loose], { [key]: value }, { timeZone: 'UTC', locale })
      } catch (error) {
        if (!isTesseraError(error)) throw error
        words.push(error.issues[0]?.message ?? error.message)
      }
    }
    if (words.length === 2) problem(`${at}.params.${key}`, words[0], words[1])
  }
}
