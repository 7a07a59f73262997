import { Empty, Grid, Spin } from 'antd'
import { lazy, Suspense, useMemo } from 'react'
import type { DashboardWidget, ReportResult } from '../api/types.js'
import { clickedMeasure, clickedValues } from '../charts/chart-click.js'
import { buildChartOption, hasNothingToSlice, type ChartInput } from '../charts/chart-option.js'
import { isSliced, type ChartWidgetType } from '../charts/chart-types.js'
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
  /** The drill level shown, when the widget drills. */
  level?: string
  /** A click on a figure, with the dimension values it names. */
  onPick?(values: Record<string, unknown>, measure?: string): void
}

/**
 * A chart of any type. The plotted figures are also in the DOM: as exact
 * JSON in `data-rows` and as a visually hidden table. A chart of parts
 * whose values are all zero says "no data" instead of drawing equal slices.
 */
export function ChartWidget({ type, widget, result, title, level, onPick }: ChartWidgetProps) {
  const { locale, t } = useLocale()
  const choice = useMemo(() => chartColumns(widget, result, level), [widget, result, level])
  const narrow = Grid.useBreakpoint().sm === false

  const input = useMemo<ChartInput | undefined>(
    () => (choice.ok
      ? { type, result, locale, percent: widget.percent, max: widget.max, narrow, ...choice.columns }
      : undefined),
    [choice, type, result, locale, widget.percent, widget.max, narrow],
  )
  const option = useMemo(() => (input ? buildChartOption(input) : undefined), [input])

  if (!choice.ok || !input || !option) {
    const column = choice.ok ? '' : choice.missing
    return <WidgetProblem text={t('widget.missingColumn', { report: widget.report, column })} />
  }

  const { dimension, measures, series } = choice.columns
  const columns = [dimension, series, ...measures].filter((column) => column !== undefined)
  const empty = result.rows.length === 0 || (isSliced(type) && hasNothingToSlice(input))
  const pick = onPick
    ? (dataIndex: number, seriesIndex: number) => {
        const values = clickedValues(input, dataIndex, seriesIndex)
        if (values) onPick(values, clickedMeasure(input, seriesIndex))
      }
    : undefined

  return (
    <div className="chart-widget" data-rows={JSON.stringify(shownRows(result, columns))}>
      {empty ? (
        <Empty className="widget-no-data" description={t('widget.noData')} data-empty="true" />
      ) : (
        <Suspense fallback={<Spin className="chart-loading" />}>
          <EChartsView
            type={type}
            option={option}
            locale={locale}
            label={title}
            onPick={pick}
          />
        </Suspense>
      )}
      <ReportDataTable
        className="visually-hidden"
        caption={title}
        columns={columns}
        result={result}
        percent={widget.percent}
      />
    </div>
  )
}
