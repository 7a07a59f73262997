import type { DashboardWidget, ReportResult } from '../api/types.js'
import { isChartType } from '../charts/chart-types.js'
import { ChartWidget } from './chart-widget.js'
import { KpiWidget } from './kpi-widget.js'
import { PivotWidget } from './pivot-widget.js'
import { TableWidget } from './table-widget.js'
import { WidgetProblem } from './widget-problem.js'

interface WidgetBodyProps {
  widget: DashboardWidget
  result: ReportResult
  title: string
  /** The drill level shown. */
  level?: string
  /** A click on a figure: the dimension values it names, and the measure clicked where several show. */
  onPick?(clicked: Record<string, unknown>, measure?: string): void
}

/** A widget's figures drawn as its type says (the card around them is WidgetView's). */
export function WidgetBody({ widget, result, title, level, onPick }: WidgetBodyProps) {
  if (widget.type === 'kpi') return <KpiWidget widget={widget} result={result} title={title} onPick={onPick} />
  if (widget.type === 'table') {
    return <TableWidget result={result} percent={widget.percent} onPick={onPick} />
  }
  if (widget.type === 'pivot') {
    return (
      <PivotWidget result={result} report={widget.report} measure={widget.measure ?? widget.measures?.[0]}
        percent={widget.percent} onPick={onPick} />
    )
  }
  if (isChartType(widget.type)) {
    return (
      <ChartWidget type={widget.type} widget={widget} result={result} title={title}
        level={level} onPick={onPick} />
    )
  }
  return <WidgetProblem text={widget.type} />
}
