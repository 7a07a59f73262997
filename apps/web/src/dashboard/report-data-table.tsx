import { localize } from '@tessera/core'
import type { ReportColumn, ReportResult } from '../api/types.js'
import { formatReportValue } from '../format/display-value.js'
import { choiceLabel, valueText } from '../charts/chart-values.js'
import { useLocale } from '../locale-context.js'

interface ReportDataTableProps {
  caption: string
  columns: readonly ReportColumn[]
  result: ReportResult
  className?: string
  /** Measures read as percentages, as the chart shows them (a widget in percent). */
  percent?: boolean
}

/**
 * The figures of a chart as a plain table: read by screen readers and
 * browser tests, hidden from sight by its class.
 */
export function ReportDataTable({ caption, columns, result, className, percent }: ReportDataTableProps) {
  const { locale } = useLocale()
  return (
    <table className={className}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.key} scope="col">
              {localize(column.label, locale)}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {result.rows.map((row, index) => (
          <tr key={index}>
            {columns.map((column) => (
              <td key={column.key} data-column={column.key}>
                {column.kind === 'measure' && (percent || column.points)
                  ? valueText(row[column.key], column, !column.points, locale)
                  : choiceLabel(row[column.key], column) ?? formatReportValue(row[column.key], column.type)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  )
}
