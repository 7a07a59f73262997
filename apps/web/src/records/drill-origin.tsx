import { localize } from '@tessera/core'
import { Alert } from 'antd'
import { useDashboard } from '../api/queries.js'
import type { RecordPage } from '../api/types.js'
import { useLocale } from '../locale-context.js'
import { routeHref } from '../routing/route.js'

/** The `drill` a list opened on a dashboard figure carries in its URL. */
interface DrillQuery {
  dashboard: string
  widget: string
  params?: Record<string, unknown>
  filters?: Record<string, unknown>
  path?: Record<string, unknown>
  measure?: string
  /** The clicked values as shown (set by the dashboard); else read from the path. */
  caption?: unknown
  /** The dashboard's widget drills when the list was opened, restored by the way back. */
  drills?: unknown
}

/** The drill in a list's URL, if it reads as one. */
export function readDrill(text: string | undefined): DrillQuery | undefined {
  if (!text) return undefined
  try {
    const value: unknown = JSON.parse(text)
    if (typeof value !== 'object' || value === null) return undefined
    const drill = value as DrillQuery
    return typeof drill.dashboard === 'string' && typeof drill.widget === 'string' ? drill : undefined
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
 * Above a list opened on a dashboard figure: where it came from — the
 * dashboard, the widget, the values clicked, the measure and the as-of
 * date — and a way back to that dashboard as it was.
 */
export function DrillOrigin({ app, drill, page }: { app: string; drill: DrillQuery; page: RecordPage | undefined }) {
  const { locale, t } = useLocale()
  const board = useDashboard(app, drill.dashboard)
  const widget = board.data?.widgets.find((one) => one.key === drill.widget)
  const measure = page?.drill?.columns.find((column) => column.key === drill.measure)
  const parts = [
    board.data ? localize(board.data.label, locale) : drill.dashboard,
    widget ? localize(widget.title, locale) || widget.key : drill.widget,
    ...(Array.isArray(drill.caption) ? drill.caption.map(String) : clickedValues(drill.path)),
    ...(measure ? [localize(measure.label, locale)] : []),
  ]
  // The dates the figure was taken at, as its report took them (a period report's period, a
  // widget kept to its own dates its own); until the list answers, the dashboard's as-of date.
  const taken = page?.drill?.params
  const asOf = typeof drill.params?.asOf === 'string' ? drill.params.asOf : undefined
  const when = taken
    ? taken.map((param) => param.type === 'date'
      ? t('list.drillAsOf', { date: param.value })
      : `${localize(param.label, locale)} ${param.value.replace('..', ' – ')}`)
    : asOf ? [t('list.drillAsOf', { date: asOf })] : []
  const filters = drill.filters && Object.keys(drill.filters).length > 0 ? JSON.stringify(drill.filters) : undefined
  const back = routeHref({
    name: 'dashboard',
    app,
    key: drill.dashboard,
    query: {
      ...Object.fromEntries(Object.entries(drill.params ?? {}).map(([key, value]) => [key, String(value)])),
      ...(filters ? { filters } : {}),
      ...(typeof drill.drills === 'object' && drill.drills !== null ? { drills: JSON.stringify(drill.drills) } : {}),
    },
  })
  return (
    <Alert
      type="info"
      className="drill-origin"
      data-drill-origin={drill.widget}
      message={
        <span>
          {t('list.drillFrom', { where: parts.join(' · ') })}
          {when.map((text) => <span key={text} data-drill-when=""> · {text}</span>)}
          {' '}<a href={back} data-action="back-to-dashboard">{t('list.backToDashboard')}</a>
        </span>
      }
    />
  )
}
