import type { Route } from '../routing/route.js'

/**
 * The record list behind a clicked figure: the source form's list, which
 * runs the widget's drill on the server for every page (however many
 * records) and shows each record's share of the figure beside its fields:
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
