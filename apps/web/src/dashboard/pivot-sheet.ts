import { localize, type Locale } from '@tessera/core'
import type { PivotResult, ReportColumn } from '../api/types.js'
import { choiceLabel } from '../charts/chart-values.js'
import { formatReportValue } from '../format/display-value.js'

type Row = Record<string, unknown>

/**
 * A pivot as the widget lays it out, as sheet columns and rows: a first
 * column of row labels, one column per column header, a total column, and
 * a last row of column totals, each cell the shown measure's exact figure.
 * The pivot widget and its Excel export both read it, so the file holds
 * what the screen shows.
 *
 * @example
 * const { columns, rows, totals } = pivotSheet(pivot, result.columns, measure, 'zh-CN', '合计')
 * xlsxWorkbook(title, columns, rows, 'zh-CN', { totals })
 */
export function pivotSheet(
  pivot: PivotResult,
  reportColumns: readonly ReportColumn[],
  measure: ReportColumn,
  locale: Locale,
  totalLabel: string,
): { columns: ReportColumn[]; rows: Row[]; totals: { label: string; values: Row } } {
  const byKey = new Map(reportColumns.map((column) => [column.key, column]))
  const label = (values: Record<string, unknown>, keys: readonly string[]) =>
    keys.map((key) => pivotHeader(values[key], byKey.get(key))).join(' / ')
  // Figures of the measure's own type and scale, under the header's text.
  const figure = (key: string, title: string): ReportColumn => ({
    ...measure, key, label: title, kind: 'measure',
  })
  const columns: ReportColumn[] = [
    {
      key: 'row',
      label: pivot.rowDimensions.map((key) => localize(byKey.get(key)?.label, locale)).join(' / '),
      kind: 'dimension',
      type: 'text',
    },
    ...pivot.headers.map((header, index) => figure(`c${index}`, label(header, pivot.columnDimensions))),
    figure('total', totalLabel),
  ]
  const line = (title: string, cells: ReadonlyArray<Row | null>, total: Row): Row => ({
    row: title,
    ...Object.fromEntries(cells.map((cell, index) => [`c${index}`, cell?.[measure.key] ?? null])),
    total: total[measure.key] ?? null,
  })
  const rows = pivot.rows.map((row) => line(label(row.key, pivot.rowDimensions), row.cells, row.total))
  // The column totals: the sheet's closing row, in bold as on screen.
  return { columns, rows, totals: { label: totalLabel, values: line(totalLabel, pivot.totals.cells, pivot.totals.total) } }
}

/** A row or column header: a choice's label, a formatted value, or — for none. */
export function pivotHeader(value: unknown, column: ReportColumn | undefined): string {
  if (value === null || value === undefined) return '—'
  return column ? choiceLabel(value, column) ?? formatReportValue(value, column.type) : String(value)
}
