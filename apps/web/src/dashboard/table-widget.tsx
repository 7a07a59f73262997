import { Dec, localize } from '@tessera/core'
import { Grid, Table } from 'antd'
import type { TableColumnsType } from 'antd'
import { useMemo, type HTMLAttributes } from 'react'
import type { ReportResult } from '../api/types.js'
import { pickOf } from '../charts/chart-click.js'
import { valueText } from '../charts/chart-values.js'
import { isNumericType } from '../format/display-value.js'
import { useLocale } from '../locale-context.js'
import { pressable } from './pressable.js'
import { type FigureCard, FigureCards } from './table-cards.js'
import { shownRows } from './widget-columns.js'

type Row = Record<string, unknown>

interface TableWidgetProps {
  result: ReportResult
  /** Measures shown as percentages. */
  percent?: boolean
  /**
   * A click on a row, with the dimension values it names; on a single row
   * of figures read down, a click on one figure also names its measure.
   */
  onPick?(values: Record<string, unknown>, measure?: string): void
  /**
   * A last row 合计 totalling the columns whose rows add up (sums and
   * counts), exactly, from the figures shown; the others left empty.
   */
  totals?: boolean
}

/** Every column of the report, cells as formatted text; rows are clickable to drill. */
export function TableWidget({ result, percent, onPick, totals }: TableWidgetProps) {
  const { locale, t } = useLocale()
  // On a phone (once the screen is known) rows are cards: a table wider than the screen cut figures at its edge.
  const phone = Grid.useBreakpoint().sm === false

  const columns = useMemo<TableColumnsType<Row>>(
    () =>
      result.columns.map((column, index) => ({
        key: column.key,
        // The row's name stays in view while the figures scroll sideways (a phone's wide table).
        ...(index === 0 && column.kind === 'dimension' ? { fixed: 'left' as const } : {}),
        title: localize(column.label, locale),
        dataIndex: column.key,
        align: isNumericType(column.type) ? 'right' : 'left',
        onCell: () => ({ 'data-column': column.key, 'data-numeric': isNumericType(column.type) }) as HTMLAttributes<HTMLElement>,
        render: (value: unknown) => {
          // A ratio (and its comparison columns) reads as a percentage, as in charts and Excel.
          const asPercent = column.kind === 'measure' && !column.points && (percent || column.role === 'change_rate' || column.ratio === true)
          return value === null || value === undefined ? '' : valueText(value, column, asPercent, locale)
        },
      })),
    [result.columns, locale, percent],
  )

  // Report rows have no id of their own; their position is their identity.
  const positions = useMemo(
    () => new Map(result.rows.map((row, index) => [row, String(index)])),
    [result.rows],
  )
  const dimensions = result.columns.filter((column) => column.kind === 'dimension')
  const rowProps = (row: Row) => {
    if (!onPick) return {}
    const picks = dimensions.map((column) => pickOf(row, column))
    if (picks.some((pick) => pick === undefined)) return {}
    return {
      ...pressable(() => onPick(Object.assign({}, ...picks))),
      className: 'clickable-row',
      'data-clickable': 'true',
    } as HTMLAttributes<HTMLElement>
  }

  // One row of figures and no dimension (a summary, a period's rate): read
  // down as label and value, not across a row wider than the page.
  if (dimensions.length === 0 && result.rows.length === 1) {
    const [row] = result.rows
    // A figure opens the records that make it up: those of its own measure, the previous
    // period's for its previous figure (`collected__previous`). A change is no figure of
    // records (the difference of two), so it opens nothing.
    const figureProps = (key: string) => {
      if (!onPick) return {}
      const column = result.columns.find((one) => one.key === key)
      if (column?.role === 'change' || column?.role === 'change_rate') return {}
      const measure = column?.kind === 'measure' ? key : undefined
      return { ...pressable(() => onPick({}, measure)), className: 'clickable-row', 'data-clickable': 'true' }
    }
    return (
      <div className="table-widget" data-rows={JSON.stringify(shownRows(result, result.columns))} data-layout="figures">
        <table className="figure-list">
          <tbody>
            {columns.map((column) => {
              const key = String(column.key)
              const value = row[key]
              const render = (column as { render: (value: unknown) => unknown }).render
              return (
                <tr key={key} {...figureProps(key)}>
                  <th scope="row">{column.title as string}</th>
                  <td data-column={key}>{render(value) as string}</td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
    )
  }

  const totalled = totals ? tableTotals(result) : undefined
  if (phone) {
    const render = (index: number, value: unknown) =>
      (columns[index] as { render: (value: unknown) => unknown }).render(value) as string
    const named = result.columns.map((column, index) => ({ column, index })).filter(({ column }) => column.kind === 'dimension')
    const figures = result.columns.map((column, index) => ({ column, index })).filter(({ column }) => column.kind !== 'dimension')
    const cards: FigureCard[] = result.rows.map((row, position) => ({
      key: String(position),
      title: named.map(({ index, column }) => render(index, row[column.key]) || '—').join(' · '),
      lines: figures.map(({ column, index }) => ({
        key: column.key, label: localize(column.label, locale),
        value: <span data-column={column.key}>{render(index, row[column.key])}</span>,
      })),
      props: rowProps(row),
    }))
    if (totalled) {
      cards.push({
        key: 'totals',
        title: t('widget.total'),
        lines: figures.filter(({ column }) => totalled[column.key] !== undefined).map(({ column, index }) => ({
          key: column.key, label: localize(column.label, locale),
          value: <span data-column={column.key}>{render(index, totalled[column.key])}</span>,
        })),
        props: { 'data-totals': JSON.stringify(totalled) } as HTMLAttributes<HTMLElement>,
        total: true,
      })
    }
    return (
      <div className="table-widget" data-rows={JSON.stringify(shownRows(result, result.columns))}>
        <FigureCards cards={cards} layout="cards" />
      </div>
    )
  }
  const summary = totalled && (() => (
    <Table.Summary.Row className="table-totals" data-totals={JSON.stringify(totalled)}>
      {result.columns.map((column, index) => {
        const value = totalled[column.key]
        const render = (columns[index] as { render: (value: unknown) => unknown }).render
        return (
          <Table.Summary.Cell key={column.key} index={index} align={isNumericType(column.type) ? 'right' : 'left'}>
            {index === 0 ? t('widget.total') : value === undefined ? '' : render(value) as string}
          </Table.Summary.Cell>
        )
      })}
    </Table.Summary.Row>
  ))

  return (
    <div className="table-widget" data-rows={JSON.stringify(shownRows(result, result.columns))}>
      <Table<Row>
        {...(summary ? { summary } : {})}
        size="small"
        columns={columns}
        dataSource={result.rows}
        rowKey={(row) => positions.get(row) ?? ''}
        pagination={false}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: t('common.empty') }}
        onRow={rowProps}
      />
    </div>
  )
}

/**
 * The 合计 row a report's table ends with, on the page and in its Excel
 * file alike: only where rows of named groups (at least two) add up.
 */
export function tableTotals(result: ReportResult): Record<string, string | number> | undefined {
  const grouped = result.columns.some((column) => column.kind === 'dimension')
  return grouped && result.rows.length > 1 ? columnTotals(result) : undefined
}

/**
 * Each additive column's total over the rows, exact (decimal strings added
 * as decimals, at the column's scale; counts as whole numbers); empty
 * values add nothing. Columns whose rows do not add up are left out.
 */
export function columnTotals(result: ReportResult): Record<string, string | number> {
  const totals: Record<string, string | number> = {}
  for (const column of result.columns) {
    if (column.kind !== 'measure' || !column.additive) continue
    let sum = new Dec(0)
    for (const row of result.rows) {
      const value = row[column.key]
      if (value !== null && value !== undefined && value !== '') sum = sum.plus(String(value))
    }
    totals[column.key] = column.type === 'integer' ? sum.toNumber()
      : column.scale === undefined ? sum.toFixed() : sum.toFixed(column.scale)
  }
  return totals
}
