import type { RecordData } from '@tessera/core'
import type { TableColumnsType } from 'antd'
import type { ReactNode } from 'react'

interface ListCardsProps {
  columns: TableColumnsType<RecordData>
  /** The column that links to the record (the form's title field), made the card's heading. */
  titleKey?: string
  records: RecordData[]
  empty: string
  onOpen(record: RecordData): void
  /** A last card after the records' (a drilled list's totals). */
  footer?: ReactNode
}

/**
 * A record list on a phone: one card per record instead of a table row, the
 * record's link (its title column, else the first) as its heading and every other shown
 * column as a label and its value beneath, so that an amount is read
 * without scrolling sideways. The same columns as the table, rendered the
 * same way; cells carry `data-column="<field key>"`, cards `list-row`.
 */
export function ListCards({ columns, titleKey, records, empty, onOpen, footer }: ListCardsProps) {
  if (records.length === 0) return <div className="list-cards-empty">{empty}</div>
  const shaped = columns.map((column, index) => ({
    key: String(column.key ?? index),
    title: column.title as ReactNode,
    render: (record: RecordData) => {
      const render = (column as { render?: (value: unknown, record: RecordData, index: number) => ReactNode }).render
      return render ? render(undefined, record, index) : null
    },
  }))
  const linked = shaped.findIndex((column) => column.key === titleKey)
  const [head, ...rest] = linked > 0 ? [shaped[linked], ...shaped.filter((_, index) => index !== linked)] : shaped
  return (
    <div className="list-cards" data-layout="cards">
      {records.map((record) => (
        <div key={record.id} className="list-card list-row" role="button" tabIndex={0}
          onClick={() => onOpen(record)}
          onKeyDown={(event) => { if (event.key === 'Enter') onOpen(record) }}>
          {head && <div className="list-card-title" data-column={head.key}>{head.render(record)}</div>}
          <dl className="list-card-fields">
            {rest.map((column) => (
              <div key={column.key} className="list-card-field">
                <dt>{column.title}</dt>
                <dd data-column={column.key}>{column.render(record)}</dd>
              </div>
            ))}
          </dl>
        </div>
      ))}
      {footer}
    </div>
  )
}
