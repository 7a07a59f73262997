import { Spin } from 'antd'
import { lazy, Suspense, useMemo } from 'react'
import type { DashboardWidget, ReportResult } from '../api/types.js'
import { buildChartOption } from '../charts/chart-option.js'
import type { ChartWidgetType } from '../charts/chart-types.js'
import { useLocale } from '../locale-context.js'
import { ReportDataTable } from './report-data-table.js'
import { chartColumns, shownRows } from './widget-columns.js'
import { WidgetProblem } from './widget-problem.js'

const EChartsView = lazy(() => import('../charts/echarts-view.js'))

interface ChartWidgetProps {
  type: ChartWidgetType
  widget: DashboardWidget
  result: ReportResult
  title: string
}

/**
 * A bar, line or pie chart. The plotted figures are also in the DOM: as
 * exact JSON in `data-rows` and as a visually hidden table.
 */
export function ChartWidget({ type, widget, result, title }: ChartWidgetProps) {
  const { locale, t } = useLocale()
  const choice = useMemo(() => chartColumns(widget, result), [widget, result])

  const option = useMemo(
    () => (choice.ok ? buildChartOption({ type, result, locale, ...choice.columns }) : undefined),
    [choice, type, result, locale],
  )

  if (!choice.ok || !option) {
    const column = choice.ok ? '' : choice.missing
    return <WidgetProblem text={t('widget.missingColumn', { report: widget.report, column })} />
  }

  const columns = [choice.columns.dimension, ...choice.columns.measures]
  return (
    <div className="chart-widget" data-rows={JSON.stringify(shownRows(result, columns))}>
      <Suspense fallback={<Spin className="chart-loading" />}>
        <EChartsView type={type} option={option} locale={locale} label={title} />
      </Suspense>
      <ReportDataTable
        className="visually-hidden"
        caption={title}
        columns={columns}
        result={result}
      />
    </div>
  )
}
