import { localize } from '@tessera/core'
import { Alert } from 'antd'
import { useDashboard, useReportSummary } from '../api/queries.js'
import type { RecordPage } from '../api/types.js'
import { useLocale } from '../locale-context.js'
import { routeHref } from '../routing/route.js'

/** What every drill in a list's URL carries, whichever page it was clicked on. */
interface DrillCommon {
  params?: Record<string, unknown>
  path?: Record<string, unknown>
  measure?: string
}

/** The `drill` a list opened on a dashboard figure or a report's cell carries in its URL. */
type DrillQuery =
  | DrillCommon & {
    dashboard: string
    widget: string
    filters?: Record<string, unknown>
    /** The dashboard's widget drills when the list was opened, restored by the way back. */
    drills?: unknown
  }
  | DrillCommon & { report: string }

/** The drill in a list's URL, if it reads as one. */
export function readDrill(text: string | undefined): DrillQuery | undefined {
  if (!text) return undefined
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value !== 'object' || value === null) return undefined
    const drill = value as { dashboard?: unknown; widget?: unknown; report?: unknown }
    if (typeof drill.report === 'string') return value as DrillQuery
    return typeof drill.dashboard === 'string' && typeof drill.widget === 'string' ? value as DrillQuery : undefined
  } catch {
    return undefined
  }
}

/** The values clicked on the way down (「华东 · 31–60天」), without the indexes that travel beside labels. */
export function clickedValues(path: Record<string, unknown> | undefined): string[] {
  return Object.entries(path ?? {})
    .filter(([key]) => !key.endsWith('__index') && !key.endsWith('__others'))
    .map(([, value]) => (value === null || value === undefined ? '—' : String(value)))
}

/**
 * Above a list opened on a figure: where it came from — the dashboard and
 * widget, or the report; the values clicked, the measure and the dates —
 * and a way back to that page as it was.
 */
export function DrillOrigin(props: { app: string; drill: DrillQuery; page: RecordPage | undefined }) {
  return 'report' in props.drill
    ? <ReportOrigin {...props} drill={props.drill} />
    : <DashboardOrigin {...props} drill={props.drill} />
}

function DashboardOrigin({ app, drill, page }: { app: string; drill: Extract<DrillQuery, { dashboard: string }>; page: RecordPage | undefined }) {
  const { locale, t } = useLocale()
  const board = useDashboard(app, drill.dashboard)
  const widget = board.data?.widgets.find((one) => one.key === drill.widget)
  const filters = drill.filters && Object.keys(drill.filters).length > 0 ? JSON.stringify(drill.filters) : undefined
  const back = routeHref({
    name: 'dashboard',
    app,
    key: drill.dashboard,
    query: {
      ...textParams(drill.params),
      ...(filters ? { filters } : {}),
      ...(typeof drill.drills === 'object' && drill.drills !== null ? { drills: JSON.stringify(drill.drills) } : {}),
    },
  })
  const where = [
    board.data ? localize(board.data.label, locale) : drill.dashboard,
    widget ? localize(widget.title, locale) || widget.key : drill.widget,
  ]
  return <OriginNote origin={drill.widget} where={where} drill={drill} page={page} back={back} backText={t('list.backToDashboard')} action="back-to-dashboard" />
}

function ReportOrigin({ app, drill, page }: { app: string; drill: Extract<DrillQuery, { report: string }>; page: RecordPage | undefined }) {
  const { locale, t } = useLocale()
  const summary = useReportSummary(app, drill.report)
  // Back with the params as the report took them (defaults filled in), once the list says.
  const taken = page?.drill?.params
  const query = taken ? Object.fromEntries(taken.map((param) => [param.key, param.value])) : textParams(drill.params)
  const back = routeHref({ name: 'report', app, key: drill.report, query })
  const where = [summary.data ? localize(summary.data.label, locale) : drill.report]
  return <OriginNote origin={drill.report} where={where} drill={drill} page={page} back={back} backText={t('list.backToReport')} action="back-to-report" />
}

/** Params as a URL holds them: texts and numbers (anything else a hand-made link put there is left out). */
function textParams(params: Record<string, unknown> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(params ?? {})
    .filter(([, value]) => typeof value === 'string' || typeof value === 'number')
    .map(([key, value]) => [key, String(value)]))
}

function OriginNote({ origin, where, drill, page, back, backText, action }: {
  origin: string; where: string[]; drill: DrillCommon; page: RecordPage | undefined; back: string; backText: string; action: string
}) {
  const { locale, t } = useLocale()
  // A previous period's figure (`collected__previous`) is its measure's, said as 本期回款（上期）.
  const previous = drill.measure?.endsWith('__previous') === true
  const base = previous ? drill.measure?.slice(0, -'__previous'.length) : drill.measure
  const measure = page?.drill?.columns.find((column) => column.key === base)
  const measureText = measure && (previous
    ? t('list.drillPrevious', { measure: localize(measure.label, locale) })
    : localize(measure.label, locale))
  // A KPI card titled as its measure (逾期金额) is said once, not 逾期金额 · 电子 · 逾期金额.
  const parts = [
    ...where,
    // As the server reads the path (a caption a link carries is not believed), until it answers the path's own values.
    ...(page?.drill?.caption ?? clickedValues(drill.path)),
    ...(measureText && !where.includes(measureText) ? [measureText] : []),
  ]
  // The dates the figure was taken at, as its report took them (a period report's period, a
  // widget kept to its own dates its own); until the list answers, the as-of date clicked with.
  const taken = page?.drill?.params
  const asOf = typeof drill.params?.asOf === 'string' ? drill.params.asOf : undefined
  const when = taken
    ? taken.map((param) => param.type === 'date'
      ? t('list.drillAsOf', { date: param.value })
      : `${localize(param.label, locale)} ${param.value.replace('..', ' – ')}`)
    : asOf ? [t('list.drillAsOf', { date: asOf })] : []
  // The dashboard's filters that narrowed the figure (区域 华东): the list holds those records only.
  const filtered = (page?.drill?.filters ?? []).map((filter) =>
    `${localize(filter.label, locale)} ${filter.values.join(t('widget.listSeparator'))}`)
  return (
    <Alert
      type="info"
      className="drill-origin"
      data-drill-origin={origin}
      message={
        <span>
          {t('list.drillFrom', { where: parts.join(' · ') })}
          {when.map((text) => <span key={text} data-drill-when=""> · {text}</span>)}
          {filtered.map((text) => <span key={text} data-drill-filter=""> · {text}</span>)}
          {' '}<a href={back} data-action={action}>{backText}</a>
        </span>
      }
    />
  )
}
