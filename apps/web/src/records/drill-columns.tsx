import { localize, type Locale, type RecordData } from '@tessera/core'
import { Table, type TableColumnsType } from 'antd'
import type { HTMLAttributes, ReactNode } from 'react'
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

/**
 * The list's last row under the share columns: each sum's and count's
 * shares added up over every record behind the figure, not only this
 * page's (the server adds them), so the column can be checked against the
 * figure clicked. Nothing when no share column adds up.
 */
export function drillTotalsRow(
  drill: RecordPage['drill'],
  ownColumns: number,
  label: ReactNode,
): (() => ReactNode) | undefined {
  const totals = drill?.totals
  if (!drill || !totals || !drill.columns.some((column) => totals[column.key] !== undefined)) return undefined
  return () => (
    <Table.Summary.Row className="list-drill-totals" data-drill-totals={JSON.stringify(totals)}>
      <Table.Summary.Cell index={0} colSpan={Math.max(ownColumns, 1)}>{label}</Table.Summary.Cell>
      {drill.columns.map((column, index) => {
        const value = totals[column.key]
        return (
          <Table.Summary.Cell key={column.key} index={ownColumns + index} align="right">
            {value === undefined ? '' : valueText(value, column)}
          </Table.Summary.Cell>
        )
      })}
    </Table.Summary.Row>
  )
}

/**
 * The same totals as drillTotalsRow for the phone's cards: a last card
 * naming each share column and its total over every record behind the
 * figure.
 */
export function DrillTotalsCard({ drill, label, suffix, locale }: {
  drill: RecordPage['drill']; label: ReactNode; suffix: string; locale: Locale
}) {
  const totals = drill?.totals
  if (!drill || !totals || !drill.columns.some((column) => totals[column.key] !== undefined)) return null
  return (
    <div className="list-card list-drill-totals" data-drill-totals={JSON.stringify(totals)}>
      <div className="list-card-title">{label}</div>
      <dl className="list-card-fields">
        {drill.columns.filter((column) => totals[column.key] !== undefined).map((column) => (
          <div key={column.key} className="list-card-field">
            <dt>{`${localize(column.label, locale)}${suffix}`}</dt>
            <dd data-column={`drill:${column.key}`}>{valueText(totals[column.key], column)}</dd>
          </div>
        ))}
      </dl>
    </div>
  )
}
