import type { Locale, LocalizedText, RecordData } from '@tessera/core'
import { useQuery } from '@tanstack/react-query'
import { useLocale } from '../locale-context.js'
import { apiPath, apiRequest, type QueryValue } from './api-client.js'
import type {
  AppDetail,
  DashboardParam,
  DashboardSpec,
  FormResponse,
  LinkOption,
  NamedItem,
  RecordPage,
  ReportResult,
  Settings,
} from './types.js'

/**
 * One hook per API read. Every key starts with the locale because the
 * server localizes messages (and may localize labels) by Accept-Language,
 * so switching the language must not show answers cached in the other one.
 */
export const queryKeys = {
  records: (app: string, form: string) => ['records', app, form] as const,
  record: (app: string, form: string, id: number) => ['records', app, form, 'id', id] as const,
}

function get<T>(locale: Locale, path: string, query?: Record<string, QueryValue>) {
  return ({ signal }: { signal: AbortSignal }) =>
    apiRequest<T>({ path, query, locale, signal })
}

/** `fresh`: read again whenever the page mounts (the close may have moved since). */
export function useSettings(options: { fresh?: boolean } = {}) {
  const { locale } = useLocale()
  return useQuery({
    queryKey: [locale, 'settings'],
    queryFn: get<Settings>(locale, '/settings'),
    staleTime: 60_000,
    ...(options.fresh ? { refetchOnMount: 'always' as const } : {}),
  })
}

export function useApps() {
  const { locale } = useLocale()
  return useQuery({ queryKey: [locale, 'apps'], queryFn: get<NamedItem[]>(locale, '/apps') })
}

export function useApp(app: string | undefined) {
  const { locale } = useLocale()
  return useQuery({
    queryKey: [locale, 'app', app],
    queryFn: get<AppDetail>(locale, apiPath('apps', app ?? '')),
    enabled: app !== undefined,
  })
}

export function useFormDefinition(app: string, form: string, enabled = true) {
  const { locale } = useLocale()
  return useQuery({
    queryKey: [locale, 'form', app, form],
    queryFn: get<FormResponse>(locale, apiPath('apps', app, 'forms', form)),
    enabled,
  })
}

export interface RecordListQuery {
  /** Used when neither cursor is given (an old link's page number). */
  page?: number
  pageSize: number
  /** Cursors from a page's `next` / `prev`. */
  after?: string
  before?: string
  sort?: string
  q?: string
  /** A json-logic rule over field keys, as JSON text. */
  filter?: string
  /** The records behind a dashboard figure, as JSON { dashboard, widget, params, filters, path }. */
  drill?: string
}

export function useRecordPage(app: string, form: string, list: RecordListQuery) {
  const { locale } = useLocale()
  const path = apiPath('apps', app, 'forms', form, 'records')
  return useQuery({
    queryKey: [locale, ...queryKeys.records(app, form), list],
    queryFn: get<RecordPage>(locale, path, { ...list }),
    placeholderData: (previous) => previous,
  })
}

export function useRecord(app: string, form: string, id: number | undefined) {
  const { locale } = useLocale()
  return useQuery({
    queryKey: [locale, ...queryKeys.record(app, form, id ?? 0)],
    queryFn: get<RecordData>(locale, apiPath('apps', app, 'forms', form, 'records', id ?? 0)),
    enabled: id !== undefined,
  })
}

/** How many records a link picker lists at once. */
export const LINK_OPTIONS_LIMIT = 20

/**
 * Records of `form` a link picker offers. With `bounds` (the link being
 * picked, `allocation.invoice`, and the values of the record being filled
 * in that its form's agreements read) the server offers only the records
 * those agreements would let it point at.
 */
export function useLinkOptions(
  app: string,
  form: string,
  q: string,
  enabled: boolean,
  bounds?: { for: string; values: Record<string, unknown> },
) {
  const { locale } = useLocale()
  const values = bounds && JSON.stringify(bounds.values)
  return useQuery({
    queryKey: [locale, 'options', app, form, q, bounds?.for ?? '', values ?? ''],
    queryFn: get<LinkOption[]>(locale, apiPath('apps', app, 'forms', form, 'options'), {
      q,
      limit: LINK_OPTIONS_LIMIT,
      ...(bounds && values ? { for: bounds.for, values } : {}),
    }),
    enabled,
    staleTime: 30_000,
  })
}

export function useDashboard(app: string, key: string) {
  const { locale } = useLocale()
  return useQuery({
    queryKey: [locale, 'dashboard', app, key],
    queryFn: get<DashboardSpec>(locale, apiPath('apps', app, 'dashboards', key)),
  })
}

/** GET /api/apps/:app/reports/:key: what a report's page needs to ask for its params. */
export interface ReportSummary {
  key: string
  label: LocalizedText
  description?: LocalizedText
  /** The form whose records are its rows (none for a union of forms: GET …/drill/forms says which hold a figure's). */
  source?: string
  params: DashboardParam[]
  /** The report a row opens instead of its records (with params from the row or the page), when the reader may run it. */
  drillTo?: { report: string; params: Record<string, { dimension: string } | { param: string } | string> }
}

export function useReportSummary(app: string, key: string) {
  const { locale } = useLocale()
  return useQuery({
    queryKey: [locale, 'report', app, key],
    queryFn: get<ReportSummary>(locale, apiPath('apps', app, 'reports', key)),
  })
}

/** Widgets that show the same report with the same parameters share one request. */
export function useReportRun(
  app: string,
  report: string,
  params: Record<string, string>,
  enabled = true,
) {
  const { locale } = useLocale()
  return useQuery({
    queryKey: [locale, 'report-run', app, report, params],
    queryFn: get<ReportResult>(locale, apiPath('apps', app, 'reports', report, 'run'), params),
    placeholderData: (previous) => previous,
    enabled,
  })
}
