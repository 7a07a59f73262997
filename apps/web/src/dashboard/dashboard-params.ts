import { FIRST_DATE, LAST_DATE, isIsoDate, isPeriodDefault, periodAround } from '@tessera/core'
import type { DashboardParam, DashboardWidget } from '../api/types.js'
import type { DrillState } from './dashboard-queries.js'
import type { RouteQuery } from '../routing/route.js'

/** The default that stands for the company's today (from /api/settings). */
export const TODAY = 'today'

/**
 * The parameter values a dashboard runs with: the URL's value when there is
 * one, else the declared default. A period travels as "from..to"; its
 * defaults ("month_to_date", …) are the calendar period around the
 * dashboard's as-of date (its first date param) when it has one, else
 * around today: a board looked at as of 30 June collects June, not the
 * current month. Returns undefined while a default relative to today
 * cannot be resolved yet (settings still loading), so that no report runs
 * for a wrong date.
 *
 * resolveDashboardParams([{ key: 'asOf', type: 'date', label: '截止日期', default: 'today' }],
 *   {}, '2026-12-05') → { asOf: '2026-12-05' }
 */
export function resolveDashboardParams(
  params: readonly DashboardParam[] | undefined,
  query: RouteQuery,
  today: string | undefined,
): Record<string, string> | undefined {
  const values: Record<string, string> = {}
  const list = params ?? []
  // Dates first: the periods' defaults lie around the as-of date.
  const ordered = [...list.filter((param) => param.type !== 'period'), ...list.filter((param) => param.type === 'period')]
  let anchor: string | undefined
  for (const param of ordered) {
    const chosen = query[param.key]
    if (chosen !== undefined && chosen !== '') {
      values[param.key] = chosen
    } else {
      const relative = param.default === TODAY || isPeriodDefault(param.default)
      const around = param.type === 'period' ? anchor ?? today : today
      if (relative && around === undefined) return undefined
      if (param.default === TODAY && today !== undefined) values[param.key] = today
      else if (isPeriodDefault(param.default) && around !== undefined) {
        const period = periodAround(param.default, around)
        values[param.key] = `${period.from}..${period.to}`
      } else if (param.default !== undefined) {
        values[param.key] = String(param.default)
      }
    }
    if (param.type === 'date' && anchor === undefined && isIsoDate(values[param.key])) anchor = values[param.key]
  }
  return values
}

/**
 * The params whose values (typed into the URL) no report would take: a date
 * that is no calendar date from 1900 to 9999, a period that is not
 * "from..to" of two such dates in order. The page says so once, naming the
 * param by its label, instead of every widget failing with the same refusal.
 */
export function paramProblems(
  params: readonly DashboardParam[] | undefined,
  values: Record<string, string>,
): Array<{ param: DashboardParam; value: string; expected: 'date' | 'period' }> {
  const dated = (text: string) => isIsoDate(text) && text >= FIRST_DATE && text <= LAST_DATE
  const problems: Array<{ param: DashboardParam; value: string; expected: 'date' | 'period' }> = []
  for (const param of params ?? []) {
    const value = values[param.key]
    if (value === undefined || value === '') continue
    if (param.type === 'date' && !dated(value)) problems.push({ param, value, expected: 'date' })
    if (param.type === 'period') {
      const [from, to, ...rest] = value.split('..')
      const fine = rest.length === 0 && from !== undefined && to !== undefined && dated(from) && dated(to) && from <= to
      if (!fine) problems.push({ param, value, expected: 'period' })
    }
  }
  return problems
}

/** A widget's report parameters: the dashboard's, then the widget's own fixed ones. */
export function widgetParams(
  widget: DashboardWidget,
  dashboard: Record<string, string>,
): Record<string, string> {
  return { ...dashboard, ...widget.params }
}

/**
 * Global filter values kept in the URL as JSON: ?filters={"region":["华东"]};
 * a link may also give one as `f.<key>=<value>`, as the widget API takes
 * it (?f.region=华东). Anything unreadable counts as no filter rather than
 * an error page.
 */
export function readFilters(query: RouteQuery): Record<string, string[]> {
  const values: Record<string, string[]> = {}
  try {
    const parsed: unknown = JSON.parse(query.filters ?? '{}')
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      for (const [key, value] of Object.entries(parsed)) {
        const list = (Array.isArray(value) ? value : [value]).filter((item) => typeof item === 'string')
        if (list.length > 0) values[key] = list
      }
    }
  } catch {
    // Unreadable JSON: no filter from it.
  }
  for (const [name, value] of Object.entries(query)) {
    if (!name.startsWith('f.') || name.length === 2 || value === '') continue
    const key = name.slice(2)
    values[key] = [...new Set([...(values[key] ?? []), value])]
  }
  return values
}

/** The URL query with these filter values (an empty list removes the filter); `f.<key>` parts are folded in. */
export function writeFilters(query: RouteQuery, filters: Record<string, string[]>): RouteQuery {
  const kept = Object.fromEntries(Object.entries(filters).filter(([, list]) => list.length > 0))
  const rest = Object.fromEntries(Object.entries(query).filter(([name]) => name !== 'filters' && !name.startsWith('f.')))
  return Object.keys(kept).length === 0 ? rest : { ...rest, filters: JSON.stringify(kept) }
}

/**
 * Drilled widgets kept in the URL as JSON, by widget key:
 * ?drills={"by_region":{"level":"customer","path":{"region":"华东"}}}.
 * Anything unreadable counts as no drill.
 */
export function readDrills(query: RouteQuery): Record<string, DrillState> {
  try {
    const parsed: unknown = JSON.parse(query.drills ?? '{}')
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {}
    const drills: Record<string, DrillState> = {}
    for (const [key, value] of Object.entries(parsed)) {
      if (typeof value !== 'object' || value === null) continue
      const { level, path } = value as { level?: unknown; path?: unknown }
      if (typeof path !== 'object' || path === null || Array.isArray(path)) continue
      drills[key] = { ...(typeof level === 'string' ? { level } : {}), path: path as Record<string, unknown> }
    }
    return drills
  } catch {
    return {}
  }
}

/** The URL query with these drills (a widget back at its top level is left out). */
export function writeDrills(query: RouteQuery, drills: Record<string, DrillState>): RouteQuery {
  const kept = Object.fromEntries(Object.entries(drills).filter(([, state]) =>
    state.level !== undefined || Object.keys(state.path).length > 0))
  const next = { ...query }
  if (Object.keys(kept).length === 0) delete next.drills
  else next.drills = JSON.stringify(kept)
  return next
}

/** Other params or filters start every drill over: the values clicked may not be there any more. */
export function withoutDrills(query: RouteQuery): RouteQuery {
  const { drills: _dropped, ...rest } = query
  return rest
}
