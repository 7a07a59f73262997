import { type RawBuilder, sql } from 'kysely'

import {
  type FormResolver,
  type Locale,
  LOCALES,
  TesseraError,
  isDecimalString,
  isIsoDate,
  localize,
} from '@tessera/core'

import { type CompiledReport, planForRun } from './compile-report.js'
import { formatOutput } from './format-output.js'
import { show } from './issue-list.js'
import { type PlannedDimension, bucketIndex } from './plan-dimensions.js'
import type { PlannedMeasure } from './plan-measures.js'
import type { ReportOptions } from './report-options.js'
import { isRecord } from './shape.js'
import type { ReportColumn, ReportSpec, ReportValueType } from './spec.js'
import { toSqlText } from './sql-text.js'

export interface DrillOptions extends ReportOptions {
  /** At most this many records, lowest ids first. */
  limit?: number
}

/**
 * The source records behind one result row: the same where, plus equality
 * on the given dimension values (a bucket by its label in any locale, by
 * its index, or through `<key>__index`; null matches the empty group).
 * Dimensions left out are not constrained, which drills into a subtotal.
 * Each row holds the record's `id` and its share of every measure: its value
 * for sum, avg, min, max and count_distinct, 1 or 0 for count. Summing a
 * sum or count column gives the report's cell.
 *
 * @example
 * await compileDrill(aging, forms, { asOf: '2026-03-31' }, { customer: '甲公司', bucket: '31–60' },
 *   { timeZone: 'Asia/Shanghai', locale: 'zh-CN' })
 */
export async function compileDrill(
  spec: ReportSpec,
  forms: FormResolver,
  params: Record<string, unknown>,
  dimensionValues: Record<string, unknown>,
  options: DrillOptions,
): Promise<CompiledReport> {
  const { plan, values } = await planForRun(spec, forms, params, options)
  const conditions = drillConditions(plan.dimensions, dimensionValues, options.locale)
  if (plan.where) conditions.unshift(plan.where.sql)

  const id = sql.id(plan.source.alias, 'id')
  const select = [sql`${id} as "id"`, ...plan.measures.map(drillMeasure)]
  const where = conditions.length > 0 ? sql` where ${sql.join(conditions, sql` and `)}` : sql``
  const limit = options.limit === undefined ? sql`` : sql` limit ${checkLimit(options.limit)}`
  const from = sql`from ${plan.source.from()}${where}`
  const order = sql`order by ${id}${limit}`
  const query = sql<Record<string, unknown>>`select ${sql.join(select)} ${from} ${order}`

  const columns: ReportColumn[] = [
    { key: 'id', label: { 'zh-CN': '记录', en: 'Record' }, kind: 'record', type: 'integer' },
    ...plan.measures.map((measure): ReportColumn => ({
      key: measure.key,
      label: measure.label,
      kind: 'measure',
      type: drillType(measure),
      ...(measure.scale === undefined ? {} : { scale: measure.scale }),
    })),
  ]
  return { query, ...toSqlText(query), params: values, columns }
}

function drillType(measure: PlannedMeasure): ReportValueType {
  if (measure.agg === 'count') return 'integer'
  if (measure.agg === 'count_distinct') return measure.value ? measureInputType(measure) : 'integer'
  return measure.type
}

/** count_distinct reports an integer, but per record it shows the value itself. */
function measureInputType(measure: PlannedMeasure): ReportValueType {
  const kind = measure.value?.type.kind
  if (kind === 'date') return 'date'
  if (kind === 'text') return 'text'
  if (kind === 'timestamp') return 'datetime'
  if (kind === 'boolean') return 'boolean'
  return 'number'
}

function drillMeasure(measure: PlannedMeasure): RawBuilder<unknown> {
  const key = sql.id(measure.key)
  const value = measure.value?.sql
  if (measure.agg === 'count') {
    if (!value) return sql`1 as ${key}`
    return sql`(case when ${value} is null then 0 else 1 end) as ${key}`
  }
  if (!value) return sql`null as ${key}`
  return sql`${formatOutput(value, drillType(measure), measure.scale)} as ${key}`
}

function checkLimit(limit: number): number {
  if (Number.isInteger(limit) && limit >= 1) return limit
  throw new TesseraError(
    'request.invalid',
    `drill limit must be a positive integer, got ${show(limit)}`,
    { details: { expected: 'positive integer', received: limit } },
  )
}

function drillConditions(
  dimensions: PlannedDimension[],
  values: unknown,
  locale: Locale,
): Array<RawBuilder<unknown>> {
  if (!isRecord(values)) throw drillError('', 'an object of dimension values', values)

  const conditions: Array<RawBuilder<unknown>> = []
  for (const [key, value] of Object.entries(values)) {
    const byIndex = key.endsWith('__index')
    const name = byIndex ? key.slice(0, -'__index'.length) : key
    const dimension = dimensions.find((candidate) => candidate.key === name)
    if (!dimension || (byIndex && !dimension.buckets)) {
      const known = dimensions.map((candidate) => candidate.key).join(', ')
      throw drillError(key, `one of the report's dimensions (${known})`, value)
    }
    conditions.push(equality(dimension, value, byIndex, locale))
  }
  return conditions
}

function equality(
  dimension: PlannedDimension,
  value: unknown,
  byIndex: boolean,
  locale: Locale,
): RawBuilder<unknown> {
  const expr = dimension.value.sql
  if (value === null) return sql`(${expr} is null)`

  if (dimension.buckets) {
    const index = findBucket(dimension, value, byIndex, locale)
    return sql`(${bucketIndex(expr, dimension.buckets.edges)} = ${index}::int)`
  }

  switch (dimension.type) {
    case 'date':
      if (isIsoDate(value)) return sql`(${expr} = ${value}::date)`
      throw drillError(dimension.key, 'a date "YYYY-MM-DD"', value)
    case 'money':
    case 'number':
    case 'integer':
      if (isFiniteNumber(value) || isDecimalString(value)) return sql`(${expr} = ${value}::numeric)`
      throw drillError(dimension.key, 'a number', value)
    case 'text':
      if (typeof value === 'string') return sql`(${expr} = ${value}::text)`
      throw drillError(dimension.key, 'a text', value)
    case 'boolean':
      if (typeof value === 'boolean') return sql`(${expr} = ${value}::boolean)`
      throw drillError(dimension.key, 'true or false', value)
    case 'datetime':
      if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) {
        return sql`(${expr} = ${value}::timestamptz)`
      }
      throw drillError(dimension.key, 'an ISO timestamp', value)
  }
}

function findBucket(
  dimension: PlannedDimension,
  value: unknown,
  byIndex: boolean,
  locale: Locale,
): number {
  const labels = dimension.buckets?.labels ?? []
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < labels.length) {
    return value
  }
  if (!byIndex && typeof value === 'string') {
    const mine = labels.findIndex((label) => localize(label, locale) === value)
    if (mine >= 0) return mine
    const any = labels.findIndex(
      (label) => LOCALES.some((other) => localize(label, other) === value),
    )
    if (any >= 0) return any
  }
  const names = labels.map((label) => localize(label, locale)).join(', ')
  const expected = `a bucket label (${names}) or an index from 0 to ${labels.length - 1}`
  throw drillError(dimension.key, expected, value)
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}

function drillError(dimension: string, expected: string, received: unknown): TesseraError {
  return new TesseraError(
    'request.invalid',
    `drill-down value for dimension "${dimension}" must be ${expected}, got ${show(received)}`,
    { details: { dimension, expected, received } },
  )
}
