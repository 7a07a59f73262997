import type { Locale } from '@tessera/core'
import type { ReportColumn } from '../api/types.js'
import { formatDecimalText } from '../format/decimal-text.js'
import { formatReportValue } from '../format/display-value.js'
import { fractionToPercent } from '../format/percent-text.js'

/**
 * Bar and pie geometry needs numbers, so the plotted heights and angles
 * come from Number(). Every figure shown as text (tooltips, labels, the
 * accessible table beside the chart) is formatted from the exact string.
 */
export function toPlotNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value !== 'string' || value.trim() === '') return null
  const number = Number(value)
  return Number.isFinite(number) ? number : null
}

export function categoryLabel(value: unknown, column: ReportColumn): string {
  if (value === null || value === undefined) return '—'
  return choiceLabel(value, column) ?? formatReportValue(value, column.type)
}

/** A select field's stored code shown as its option's label; undefined for anything else. */
export function choiceLabel(value: unknown, column: ReportColumn): string | undefined {
  if (!column.choices || typeof value !== 'string') return undefined
  return Object.hasOwn(column.choices, value) ? column.choices[value] : undefined
}

/** A measure's value as text, exactly: "1,234.50", or "23.23%" for a percent widget. */
export function valueText(value: unknown, column: ReportColumn, percent?: boolean, locale: Locale = 'zh-CN'): string {
  if (value === null || value === undefined || value === '') return '—'
  const chosen = choiceLabel(value, column)
  if (chosen !== undefined) return chosen
  // A rate's change: percentage points.
  if (column.points) return `${formatDecimalText(fractionToPercent(String(value), 2))}${locale === 'en' ? ' pp' : ' 个百分点'}`
  if (!percent) return formatReportValue(value, column.type)
  return `${formatDecimalText(fractionToPercent(String(value), 2))}%`
}

