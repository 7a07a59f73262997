import { type RawBuilder, sql } from 'kysely'

import { type Locale, localize } from '@tessera/core'

import { formatOutput } from './format-output.js'
import { type PlannedDimension, bucketIndex } from './plan-dimensions.js'
import type { PlannedMeasure } from './plan-measures.js'
import type { ReportPlan } from './plan-report.js'

type Sql = RawBuilder<unknown>

const BASE = sql.id('__base')
const BUCKETED = sql.id('__bucketed')
const GROUPED = sql.id('__grouped')
const FILLED = sql.id('__filled')

/**
 * The whole report as one statement, in two to four steps:
 *
 *   with "__base" as (select <dimension values>, <measure inputs>
 *                     from <source> <joins> where <where>),
 *        "__bucketed" as (… numbers turned into bucket indexes, if any …),
 *        "__grouped" as (select <dimensions>, <aggregates> from "__base" group by …),
 *        "__filled" as (… every bucket, when a bucket dimension fills …)
 *   select <labels, formatted measures> from "__grouped" order by … limit $n
 *
 * Grouping by the inner column names (not by repeating the expressions)
 * keeps Postgres from comparing two copies of an expression whose
 * parameters got different numbers.
 */
export function assembleReport(
  plan: ReportPlan,
  locale: Locale,
): RawBuilder<Record<string, unknown>> {
  const bucketed = plan.dimensions.some((dimension) => dimension.buckets)
  const steps = [sql`${BASE} as (${baseSelect(plan)})`]
  if (bucketed) steps.push(sql`${BUCKETED} as (${bucketedSelect(plan)})`)
  steps.push(sql`${GROUPED} as (${groupedSelect(plan, bucketed ? BUCKETED : BASE)})`)
  const fills = plan.dimensions.some((dimension) => dimension.buckets?.fill)
  if (fills) steps.push(sql`${FILLED} as (${filledSelect(plan)})`)

  const projection = [
    ...plan.dimensions.flatMap((dimension) => dimensionOutput(dimension, locale)),
    ...plan.measures.map(measureOutput),
  ]
  const limit = plan.limit === undefined ? sql`` : sql` limit ${plan.limit}`
  const select = sql`select ${sql.join(projection)} from ${fills ? FILLED : GROUPED}`
  return sql<Record<string, unknown>>`with ${sql.join(steps)} ${select}${orderBy(plan)}${limit}`
}

function baseSelect(plan: ReportPlan): Sql {
  const columns: Sql[] = plan.dimensions.map(
    (dimension) => sql`${dimension.value.sql} as ${sql.id(dimension.column)}`,
  )
  for (const measure of plan.measures) {
    if (measure.value) columns.push(sql`${measure.value.sql} as ${sql.id(measure.column)}`)
  }
  if (columns.length === 0) columns.push(sql`1 as "__row"`)

  const where = plan.where ? sql` where ${plan.where.sql}` : sql``
  return sql`select ${sql.join(columns)} from ${plan.source.from()}${where}`
}

/** Buckets the numbers once computed, so the CASE repeats a column name only. */
function bucketedSelect(plan: ReportPlan): Sql {
  const columns: Sql[] = plan.dimensions.map((dimension) => {
    const column = sql.id(dimension.column)
    if (!dimension.buckets) return column
    return sql`${bucketIndex(column, dimension.buckets.edges)} as ${column}`
  })
  for (const measure of plan.measures) {
    if (measure.value) columns.push(sql.id(measure.column))
  }
  if (columns.length === 0) columns.push(sql`1 as "__row"`)
  return sql`select ${sql.join(columns)} from ${BASE}`
}

function groupedSelect(plan: ReportPlan, from: Sql): Sql {
  const dimensions = plan.dimensions.map((dimension) => sql.id(dimension.column))
  const aggregates = plan.measures.map(
    (measure) => sql`${aggregate(measure)} as ${sql.id(measure.column)}`,
  )
  const columns = [...dimensions, ...aggregates]
  const groupBy = dimensions.length > 0 ? sql` group by ${sql.join(dimensions)}` : sql``
  return sql`select ${sql.join(columns)} from ${from}${groupBy}`
}

/** A sum of nothing is 0 (not SQL's null), so totals and filled buckets agree. */
function aggregate(measure: PlannedMeasure): Sql {
  const input = sql.id(measure.column)
  switch (measure.agg) {
    case 'sum':
      return sql`coalesce(sum(${input}), 0)`
    case 'count':
      return measure.value ? sql`cast(count(${input}) as int)` : sql`cast(count(*) as int)`
    case 'count_distinct':
      return sql`cast(count(distinct ${input}) as int)`
    case 'avg':
      return sql`avg(${input})`
    case 'min':
      return sql`min(${input})`
    case 'max':
      return sql`max(${input})`
  }
}

/**
 * Every combination of the other dimensions' values (as grouped) with every
 * bucket index of each filling dimension, left-joined to the groups; rows
 * whose bucket is null (no value to bucket) are kept as they are.
 */
function filledSelect(plan: ReportPlan): Sql {
  const keys = sql.id('__keys')
  const group = sql.id('__g')
  const others = plan.dimensions.filter((dimension) => !dimension.buckets?.fill)
  const sources: Sql[] = []
  if (others.length > 0) {
    const columns = others.map((dimension) => sql.id(dimension.column))
    sources.push(sql`(select distinct ${sql.join(columns)} from ${GROUPED}) as ${keys}`)
  }

  const select: Sql[] = []
  const on: Sql[] = []
  plan.dimensions.forEach((dimension, index) => {
    const column = dimension.column
    if (!dimension.buckets?.fill) {
      select.push(sql.id('__keys', column))
      on.push(sql`${sql.id('__g', column)} is not distinct from ${sql.id('__keys', column)}`)
      return
    }
    const series = `__b${index}`
    const last = sql.lit(dimension.buckets.edges.length)
    sources.push(sql`generate_series(0, ${last}) as ${sql.id(series)}(${sql.id(column)})`)
    select.push(sql.id(series, column))
    on.push(sql`${sql.id('__g', column)} = ${sql.id(series, column)}`)
  })
  for (const measure of plan.measures) {
    const value = sql.id('__g', measure.column)
    const zero = ['sum', 'count', 'count_distinct'].includes(measure.agg)
    select.push(zero ? sql`coalesce(${value}, 0) as ${sql.id(measure.column)}` : value)
  }

  const unbucketed = plan.dimensions
    .filter((dimension) => dimension.buckets?.fill)
    .map((dimension) => sql`${sql.id(dimension.column)} is null`)
  const everything = [
    ...plan.dimensions.map((dimension) => sql.id(dimension.column)),
    ...plan.measures.map((measure) => sql.id(measure.column)),
  ]
  const crossed = sql.join(sources, sql` cross join `)
  const joined = sql`${GROUPED} as ${group} on ${sql.join(on, sql` and `)}`
  const filled = sql`select ${sql.join(select)} from ${crossed} left join ${joined}`
  const unbucketedRows = sql`from ${GROUPED} where ${sql.join(unbucketed, sql` or `)}`
  const kept = sql`select ${sql.join(everything)} ${unbucketedRows}`
  return sql`${filled} union all ${kept}`
}

function dimensionOutput(dimension: PlannedDimension, locale: Locale): Sql[] {
  const column = sql.id(dimension.column)
  const key = sql.id(dimension.key)
  if (!dimension.buckets) {
    return [sql`${formatOutput(column, dimension.type, dimension.scale)} as ${key}`]
  }

  const labels = dimension.buckets.labels.map(
    (label, index) => sql`when ${sql.lit(index)} then ${localize(label, locale)}::text`,
  )
  return [
    sql`(case ${column} ${sql.join(labels, sql` `)} end) as ${key}`,
    sql`${column} as ${sql.id(`${dimension.key}__index`)}`,
  ]
}

function measureOutput(measure: PlannedMeasure): Sql {
  const column = sql.id(measure.column)
  const counted = measure.agg === 'count' || measure.agg === 'count_distinct'
  const value = counted && measure.type === 'integer'
    ? column
    : formatOutput(column, measure.type, measure.scale)
  return sql`${value} as ${sql.id(measure.key)}`
}

/**
 * Requested keys first, then every other dimension in order; nulls last.
 * Terms name the inner columns (a bucket's index, a measure before
 * rounding); texts sort by code point (collate "C") so that PGlite and a
 * server with another default collation agree.
 */
function orderBy(plan: ReportPlan): Sql {
  const terms: Sql[] = []
  const sorted = new Set<string>()
  const term = (key: string, dir: 'asc' | 'desc'): Sql => {
    const output = [...plan.dimensions, ...plan.measures].find((item) => item.key === key)
    const column = sql.id(output?.column ?? key)
    const collate = output?.type === 'text' && !('buckets' in output && output.buckets)
      ? sql` collate "C"`
      : sql``
    return sql`${column}${collate} ${dir === 'desc' ? sql`desc` : sql`asc`} nulls last`
  }

  for (const { key, dir } of plan.sort) {
    sorted.add(key)
    terms.push(term(key, dir))
  }
  for (const dimension of plan.dimensions) {
    if (!sorted.has(dimension.key)) terms.push(term(dimension.key, 'asc'))
  }
  return terms.length === 0 ? sql`` : sql` order by ${sql.join(terms)}`
}
