import { localize } from '@tessera/core'
import type { DashboardWidget, ReportResult } from '../api/types.js'
import { formatReportValue } from '../format/display-value.js'
import { useLocale } from '../locale-context.js'
import { WidgetProblem } from './widget-problem.js'
import { kpiColumn } from './widget-columns.js'

interface KpiWidgetProps {
  widget: DashboardWidget
  result: ReportResult
  /** The card's title; the measure's own label shows only when it says more. */
  title: string
}

/** One measure of the report's first row, large; `data-value` holds the exact figure. */
export function KpiWidget({ widget, result, title }: KpiWidgetProps) {
  const { locale, t } = useLocale()
  const choice = kpiColumn(widget, result)
  if (!choice.ok) {
    return (
      <WidgetProblem
        text={t('widget.missingColumn', { report: widget.report, column: choice.missing })}
      />
    )
  }

  const column = choice.columns
  const raw = result.rows[0]?.[column.key]
  const empty = raw === null || raw === undefined
  const text = empty ? '—' : formatReportValue(raw, column.type)
  const caption = localize(column.label, locale)
  return (
    <div className="kpi">
      <div className="kpi-value" data-value={empty ? '' : String(raw)} title={text}>
        {text}
      </div>
      {caption !== title && <div className="kpi-caption">{caption}</div>}
    </div>
  )
}
