import { type RawBuilder, sql } from 'kysely'

import { TesseraError } from '@tessera/core'

import {
  type PlannedDimension,
  bucketIndex,
  grainStart,
  isIntegerValue,
  rangeIndex,
} from './plan-dimensions.js'
import { type PlannedMeasure, isDerived } from './plan-measures.js'
import type { ReportPlan } from './plan-report.js'

type Sql = RawBuilder<unknown>

/** A named step of the statement's WITH list, and the name of its result. */
export interface Steps {
  steps: Sql[]
  last: string
}

export function aggregatesOf(plan: ReportPlan): PlannedMeasure[] {
  return plan.measures.filter((measure) => !isDerived(measure.agg))
}

/**
 * One period's groups, in two to four steps named with `prefix` (the
 * previous period's branch of a comparison is "__p"):
 *
 *   "__base"     select <dimension values>, <measure inputs> from <source> where …
 *   "__bucketed" … numbers turned into bucket indexes (when edges are used)
 *   "__grouped"  select <dimensions>, <aggregates> from … group by …
 *                (grouping sets with total flags for a pivot)
 *   "__filled"   … every bucket of a filling dimension (not for a pivot)
 *
 * Grouping by the inner column names (not by repeating the expressions)
 * keeps Postgres from comparing two copies of an expression whose
 * parameters got different numbers.
 */
export function branchSteps(plan: ReportPlan, prefix: string): Steps {
  const name = (step: string) => `${prefix}__${step}`
  const steps = [sql`${sql.id(name('base'))} as (${baseSelect(plan)})`]
  let last = name('base')

  if (plan.dimensions.some((dimension) => dimension.buckets)) {
    steps.push(sql`${sql.id(name('bucketed'))} as (${bucketedSelect(plan, last)})`)
    last = name('bucketed')
  }
  steps.push(sql`${sql.id(name('grouped'))} as (${groupedSelect(plan, last)})`)
  last = name('grouped')

  const fills = !plan.pivot && plan.dimensions.some((dimension) => dimension.buckets?.fill)
  if (fills) {
    steps.push(sql`${sql.id(name('filled'))} as (${filledSelect(plan, last)})`)
    last = name('filled')
  }
  return { steps, last }
}

/** A grain's period start and a range's index are computed here, on the value itself. */
function baseValue(dimension: PlannedDimension): Sql {
  if (dimension.grain) return grainStart(dimension.value.sql, dimension.grain)
  if (dimension.ranges) return rangeIndex(dimension.value.sql, dimension.ranges)
  return dimension.value.sql
}

function baseSelect(plan: ReportPlan): Sql {
  const columns: Sql[] = plan.dimensions.map(
    (dimension) => sql`${baseValue(dimension)} as ${sql.id(dimension.column)}`,
  )
  for (const measure of aggregatesOf(plan)) {
    if (measure.value) columns.push(sql`${measure.value.sql} as ${sql.id(measure.column)}`)
  }
  if (columns.length === 0) columns.push(sql`1 as "__row"`)

  const where = plan.conditions.length > 0
    ? sql` where ${sql.join(plan.conditions, sql` and `)}`
    : sql``
  return sql`select ${sql.join(columns)} from ${plan.source.from()}${where}`
}

/** Buckets the numbers once computed, so the CASE repeats a column name only. */
function bucketedSelect(plan: ReportPlan, from: string): Sql {
  const columns: Sql[] = plan.dimensions.map((dimension) => {
    const column = sql.id(dimension.column)
    if (!dimension.buckets) return column
    return sql`${bucketIndex(column, dimension.buckets.edges, isIntegerValue(dimension))} as ${column}`
  })
  for (const measure of aggregatesOf(plan)) {
    if (measure.value) columns.push(sql.id(measure.column))
  }
  if (columns.length === 0) columns.push(sql`1 as "__row"`)
  return sql`select ${sql.join(columns)} from ${sql.id(from)}`
}

function groupedSelect(plan: ReportPlan, from: string): Sql {
  const dimensions = plan.dimensions.map((dimension) => sql.id(dimension.column))
  const aggregates = aggregatesOf(plan).map(
    (measure) => sql`${aggregate(measure)} as ${sql.id(measure.column)}`,
  )
  const columns = [...dimensions, ...aggregates]
  if (plan.pivot) {
    const pivot = pivotGrouping(plan)
    return sql`select ${sql.join([...columns, ...pivot.flags])} from ${sql.id(from)}${pivot.groupBy}`
  }
  const groupBy = dimensions.length > 0 ? sql` group by ${sql.join(dimensions)}` : sql``
  return sql`select ${sql.join(columns)} from ${sql.id(from)}${groupBy}`
}

/**
 * Rows × columns with their totals in one pass: grouping sets (all), (the
 * row dimensions), (the column dimensions) and (), flagged by grouping().
 */
function pivotGrouping(plan: ReportPlan): { flags: Sql[]; groupBy: Sql } {
  const across = new Set(plan.pivot?.columns ?? [])
  const ids = (list: PlannedDimension[]) => list.map((dimension) => sql.id(dimension.column))
  const rows = ids(plan.dimensions.filter((dimension) => !across.has(dimension.key)))
  const columns = ids(plan.dimensions.filter((dimension) => across.has(dimension.key)))

  const sets = rows.length > 0
    ? [[...rows, ...columns], rows, columns, []]
    : [columns, []]
  const set = (list: Sql[]) => (list.length > 0 ? sql`(${sql.join(list)})` : sql`()`)
  const groupBy = sql` group by grouping sets (${sql.join(sets.map(set))})`
  const rowTotal = sql`(grouping(${sql.join(columns)}) <> 0) as "__row_total"`
  const columnTotal = rows.length > 0
    ? sql`(grouping(${sql.join(rows)}) <> 0) as "__column_total"`
    : sql`(grouping(${sql.join(columns)}) <> 0) as "__column_total"`
  return { flags: [rowTotal, columnTotal], groupBy }
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
    case 'ratio':
    case 'running':
      // Derived measures are computed after grouping; aggregatesOf leaves them out.
      throw new TesseraError('internal', `measure "${measure.key}" is not an aggregate`)
  }
}

/**
 * Every combination of the other dimensions' values (as grouped) with every
 * bucket index of each filling dimension, left-joined to the groups; rows
 * whose bucket is null (no value to bucket) are kept as they are.
 */
function filledSelect(plan: ReportPlan, from: string): Sql {
  const grouped = sql.id(from)
  const keys = sql.id('__keys')
  const group = sql.id('__g')
  const others = plan.dimensions.filter((dimension) => !dimension.buckets?.fill)
  const sources: Sql[] = []
  if (others.length > 0) {
    const columns = others.map((dimension) => sql.id(dimension.column))
    sources.push(sql`(select distinct ${sql.join(columns)} from ${grouped}) as ${keys}`)
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
  const aggregates = aggregatesOf(plan)
  for (const measure of aggregates) {
    const value = sql.id('__g', measure.column)
    const zero = ['sum', 'count', 'count_distinct'].includes(measure.agg)
    select.push(zero ? sql`coalesce(${value}, 0) as ${sql.id(measure.column)}` : value)
  }

  const unbucketed = plan.dimensions
    .filter((dimension) => dimension.buckets?.fill)
    .map((dimension) => sql`${sql.id(dimension.column)} is null`)
  const everything = [
    ...plan.dimensions.map((dimension) => sql.id(dimension.column)),
    ...aggregates.map((measure) => sql.id(measure.column)),
  ]
  const crossed = sql.join(sources, sql` cross join `)
  const joined = sql`${grouped} as ${group} on ${sql.join(on, sql` and `)}`
  const filled = sql`select ${sql.join(select)} from ${crossed} left join ${joined}`
  const unbucketedRows = sql`from ${grouped} where ${sql.join(unbucketed, sql` or `)}`
  const kept = sql`select ${sql.join(everything)} ${unbucketedRows}`
  return sql`${filled} union all ${kept}`
}
