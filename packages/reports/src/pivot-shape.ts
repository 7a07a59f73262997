import type { PivotCell, PivotResult, PivotRow, ReportColumn } from './spec.js'

type Row = Record<string, unknown>

/**
 * Spreads a pivot's rows, as the grouping-sets statement returns them
 * (each flagged `__row_total` / `__column_total`), into a PivotResult.
 * Row headers keep the statement's order (the spec's sort applies to row
 * totals); column headers follow the dimensions' natural order, and a
 * single bucket dimension across lists every bucket even when empty.
 * Returns the detail rows too, without the flags, as the flat result.
 */
export function shapePivot(
  rows: Row[],
  columns: ReportColumn[],
  axes: { rows: string[]; columns: string[] },
  limit?: number,
): { rows: Row[]; pivot: PivotResult } {
  const measures = columns.filter((column) => column.kind === 'measure').map((column) => column.key)
  const pick = (row: Row, keys: string[]) => Object.fromEntries(keys.map((key) => [key, row[key] ?? null]))
  const id = (row: Row, keys: string[]) => JSON.stringify(keys.map((key) => row[key] ?? null))
  const strip = (row: Row) => {
    const { __row_total: _rowTotal, __column_total: _columnTotal, ...rest } = row
    return rest
  }

  const details = rows.filter((row) => !row.__row_total && !row.__column_total)
  const rowTotals = rows.filter((row) => row.__row_total && !row.__column_total)
  const columnTotals = rows.filter((row) => !row.__row_total && row.__column_total)
  const grand = rows.find((row) => row.__row_total && row.__column_total)

  const headers = columnHeaders([...details, ...columnTotals], columns, axes.columns)
  const headerIds = headers.map((header) => id(header, axes.columns))
  const cellsOf = (source: Row[]): PivotCell[] => {
    const found = new Map(source.map((row) => [id(row, axes.columns), pick(row, measures)]))
    return headerIds.map((headerId) => found.get(headerId) ?? null)
  }

  const rowHeads = axes.rows.length > 0 ? rowTotals : [grand ?? {}]
  const pivotRows: PivotRow[] = rowHeads.slice(0, limit).map((head) => {
    const mine = details.filter((row) => id(row, axes.rows) === id(head, axes.rows))
    return { key: pick(head, axes.rows), cells: cellsOf(mine), total: pick(head, measures) }
  })

  const omitted = rowHeads.length - pivotRows.length
  return {
    rows: details.map(strip),
    pivot: {
      rowDimensions: axes.rows,
      columnDimensions: axes.columns,
      headers,
      rows: pivotRows,
      totals: { cells: cellsOf(columnTotals), total: grand ? pick(grand, measures) : {} },
      // The totals are the database's over every row: say how many of those rows are not listed.
      ...(omitted > 0 ? { omitted } : {}),
    },
  }
}

/** Distinct column tuples in natural order; every bucket of a lone bucket dimension. */
function columnHeaders(rows: Row[], columns: ReportColumn[], keys: string[]): Row[] {
  const lone = keys.length === 1 ? columns.find((column) => column.key === keys[0]) : undefined
  if (lone?.buckets) return lone.buckets.map((label) => ({ [lone.key]: label }))

  const seen = new Map<string, Row>()
  for (const row of rows) {
    const header = Object.fromEntries(keys.map((key) => [key, row[key] ?? null]))
    const sortKey = keys.map((key) => row[`${key}__index`] ?? row[key] ?? null)
    seen.set(JSON.stringify(Object.values(header)), { ...header, __sort: sortKey })
  }
  return [...seen.values()]
    .sort((a, b) => compareTuples(a.__sort as unknown[], b.__sort as unknown[]))
    .map(({ __sort: _sort, ...header }) => header)
}

function compareTuples(a: unknown[], b: unknown[]): number {
  for (let index = 0; index < a.length; index += 1) {
    const order = compareValues(a[index], b[index])
    if (order !== 0) return order
  }
  return 0
}

/** Nulls last; numbers by value; everything else by code point, as the SQL sorts texts. */
function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0
  if (a === null) return 1
  if (b === null) return -1
  if (typeof a === 'number' && typeof b === 'number') return a - b
  const left = String(a)
  const right = String(b)
  return left < right ? -1 : left > right ? 1 : 0
}
