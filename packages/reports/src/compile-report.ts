import type { RawBuilder } from 'kysely'

import { type FormResolver, localize } from '@tessera/core'

import { assembleReport } from './assemble-report.js'
import { type ReportPlan, planReport } from './plan-report.js'
import { resolveParams } from './report-params.js'
import { type ReportOptions, assertOptions } from './report-options.js'
import type { ReportColumn, ReportSpec } from './spec.js'
import { type SqlText, toSqlText } from './sql-text.js'

/** A statement ready to run, with its text for logs and tests. */
export interface CompiledReport extends SqlText {
  query: RawBuilder<Record<string, unknown>>
  /** The param values used, defaults applied. */
  params: Record<string, unknown>
  columns: ReportColumn[]
}

/**
 * Checks the spec, resolves the request's params and compiles the report to
 * one parameterized statement. Throws `report.invalid` for a bad spec and
 * `report.param_invalid` for bad param values.
 *
 * @example
 * const { sql, parameters } = await compileReport(aging, forms, { asOf: '2026-03-31' },
 *   { timeZone: 'Asia/Shanghai', locale: 'zh-CN' })
 */
export async function compileReport(
  spec: ReportSpec,
  forms: FormResolver,
  params: Record<string, unknown>,
  options: ReportOptions,
): Promise<CompiledReport> {
  const { plan, values } = await planForRun(spec, forms, params, options)
  const query = assembleReport(plan, options.locale)
  return { query, ...toSqlText(query), params: values, columns: reportColumns(plan, options) }
}

/** Plans a spec for a run: params resolved and bound as values. */
export async function planForRun(
  spec: ReportSpec,
  forms: FormResolver,
  params: Record<string, unknown>,
  options: ReportOptions,
): Promise<{ plan: ReportPlan; values: Record<string, unknown> }> {
  assertOptions(options)
  let values: Record<string, unknown> = {}
  const plan = await planReport(spec, forms, {
    locale: options.locale,
    timeZone: options.timeZone,
    source: options.source,
    bind: (specs) => (values = resolveParams(specs, params, options)),
  })
  return { plan, values }
}

function reportColumns(plan: ReportPlan, options: ReportOptions): ReportColumn[] {
  const dimensions = plan.dimensions.map((dimension): ReportColumn => {
    const column: ReportColumn = {
      key: dimension.key,
      label: dimension.label,
      kind: 'dimension',
      type: dimension.type,
      ...(dimension.scale === undefined ? {} : { scale: dimension.scale }),
    }
    if (!dimension.buckets) return column
    const buckets = dimension.buckets.labels.map((label) => localize(label, options.locale))
    return { ...column, buckets }
  })
  const measures = plan.measures.map((measure): ReportColumn => ({
    key: measure.key,
    label: measure.label,
    kind: 'measure',
    type: measure.type,
    ...(measure.scale === undefined ? {} : { scale: measure.scale }),
  }))
  return [...dimensions, ...measures]
}
