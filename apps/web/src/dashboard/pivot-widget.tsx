import { localize } from '@tessera/core'
import { Grid } from 'antd'
import type { ReportResult } from '../api/types.js'
import { valueText } from '../charts/chart-values.js'
import { useLocale } from '../locale-context.js'
import { pivotHeader } from './pivot-sheet.js'
import { pressable } from './pressable.js'
import { FigureCards } from './table-cards.js'
import { WidgetProblem } from './widget-problem.js'

interface PivotWidgetProps {
  result: ReportResult
  report: string
  /** The measure shown (the widget's `measure`, or the first of its `measures`); else the report's first. */
  measure?: string
  percent?: boolean
  /** A click on a cell, with the row's and the column's dimension values. */
  onPick?(values: Record<string, unknown>): void
}

/**
 * Rows × columns with row, column and grand totals, as the database
 * computed them. The first measure fills the cells; `data-cell` holds the
 * exact figure of each.
 */
export function PivotWidget({ result, report, measure: chosen, percent, onPick }: PivotWidgetProps) {
  const { locale, t } = useLocale()
  const phone = Grid.useBreakpoint().sm === false
  const pivot = result.pivot
  const measure = result.columns.find((column) =>
    column.kind === 'measure' && (chosen === undefined || column.key === chosen))
  if (!pivot || !measure) {
    return <WidgetProblem text={t('widget.missingColumn', { report, column: 'pivot' })} />
  }

  const byKey = new Map(result.columns.map((column) => [column.key, column]))
  const label = (values: Record<string, unknown>, keys: string[]) =>
    keys.map((key) => pivotHeader(values[key], byKey.get(key))).join(' / ')
  const shown = (cell: Record<string, unknown> | null) =>
    cell ? valueText(cell[measure.key], measure, percent) : ''
  /** A clickable cell: what it drills into (also as `data-pick`, for tests). */
  const pick = (values: Record<string, unknown>) => (onPick
    ? { ...pressable(() => onPick(values)), 'data-pick': JSON.stringify(values) }
    : {})

  if (phone) {
    // A card per row: each column's figure on its own line, then the row's total; the totals last.
    const line = (index: number, cell: Record<string, unknown> | null, values: Record<string, unknown>) => ({
      key: String(index), label: label(pivot.headers[index]!, pivot.columnDimensions),
      value: <span data-cell={String(cell?.[measure.key] ?? '')}>{shown(cell)}</span>,
      ...(cell ? { props: pick(values) } : {}),
    })
    const cards = [
      ...pivot.rows.map((row, rowIndex) => ({
        key: String(rowIndex),
        title: label(row.key, pivot.rowDimensions),
        lines: [
          ...row.cells.map((cell, index) => line(index, cell, { ...row.key, ...pivot.headers[index] })),
          { key: 'total', label: t('widget.total'), value: <strong data-cell={String(row.total[measure.key] ?? '')}>{shown(row.total)}</strong>,
            props: pick(row.key) },
        ],
      })),
      {
        key: 'totals',
        total: true,
        title: pivot.omitted ? t('widget.totalWithOmitted', { count: pivot.omitted }) : t('widget.total'),
        lines: [
          ...pivot.totals.cells.map((cell, index) => line(index, cell, pivot.headers[index]!)),
          { key: 'total', label: t('widget.total'), value: <strong data-cell={String(pivot.totals.total[measure.key] ?? '')}>{shown(pivot.totals.total)}</strong>,
            props: pick({}) },
        ],
      },
    ]
    return (
      <div className="pivot-widget" data-pivot={JSON.stringify(pivot)}>
        <FigureCards cards={cards} layout="cards" />
      </div>
    )
  }

  return (
    <div className="pivot-widget" data-pivot={JSON.stringify(pivot)}>
      <table>
        <thead>
          <tr>
            <th scope="col">{pivot.rowDimensions.map((key) => localize(byKey.get(key)?.label, locale)).join(' / ')}</th>
            {pivot.headers.map((header, index) => (
              <th key={index} scope="col">{label(header, pivot.columnDimensions)}</th>
            ))}
            <th scope="col" className="pivot-total">{t('widget.total')}</th>
          </tr>
        </thead>
        <tbody>
          {pivot.rows.map((row, rowIndex) => (
            <tr key={rowIndex}>
              <th scope="row">{label(row.key, pivot.rowDimensions)}</th>
              {row.cells.map((cell, index) => (
                <td key={index} data-cell={cell?.[measure.key] ?? ''}
                  {...(cell ? pick({ ...row.key, ...pivot.headers[index] }) : {})}>
                  {shown(cell)}
                </td>
              ))}
              <td className="pivot-total" data-cell={String(row.total[measure.key] ?? '')}
                {...pick(row.key)}>
                {shown(row.total)}
              </td>
            </tr>
          ))}
          <tr className="pivot-total">
            <th scope="row" data-omitted={pivot.omitted ?? 0}>
              {pivot.omitted ? t('widget.totalWithOmitted', { count: pivot.omitted }) : t('widget.total')}
            </th>
            {/* Totals drill too: a column's total to its column, the grand total to everything. */}
            {pivot.totals.cells.map((cell, index) => (
              <td key={index} data-cell={cell?.[measure.key] ?? ''}
                {...(cell ? pick(pivot.headers[index]) : {})}>{shown(cell)}</td>
            ))}
            <td data-cell={String(pivot.totals.total[measure.key] ?? '')} {...pick({})}>
              {shown(pivot.totals.total)}
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  )
}

