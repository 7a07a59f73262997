import type { QueryExecutorProvider } from 'kysely'

import type { FormResolver } from '@tessera/core'

import { type DrillOptions, compileDrill } from './compile-drill.js'
import { type CompiledReport, compileReport } from './compile-report.js'
import { toNumber } from './format-output.js'
import { shapePivot } from './pivot-shape.js'
import type { ReportOptions } from './report-options.js'
import type { ReportColumn, ReportResult, ReportSpec } from './spec.js'

/**
 * Anything that runs a kysely query: a `Kysely` instance or a transaction,
 * whatever its database type.
 */
export type ReportDatabase = QueryExecutorProvider

/**
 * Compiles and runs a report. Rows carry one property per column key (and
 * `<key>__index` for bucket dimensions), typed the same on PGlite and pg.
 *
 * @example
 * const options = { timeZone: 'Asia/Shanghai', locale: 'zh-CN' }
 * const result = await runReport(db, aging, forms, {}, options)
 * // result.rows[0] → { customer: '甲公司', bucket: '未到期', bucket__index: 0,
 * //                    open: '1200.00', invoices: 2 }
 */
export async function runReport(
  db: ReportDatabase,
  spec: ReportSpec,
  forms: FormResolver,
  params: Record<string, unknown>,
  options: ReportOptions,
): Promise<ReportResult> {
  return execute(db, await compileReport(spec, forms, params, options))
}

/** Runs `compileDrill`: the ids (and measure shares) behind one result row. */
export async function runDrill(
  db: ReportDatabase,
  spec: ReportSpec,
  forms: FormResolver,
  params: Record<string, unknown>,
  dimensionValues: Record<string, unknown>,
  options: DrillOptions,
): Promise<ReportResult> {
  return execute(db, await compileDrill(spec, forms, params, dimensionValues, options))
}

async function execute(db: ReportDatabase, compiled: CompiledReport): Promise<ReportResult> {
  const { rows } = await compiled.query.execute(db)
  const normalized = normalizeRows(rows, compiled.columns)
  const result = { columns: compiled.columns, params: compiled.params }
  if (compiled.pivot) {
    const shaped = shapePivot(normalized, compiled.columns, compiled.pivot, compiled.pivot.limit)
    return { ...result, ...shaped }
  }
  if (!compiled.columns.some((column) => column.kind === 'record')) {
    return { ...result, rows: normalized }
  }

  const total = Number(normalized[0]?.__total ?? 0)
  return { ...result, rows: normalized.map(({ __total: _total, ...row }) => row), total }
}

/** Integers (bigint in SQL) become JS numbers on both drivers. */
export function normalizeRows(
  rows: Array<Record<string, unknown>>,
  columns: ReportColumn[],
): Array<Record<string, unknown>> {
  const integers = columns.filter((column) => column.type === 'integer').map((column) => column.key)
  const indexes = columns
    .filter((column) => column.kind === 'dimension' && column.type === 'text')
    .map((column) => `${column.key}__index`)
  const numeric = [...integers, ...indexes, '__total']
  return rows.map((row) => {
    const copy = { ...row }
    for (const key of numeric) if (key in copy) copy[key] = toNumber(copy[key])
    return copy
  })
}
