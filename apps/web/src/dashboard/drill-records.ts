import type { DrillResult } from '../api/types.js'
import type { Route } from '../routing/route.js'

/**
 * The record list behind a figure: the source form's list filtered to
 * exactly the drilled records' ids, as a json-logic rule the list page
 * (and the records API) understand:
 *
 *   #/apps/crm/forms/invoice?filter={"in":[{"var":"id"},[3,8,13]]}
 *
 * An empty drill keeps an empty list rather than every record.
 */
export function recordListRoute(app: string, drill: DrillResult): Route {
  const ids = drill.rows.map((row) => Number(row.id)).filter(Number.isSafeInteger)
  const rule = ids.length > 0 ? { in: [{ var: 'id' }, ids] } : { '==': [{ var: 'id' }, 0] }
  return { name: 'list', app, form: drill.form, query: { filter: JSON.stringify(rule) } }
}

/**
 * The record list that runs a widget's drill on the server, for more
 * records than a link can name:
 *
 *   #/apps/crm/forms/invoice?drill={"dashboard":"receivables","widget":"aging",…}
 */
export function drillListRoute(
  app: string,
  form: string,
  drill: { dashboard: string; widget: string; params: object; filters: object; path: object; measure?: string },
): Route {
  const { dashboard, widget, params, filters, path, measure } = drill
  const shape = { dashboard, widget, params, filters, path, ...(measure === undefined ? {} : { measure }) }
  return { name: 'list', app, form, query: { drill: JSON.stringify(shape) } }
}

/** Where a drill widget goes from a click: one level down, or to the records. */
export type DrillStep =
  | { kind: 'level'; level: string; path: Record<string, unknown> }
  | { kind: 'records'; path: Record<string, unknown> }

/**
 * The next step of a click on a figure. A widget with `drill` levels goes
 * down one level with the clicked value added to the path; at the last
 * level (or without levels) the click opens the records behind the figure.
 */
export function nextDrillStep(
  drill: readonly string[] | undefined,
  current: { level?: string; path: Record<string, unknown> },
  clicked: Record<string, unknown>,
): DrillStep {
  const path = { ...current.path, ...clicked }
  if (!drill || drill.length === 0) return { kind: 'records', path }
  const index = drill.indexOf(current.level ?? drill[0])
  const next = drill[index + 1]
  return next === undefined ? { kind: 'records', path } : { kind: 'level', level: next, path }
}
