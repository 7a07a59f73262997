import { localize } from '@tessera/core'
import { Card, Skeleton } from 'antd'
import type { DashboardWidget } from '../api/types.js'
import { useReportRun } from '../api/queries.js'
import { isChartType, isWidgetType } from '../charts/chart-types.js'
import { useLocale } from '../locale-context.js'
import { ChartWidget } from './chart-widget.js'
import { widgetParams } from './dashboard-params.js'
import { KpiWidget } from './kpi-widget.js'
import { TableWidget } from './table-widget.js'
import { WidgetProblem } from './widget-problem.js'

interface WidgetViewProps {
  app: string
  widget: DashboardWidget
  /** The dashboard's parameter values, passed to the widget's report. */
  params: Record<string, string>
}

/** Where a widget stands, exposed as `data-state` for browser tests. */
export type WidgetState = 'loading' | 'ready' | 'error'

/**
 * One dashboard tile: runs its report and shows it as its type says.
 * Test hooks: the card carries `data-widget="<key>"`, `data-widget-type`
 * and `data-state`; see KpiWidget, TableWidget and ChartWidget for the
 * figures.
 */
export function WidgetView({ app, widget, params }: WidgetViewProps) {
  const { locale, t } = useLocale()
  const known = isWidgetType(widget.type)
  const run = useReportRun(app, widget.report, widgetParams(widget, params), known)
  const title = localize(widget.title, locale) || widget.key

  const result = run.data
  let state: WidgetState = 'loading'
  let body = <Skeleton active paragraph={{ rows: 2 }} title={false} />

  if (!known) {
    state = 'error'
    body = <WidgetProblem text={t('widget.unknownType', { type: widget.type })} />
  } else if (run.isError) {
    state = 'error'
    body = <WidgetProblem text={run.error.message} />
  } else if (result) {
    state = run.isPlaceholderData ? 'loading' : 'ready'
    if (widget.type === 'kpi') body = <KpiWidget widget={widget} result={result} title={title} />
    else if (widget.type === 'table') body = <TableWidget result={result} />
    else if (isChartType(widget.type)) {
      body = <ChartWidget type={widget.type} widget={widget} result={result} title={title} />
    }
  }

  return (
    <Card
      size="small"
      title={title}
      className={`widget widget-${known ? widget.type : 'unknown'}`}
      data-widget={widget.key}
      data-widget-type={widget.type}
      data-state={state}
      aria-busy={state === 'loading'}
    >
      {body}
    </Card>
  )
}
