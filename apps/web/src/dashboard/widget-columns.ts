import type { DashboardWidget, ReportColumn, ReportResult } from '../api/types.js'

/** Columns a widget shows, or the key it asked for that the report lacks. */
export type ColumnChoice<T> = { ok: true; columns: T } | { ok: false; missing: string }

function find(result: ReportResult, key: string): ReportColumn | undefined {
  return result.columns.find((column) => column.key === key)
}

/** A KPI shows `widget.measure`, or the report's first measure. */
export function kpiColumn(
  widget: DashboardWidget,
  result: ReportResult,
): ColumnChoice<ReportColumn> {
  const wanted = widget.measure
  const column = wanted
    ? find(result, wanted)
    : result.columns.find((candidate) => candidate.kind === 'measure')
  return column ? { ok: true, columns: column } : { ok: false, missing: wanted ?? 'measure' }
}

export interface ChartColumns {
  dimension?: ReportColumn
  measures: ReportColumn[]
  series?: ReportColumn
}

/**
 * A chart plots `widget.measures` (default: every measure; a gauge its
 * `measure`) against the dimension shown — the drill level, else
 * `widget.dimension`, else the first dimension — split by `widget.series`.
 */
export function chartColumns(
  widget: DashboardWidget,
  result: ReportResult,
  level?: string,
): ColumnChoice<ChartColumns> {
  const wanted = level ?? widget.dimension
  const dimension = wanted
    ? find(result, wanted)
    : result.columns.find((column) => column.kind === 'dimension' && column.key !== widget.series)
  if (!dimension && widget.type !== 'gauge') return { ok: false, missing: wanted ?? 'dimension' }
  const series = widget.series ? find(result, widget.series) : undefined
  if (widget.series && !series) return { ok: false, missing: widget.series }

  const keys = widget.measures ??
    (widget.measure ? [widget.measure] : undefined) ??
    result.columns.filter((column) => column.kind === 'measure' && !column.role).map((column) => column.key)
  const measures: ReportColumn[] = []
  for (const key of keys) {
    const column = find(result, key)
    if (!column) return { ok: false, missing: key }
    measures.push(column)
  }
  if (measures.length === 0) return { ok: false, missing: 'measure' }
  return { ok: true, columns: { dimension, measures, series } }
}

/**
 * The figures a widget shows, as they came from the API, for the
 * `data-rows` test hook: [{ "bucket": "1-30天", "open": "98765.43" }, …].
 */
export function shownRows(
  result: ReportResult,
  columns: readonly ReportColumn[],
): Array<Record<string, unknown>> {
  return result.rows.map((row) =>
    Object.fromEntries(columns.map((column) => [column.key, row[column.key] ?? null])),
  )
}
