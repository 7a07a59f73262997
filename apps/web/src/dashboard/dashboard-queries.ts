import type { Locale } from '@tessera/core'
import { type QueryClient, useQuery } from '@tanstack/react-query'
import { apiPath, apiRequest, type QueryValue } from '../api/api-client.js'
import type { DashboardSpec, ReportResult } from '../api/types.js'
import { useLocale } from '../locale-context.js'

/**
 * What every widget of a dashboard runs with: the params (asOf, period as
 * "from..to") and the global filters' values.
 */
export interface DashboardQuery {
  params: Record<string, string>
  filters: Record<string, string[]>
}

/** Where a drill widget stands: the level shown and the values clicked above it. */
export interface DrillState {
  level?: string
  path: Record<string, unknown>
}

/** The query string of a widget request; see apps/server/src/routes/report-query.ts. */
export function widgetQueryString(
  query: DashboardQuery,
  drill: DrillState = { path: {} },
): Record<string, QueryValue> {
  const filters = Object.keys(query.filters).length > 0 ? JSON.stringify(query.filters) : undefined
  const path = Object.keys(drill.path).length > 0 ? JSON.stringify(drill.path) : undefined
  return { ...query.params, filters, path, level: drill.level }
}

/** A widget's figures, reloaded every `refreshSeconds` when the dashboard asks. */
export function useWidgetRun(
  app: string,
  dashboard: string,
  widget: string,
  query: DashboardQuery,
  drill: DrillState,
  options: { enabled: boolean; refreshSeconds?: number },
) {
  const { locale } = useLocale()
  const path = apiPath('apps', app, 'dashboards', dashboard, 'widgets', widget, 'run')
  return useQuery({
    queryKey: [locale, 'widget-run', app, dashboard, widget, query, drill],
    queryFn: ({ signal }) =>
      apiRequest<ReportResult>({ path, query: widgetQueryString(query, drill), locale, signal }),
    placeholderData: (previous) => previous,
    enabled: options.enabled,
    refetchInterval: options.refreshSeconds ? options.refreshSeconds * 1000 : false,
  })
}

/**
 * A select filter's choices whose code or label contains `q`: codes to
 * send, labels to show. `others` are the other filters' values: the server
 * narrows the choices by those read from the same form (区域 set, 客户
 * offers that region's customers).
 */
export function useFilterOptions(
  app: string,
  dashboard: string,
  filter: string,
  q: string,
  others: Record<string, string[]> = {},
) {
  const { locale } = useLocale()
  const set = Object.fromEntries(Object.entries(others).filter(([key, values]) => key !== filter && values.length > 0))
  const filters = Object.keys(set).length > 0 ? JSON.stringify(set) : undefined
  return useQuery({
    queryKey: [locale, 'filter-options', app, dashboard, filter, q, filters ?? ''],
    queryFn: ({ signal }) => apiRequest<FilterChoice[]>({
      path: apiPath('apps', app, 'dashboards', dashboard, 'filters', filter, 'options'),
      query: { q, filters },
      locale,
      signal,
    }),
    placeholderData: (previous) => previous,
    staleTime: 60_000,
  })
}

/** One choice of a select filter. */
export interface FilterChoice {
  value: string
  label: string
}

/**
 * The labels of a filter's codes among every list of its choices fetched
 * so far (whatever was searched or narrowed by), for captions of what a
 * figure was filtered by.
 */
export function knownFilterLabels(client: QueryClient, locale: Locale, app: string, dashboard: string, filter: string) {
  const labels = new Map<string, string>()
  for (const [, choices] of client.getQueriesData<FilterChoice[]>({ queryKey: [locale, 'filter-options', app, dashboard, filter] })) {
    for (const choice of choices ?? []) labels.set(choice.value, choice.label)
  }
  return labels
}

/** Replaces a dashboard (administrators); the server checks it first. */
export function saveDashboardSpec(app: string, spec: DashboardSpec, locale: Locale) {
  return apiRequest<DashboardSpec>({
    method: 'PUT',
    path: apiPath('apps', app, 'dashboards', spec.key),
    body: spec,
    locale,
  })
}

/**
 * Saves a dashboard with the reports of its new widgets in one go
 * (administrators): checked together, and nothing is saved if any is refused.
 */
export function saveDashboardWithReports(app: string, spec: DashboardSpec, reports: readonly unknown[], locale: Locale) {
  return apiRequest<{ dashboard: DashboardSpec }>({
    method: 'PUT',
    path: apiPath('apps', app, 'dashboards', spec.key, 'with-reports'),
    body: { dashboard: spec, reports },
    locale,
  })
}
