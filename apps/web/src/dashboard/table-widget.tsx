import { localize } from '@tessera/core'
import { Table } from 'antd'
import type { TableColumnsType } from 'antd'
import { useMemo, type HTMLAttributes } from 'react'
import type { ReportResult } from '../api/types.js'
import { formatReportValue, isNumericType } from '../format/display-value.js'
import { useLocale } from '../locale-context.js'
import { shownRows } from './widget-columns.js'

type Row = Record<string, unknown>

/** Every column of the report, cells as formatted text. */
export function TableWidget({ result }: { result: ReportResult }) {
  const { locale, t } = useLocale()

  const columns = useMemo<TableColumnsType<Row>>(
    () =>
      result.columns.map((column) => ({
        key: column.key,
        title: localize(column.label, locale),
        dataIndex: column.key,
        align: isNumericType(column.type) ? 'right' : 'left',
        onCell: () => ({ 'data-column': column.key }) as HTMLAttributes<HTMLElement>,
        render: (value: unknown) => formatReportValue(value, column.type),
      })),
    [result.columns, locale],
  )

  // Report rows have no id of their own; their position is their identity.
  const positions = useMemo(
    () => new Map(result.rows.map((row, index) => [row, String(index)])),
    [result.rows],
  )

  return (
    <div className="table-widget" data-rows={JSON.stringify(shownRows(result, result.columns))}>
      <Table<Row>
        size="small"
        columns={columns}
        dataSource={result.rows}
        rowKey={(row) => positions.get(row) ?? ''}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('common.empty') }}
      />
    </div>
  )
}
