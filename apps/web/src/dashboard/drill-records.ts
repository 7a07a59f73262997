import type { Locale } from '@tessera/core'
import type { ReportColumn } from '../api/types.js'
import type { Route } from '../routing/route.js'

/** Where a clicked figure was shown: a dashboard's widget, or a report on its own page. */
export type FigureSource =
  | { dashboard: string; widget: string; filters: object }
  | { report: string }

/**
 * The record list behind a clicked figure: a form's list (the report's
 * source, or one of the forms of a union, see drill-opener.tsx), which
 * runs the figure's drill on the server for every page (however many
 * records) and shows each record's share of the figure beside its fields:
 *
 *   #/apps/crm/forms/invoice?drill={"dashboard":"receivables","widget":"aging",…}
 *   #/apps/crm/forms/invoice?drill={"report":"aging","params":{…},"path":{…}}
 */
export function drillListRoute(app: string, form: string, drill: DrillListRequest): Route {
  return { name: 'list', app, form, query: { drill: JSON.stringify(drillShape(drill)) } }
}

/** A clicked figure: where it was shown, its params and path, and what the list shows of it. */
export type DrillListRequest = FigureSource & {
  params: object; path: object; measure?: string
  /** Where the dashboard's widgets were drilled to: the list's way back restores them. */
  drills?: Readonly<Record<string, unknown>>
  /** The language the figure was shown in: its path's values (期初余额) are matched in it, whatever the list's. */
  locale?: Locale
}

/** The `drill` query of a list (and of GET …/drill/forms) for a clicked figure. */
export function drillShape(drill: DrillListRequest): Record<string, unknown> {
  const { params, path, measure, drills, locale } = drill
  const source = 'report' in drill
    ? { report: drill.report, params }
    : { dashboard: drill.dashboard, widget: drill.widget, params, filters: drill.filters }
  return {
    ...source, path,
    ...(measure === undefined ? {} : { measure }),
    ...(locale === undefined ? {} : { locale }),
    ...(drills && Object.keys(drills).length > 0 ? { drills } : {}),
  }
}

/**
 * The values of a drill path as the chart labelled them: a bucket's label
 * for its index, the "others" row's label, a choice's label for its code,
 * other values as they are.
 */
export function pathCaption(path: Record<string, unknown>, columns: readonly ReportColumn[]): string[] {
  const byKey = new Map(columns.map((column) => [column.key, column]))
  const shown: string[] = []
  for (const [key, value] of Object.entries(path)) {
    const base = key.replace(/__(index|others)$/, '')
    const column = byKey.get(base)
    if (key.endsWith('__others')) {
      if (value === true) shown.push(column?.others ?? '…')
    } else if (key.endsWith('__index')) {
      const label = typeof value === 'number' ? column?.buckets?.[value] : undefined
      if (label !== undefined && !Object.hasOwn(path, base)) shown.push(label)
    } else {
      // An empty value is shown as the table shows it, not as nothing between two dots.
      const text = value === null || value === undefined || value === '' ? '—' : String(value)
      shown.push(column?.choices?.[text] ?? text)
    }
  }
  return shown
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
