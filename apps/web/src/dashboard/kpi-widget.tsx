import type { CSSProperties } from 'react'
import { Dec, localize } from '@tessera/core'
import type { DashboardWidget, ReportColumn, ReportResult } from '../api/types.js'
import { valueText } from '../charts/chart-values.js'
import { useLocale } from '../locale-context.js'
import { WidgetProblem } from './widget-problem.js'
import { kpiColumn } from './widget-columns.js'
import { pickOf } from '../charts/chart-click.js'
import { pressable } from './pressable.js'

interface KpiWidgetProps {
  widget: DashboardWidget
  result: ReportResult
  /** The card's title; the measure's own label shows only when it says more. */
  title: string
  /** A click on the figure: the records behind it (its row's dimension values, its measure). */
  onPick?(clicked: Record<string, unknown>, measure?: string): void
}

/** The column holding a compared measure's change rate, if the report compares it. */
function changeColumn(result: ReportResult, measure: ReportColumn): ReportColumn | undefined {
  return result.columns.find((column) => column.of === measure.key && column.role === 'change_rate')
}

/**
 * One measure of the report's first row, large; `data-value` holds the
 * exact figure. A measure compared with the previous period also shows its
 * change: an arrow and the rate ("▲ 12.50%") — for a rate, the difference
 * in percentage points ("▲ 2.76 个百分点") — and the previous value in the
 * tooltip; `data-change` holds the exact rate, or difference. The change is green when it
 * goes the way the widget's `better` says is good, red otherwise.
 */
export function KpiWidget({ widget, result, title, onPick }: KpiWidgetProps) {
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
  const row = result.rows[0]
  const raw = row?.[column.key]
  const empty = raw === null || raw === undefined
  // A ratio reads as a percentage, as on its report's page, whether or not the widget says percent.
  const percent = widget.percent === true || column.ratio === true
  const text = empty ? '—' : valueText(raw, column, percent)
  const caption = localize(column.label, locale)
  // The figure opens the records that make it up, as a bar or a table row does.
  const picks = row ? result.columns.filter((one) => one.kind === 'dimension').map((one) => pickOf(row, one)) : []
  const clickable = onPick !== undefined && row !== undefined && !empty && picks.every((pick) => pick !== undefined)
  const press = clickable
    ? { ...pressable(() => onPick(Object.assign({}, ...picks), column.key)), role: 'button', 'data-clickable': 'true' }
    : {}
  return (
    <div className={clickable ? 'kpi kpi-clickable' : 'kpi'} {...press}>
      {/* The caption sits beside a short value, below a long one. */}
      <div className="kpi-head">
        {/* Its length sizes the digits (see styles.css), so that a long amount shrinks rather than loses digits. */}
        <div className="kpi-value" data-value={empty ? '' : String(raw)} title={text}
          style={{ '--kpi-chars': Math.max(text.length, 8) } as CSSProperties}>
          {text}
        </div>
        {caption !== title && <div className="kpi-caption">{caption}</div>}
      </div>
      <KpiChange widget={widget} result={result} measure={column} />
    </div>
  )
}

function KpiChange({ widget, result, measure }: {
  widget: DashboardWidget
  result: ReportResult
  measure: ReportColumn
}) {
  const { t } = useLocale()
  const rate = changeColumn(result, measure)
  if (!rate) return null

  const row = result.rows[0]
  // A rate's change is told in percentage points (6.02 % against 3.26 % is
  // ▲ 2.76 个百分点), not as a rate of a rate, which reads like points.
  const inPoints = measure.ratio === true || widget.percent === true
  const previous = row?.[`${measure.key}__previous`]
  // The difference of the two rates as shown (rounded), so that 5.35 % against 3.83 % reads 1.52.
  const current = row?.[measure.key]
  const shownPoints = inPoints && current !== null && current !== undefined && previous !== null && previous !== undefined
    ? new Dec(String(current)).toDecimalPlaces(4).minus(new Dec(String(previous)).toDecimalPlaces(4)).toFixed(4)
    : undefined
  // Nothing before and nothing now has no rate of change (a division by zero), but no change all the same.
  const difference = row?.[`${measure.key}__change`]
  const unchanged = (difference === 0 || (typeof difference === 'string' && Number(difference) === 0))
  const value = inPoints ? shownPoints : row?.[rate.key] ?? (unchanged ? difference : undefined)
  const number = typeof value === 'string' || typeof value === 'number' ? Number(value) : NaN
  const direction = Number.isNaN(number) || number === 0 ? 'flat' : number > 0 ? 'up' : 'down'
  // No change is said in words: "– 0.00 个百分点" read as a minus sign.
  const arrow = direction === 'up' ? '▲ ' : direction === 'down' ? '▼ ' : value === null || value === undefined ? '– ' : ''
  const good = direction === 'flat' ? 'flat' : (direction === 'up') === (widget.better === 'higher') ? 'good' : 'bad'
  const shown = value === null || value === undefined ? '—'
    : direction === 'flat' ? t('widget.flat')
    : inPoints ? t('widget.points', { points: new Dec(String(value)).abs().times(100).toFixed(2) })
    // The arrow tells the sign: ▼ 26.35 %, not ▼ -26.35 %.
    : valueText(Number.isNaN(number) ? value : new Dec(String(value)).abs().toFixed(), rate, true)
  const before = `${t('widget.previous')} ${valueText(previous, measure, widget.percent === true || measure.ratio === true)}`
  return (
    <div className={`kpi-change kpi-change-${direction} kpi-change-${good}`} data-change={value ?? ''}
      data-news={good} title={before}>
      {arrow}{shown}
      <span className="kpi-previous">{before}</span>
    </div>
  )
}
