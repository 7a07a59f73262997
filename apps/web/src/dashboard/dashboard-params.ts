import type { DashboardParam, DashboardWidget } from '../api/types.js'
import type { RouteQuery } from '../routing/route.js'

/** The default that stands for the company's today (from /api/settings). */
export const TODAY = 'today'

/**
 * The parameter values a dashboard runs with: the URL's value when there is
 * one, else the declared default. Returns undefined while a default of
 * "today" cannot be resolved yet (settings still loading), so that no report
 * runs for a wrong date.
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
  for (const param of params ?? []) {
    const chosen = query[param.key]
    if (chosen !== undefined && chosen !== '') {
      values[param.key] = chosen
      continue
    }

    if (param.default === TODAY) {
      if (today === undefined) return undefined
      values[param.key] = today
    } else if (param.default !== undefined) {
      values[param.key] = param.default
    }
  }
  return values
}

/** A widget's report parameters: the dashboard's, then the widget's own fixed ones. */
export function widgetParams(
  widget: DashboardWidget,
  dashboard: Record<string, string>,
): Record<string, string> {
  return { ...dashboard, ...widget.params }
}
