import { localize, type Locale, type RecordData } from '@tessera/core'
import type { TableColumnsType } from 'antd'
import type { HTMLAttributes } from 'react'
import type { RecordPage } from '../api/types.js'
import { valueText } from '../charts/chart-values.js'

/**
 * The columns a list opened on a dashboard or report figure adds after the
 * records' own: what each record adds to the figure, by the report's
 * measures, as of the figure's date and period (an invoice's open amount
 * on 30 June, beside its open amount now). Headed "未收金额（看板口径）",
 * or 报表口径 for a report's cell.
 */
export function drillShareColumns(
  drill: RecordPage['drill'],
  locale: Locale,
  suffix: string,
): TableColumnsType<RecordData> {
  if (!drill) return []
  return drill.columns.map((column) => ({
    key: `drill:${column.key}`,
    title: `${localize(column.label, locale)}${suffix}`,
    align: 'right',
    className: 'cell-drill-share',
    onCell: () => ({ 'data-column': `drill:${column.key}` }) as HTMLAttributes<HTMLElement>,
    render: (_value: unknown, record: RecordData) => {
      const value = drill.values[String(record.id)]?.[column.key]
      return value === null || value === undefined ? '' : valueText(value, column)
    },
  }))
}
