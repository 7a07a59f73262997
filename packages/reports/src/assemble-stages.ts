import { type RawBuilder, sql } from 'kysely'

import { aggregatesOf, type Steps } from './assemble-branch.js'
import type { PlannedDimension } from './plan-dimensions.js'
import type { PlannedMeasure } from './plan-measures.js'
import type { ReportPlan } from './plan-report.js'

type Sql = RawBuilder<unknown>

/** The column holding a measure's previous-period value. */
export function previousColumn(measure: PlannedMeasure): string {
  return `${measure.column}__p`
}

function dimensionIds(plan: ReportPlan): Sql[] {
  return plan.dimensions.map((dimension) => sql.id(dimension.column))
}

/**
 * "__merged": this period's and the previous period's groups side by side,
 * matched by dimension values. A union grouped again (rather than a full
 * join) treats null dimension values as equal; each side has at most one
 * row per group, so max() picks its value. A group missing on one side has
 * sums and counts of 0 there.
 */
export function mergedStep(plan: ReportPlan, current: string, previous: string): Steps {
  const aggregates = aggregatesOf(plan)
  const dimensions = dimensionIds(plan)
  const side = (from: string, mine: boolean) => {
    const values = aggregates.flatMap((measure) => {
      const column = sql.id(measure.column)
      return mine
        ? [sql`${column}`, sql`null as ${sql.id(previousColumn(measure))}`]
        : [sql`null as ${column}`, sql`${column} as ${sql.id(previousColumn(measure))}`]
    })
    return sql`select ${sql.join([...dimensions, ...values])} from ${sql.id(from)}`
  }

  const merged = aggregates.flatMap((measure) => {
    const zero = ['sum', 'count', 'count_distinct'].includes(measure.agg)
    return [measure.column, previousColumn(measure)].map((name) => {
      const value = sql`max(${sql.id(name)})`
      return sql`${zero ? sql`coalesce(${value}, 0)` : value} as ${sql.id(name)}`
    })
  })
  const union = sql`(${side(current, true)} union all ${side(previous, false)}) as "__sides"`
  const groupBy = dimensions.length > 0 ? sql` group by ${sql.join(dimensions)}` : sql``
  const select = sql`select ${sql.join([...dimensions, ...merged])} from ${union}${groupBy}`
  return { steps: [sql`"__merged" as (${select})`], last: '__merged' }
}

/** The aggregate that combines a measure's group values into a larger group's value. */
function combining(measure: PlannedMeasure, column: string): Sql {
  const value = sql.id(column)
  if (measure.agg === 'min') return sql`min(${value})`
  if (measure.agg === 'max') return sql`max(${value})`
  return sql`sum(${value})`
}

function reaggregate(measure: PlannedMeasure, column: string): Sql {
  const combined = combining(measure, column)
  return measure.agg === 'min' || measure.agg === 'max' ? combined : sql`coalesce(${combined}, 0)`
}

/**
 * "__ranked" ranks the top dimension's values by the `by` measure summed
 * over the other dimensions (a window, so no join back); "__topped" keeps
 * the first n and, unless others are dropped, folds the rest into one
 * group flagged "__others". n is a checked integer inlined as a literal so
 * that the CASE in the select list and in GROUP BY are the same text.
 */
export function topSteps(plan: ReportPlan, from: string, previous: boolean): Steps {
  const top = plan.top
  const dimension = plan.dimensions.find((candidate) => candidate.key === top?.dimension)
  const by = plan.measures.find((measure) => measure.key === top?.by)
  if (!top || !dimension || !by) return { steps: [], last: from }

  const column = sql.id(dimension.column)
  const rankValue = sql`${combining(by, by.column)} over (partition by ${column})`
  const direction = top.dir === 'asc' ? sql`asc` : sql`desc`
  const order = sql`"__top_value" ${direction} nulls last, ${column} collate "C" asc nulls last`
  const withValue = sql`select *, ${rankValue} as "__top_value" from ${sql.id(from)}`
  const ranked = sql`select *, dense_rank() over (order by ${order}) as "__rank" from (${withValue}) as "__v"`
  const steps = [sql`"__ranked" as (${ranked})`]

  const n = sql.lit(top.n)
  if (top.others === false) {
    const kept = sql`select * from "__ranked" where "__rank" <= ${n}`
    steps.push(sql`"__topped" as (${kept})`)
    return { steps, last: '__topped' }
  }

  const folded = sql`(case when "__rank" <= ${n} then ${column} end)`
  const others = sql`("__rank" > ${n})`
  const keys = plan.dimensions.map((candidate) =>
    candidate === dimension ? folded : sql.id(candidate.column))
  const select = plan.dimensions.map((candidate) =>
    candidate === dimension ? sql`${folded} as ${column}` : sql.id(candidate.column))
  for (const measure of aggregatesOf(plan)) {
    const names = previous ? [measure.column, previousColumn(measure)] : [measure.column]
    for (const name of names) select.push(sql`${reaggregate(measure, name)} as ${sql.id(name)}`)
  }
  select.push(sql`${others} as "__others"`)
  const grouped = sql`select ${sql.join(select)} from "__ranked" group by ${sql.join([...keys, others])}`
  steps.push(sql`"__topped" as (${grouped})`)
  return { steps, last: '__topped' }
}

/**
 * "__derived": ratios and running totals over the groups, for this period
 * and (when compared) the previous one. A ratio is exact numeric division,
 * null when either side is null or the denominator is 0.
 */
export function derivedStep(plan: ReportPlan, from: string, previous: boolean): Steps {
  const byKey = new Map(plan.measures.map((measure) => [measure.key, measure]))
  const columns: Sql[] = []
  for (const measure of plan.measures) {
    const names: Array<(item: PlannedMeasure) => string> = previous
      ? [(item) => item.column, previousColumn]
      : [(item) => item.column]
    for (const name of names) {
      const inputs = (measure.of ?? []).map((key) => byKey.get(key))
      if (inputs.some((input) => !input)) continue
      const [first, second] = inputs as PlannedMeasure[]
      if (measure.agg === 'ratio') {
        const numerator = measure.factor === undefined
          ? sql`cast(${sql.id(name(first))} as numeric)`
          : sql`(cast(${sql.id(name(first))} as numeric) * ${measure.factor}::numeric)`
        const ratio = sql`(${numerator} / nullif(${sql.id(name(second))}, 0))`
        columns.push(sql`${ratio} as ${sql.id(name(measure))}`)
      }
      if (measure.agg === 'running') {
        // The total runs over the groups as they are shown (money to the cent), so it adds up the rows.
        const shown = first.scale === undefined
          ? sql.id(name(first))
          : sql`round(cast(${sql.id(name(first))} as numeric), ${sql.lit(first.scale)})`
        columns.push(sql`${running(plan, measure, shown)} as ${sql.id(name(measure))}`)
      }
    }
  }
  if (columns.length === 0) return { steps: [], last: from }
  const select = sql`select *, ${sql.join(columns)} from ${sql.id(from)}`
  return { steps: [sql`"__derived" as (${select})`], last: '__derived' }
}

/** A running sum along some dimensions' order, restarting for each value of the others. */
function running(plan: ReportPlan, measure: PlannedMeasure, value: Sql): Sql {
  const keys = measure.along ?? []
  const along = keys.flatMap((key) => plan.dimensions.filter((dimension) => dimension.key === key))
  if (along.length === 0) return value

  const partition = plan.dimensions
    .filter((dimension) => !along.includes(dimension))
    .map((dimension) => sql.id(dimension.column))
  const othersAlong = plan.top?.others ? keys.includes(plan.top.dimension) : false
  if (plan.top?.others && !othersAlong) partition.push(sql`"__others"`)
  const order: Sql[] = []
  if (othersAlong) order.push(sql`"__others" asc`)
  for (const dimension of along) order.push(sql`${naturalOrder(dimension)} asc nulls last`)

  const over = partition.length > 0
    ? sql`partition by ${sql.join(partition)} order by ${sql.join(order)}`
    : sql`order by ${sql.join(order)}`
  return sql`sum(${value}) over (${over} rows between unbounded preceding and current row)`
}

/**
 * A dimension's inner column as it sorts: bucket and range indexes and
 * period starts as they are, texts by code point (collate "C") so that
 * PGlite and a server with another default collation agree.
 */
export function naturalOrder(dimension: PlannedDimension): Sql {
  const column = sql.id(dimension.column)
  const cut = dimension.buckets || dimension.ranges || dimension.grain
  return !cut && dimension.type === 'text' ? sql`${column} collate "C"` : column
}
