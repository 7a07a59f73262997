import { type RawBuilder, sql } from 'kysely'

import { type Locale, localize } from '@tessera/core'

import { branchSteps } from './assemble-branch.js'
import {
  derivedStep,
  mergedStep,
  naturalOrder,
  previousColumn,
  topSteps,
} from './assemble-stages.js'
import { formatOutput } from './format-output.js'
import { RATIO_SCALE, type PlannedMeasure } from './plan-measures.js'
import { type PlannedDimension, grainLabel, rangeLabel } from './plan-dimensions.js'
import type { ReportPlan } from './plan-report.js'

type Sql = RawBuilder<unknown>

/**
 * The whole report as one statement: the rolled-up sources (RollupTable),
 * this period's groups (see branchSteps), the previous period's beside them when a measure is
 * compared (mergedStep), the top values and their others (topSteps),
 * ratios and running totals (derivedStep), then the formatted columns,
 * order and limit:
 *
 *   with "__base" as (…), "__grouped" as (…), [more steps]
 *   select <labels, formatted measures> from <last step> order by … limit $n
 *
 * `previous` is the same spec planned with the compared period shifted back.
 */
export function assembleReport(
  plan: ReportPlan,
  locale: Locale,
  previous?: ReportPlan,
): RawBuilder<Record<string, unknown>> {
  const current = branchSteps(plan, '')
  const steps = [...plan.source.context.rollups.steps(), ...current.steps]
  let last = current.last

  if (previous) {
    const before = branchSteps(previous, '__p')
    steps.unshift(...previous.source.context.rollups.steps())
    const merged = mergedStep(plan, last, before.last)
    steps.push(...before.steps, ...merged.steps)
    last = merged.last
  }
  for (const stage of [topSteps, derivedStep]) {
    const next = stage(plan, last, previous !== undefined)
    steps.push(...next.steps)
    last = next.last
  }

  const projection = [
    ...plan.dimensions.flatMap((dimension) => dimensionOutput(plan, dimension, locale)),
    // A hidden measure has done its part in the steps above (a running total's movement).
    ...plan.measures.filter((measure) => !measure.hidden).flatMap((measure) => measureOutputs(measure, previous !== undefined)),
  ]
  if (plan.pivot) projection.push(sql`"__row_total"`, sql`"__column_total"`)
  const limit = plan.limit === undefined || plan.pivot ? sql`` : sql` limit ${plan.limit}`
  const select = sql`select ${sql.join(projection)} from ${sql.id(last)}`
  return sql<Record<string, unknown>>`with ${sql.join(steps)} ${select}${orderBy(plan)}${limit}`
}

function dimensionOutput(plan: ReportPlan, dimension: PlannedDimension, locale: Locale): Sql[] {
  const column = sql.id(dimension.column)
  const key = sql.id(dimension.key)
  const index = sql.id(`${dimension.key}__index`)
  if (dimension.buckets) {
    const labels = dimension.buckets.labels.map(
      (label, position) => sql`when ${sql.lit(position)} then ${localize(label, locale)}::text`,
    )
    return [sql`(case ${column} ${sql.join(labels, sql` `)} end) as ${key}`, sql`${column} as ${index}`]
  }
  if (dimension.ranges) {
    return [sql`${rangeLabel(column, dimension.ranges)} as ${key}`, sql`${column} as ${index}`]
  }
  if (dimension.grain) return [sql`${grainLabel(column, dimension.grain)} as ${key}`]

  const value = formatOutput(column, dimension.type, dimension.scale)
  const others = plan.top?.others
  if (others && plan.top?.dimension === dimension.key) {
    const label = localize(others, locale)
    return [sql`(case when "__others" then ${label}::text else ${value} end) as ${key}`]
  }
  return [sql`${value} as ${key}`]
}

function measureValue(measure: PlannedMeasure, column: string): Sql {
  const counted = measure.agg === 'count' || measure.agg === 'count_distinct'
  if (counted && measure.type === 'integer') return sql.id(column)
  return formatOutput(sql.id(column), measure.type, measure.scale)
}

/** A measure, and for a comparison its previous value, change and change rate. */
function measureOutputs(measure: PlannedMeasure, previous: boolean): Sql[] {
  const outputs = [sql`${measureValue(measure, measure.column)} as ${sql.id(measure.key)}`]
  if (!previous || !measure.compare) return outputs

  const now = sql.id(measure.column)
  const before = sql.id(previousColumn(measure))
  // The change of the figures as shown (each held to its scale first), so that a row reads
  // now − before exactly: 12.35 % against 8.94 % is 3.41 points, though the unrounded rates
  // differ by 3.4049.
  const change = sql`(${heldAt(now, measure)} - ${heldAt(before, measure)})`
  const rate = sql`(cast(${change} as numeric) / nullif(${heldAt(before, measure)}, 0))`
  outputs.push(
    sql`${measureValue(measure, previousColumn(measure))} as ${sql.id(`${measure.key}__previous`)}`,
    sql`${formatOutput(change, measure.type, measure.scale)} as ${sql.id(`${measure.key}__change`)}`,
    sql`${formatOutput(rate, 'number', RATIO_SCALE)} as ${sql.id(`${measure.key}__change_rate`)}`,
  )
  return outputs
}

/** A measure's value rounded as it is output: money and numbers with a scale to that scale. */
function heldAt(value: Sql, measure: PlannedMeasure): Sql {
  if (measure.type === 'money') return sql`round(cast(${value} as numeric), ${sql.lit(measure.scale ?? 2)})`
  if (measure.type === 'number' && measure.scale !== undefined) {
    return sql`round(cast(${value} as numeric), ${sql.lit(measure.scale)})`
  }
  // An integer is output as a whole number (an average of whole numbers too): its change is of those.
  if (measure.type === 'integer') return sql`round(cast(${value} as numeric), 0)`
  return value
}

/**
 * The "others" row last; then requested keys; then every other dimension
 * in its natural order (see naturalOrder); nulls last. Terms name the inner
 * columns, so a measure sorts before rounding.
 */
function orderBy(plan: ReportPlan): Sql {
  const terms: Sql[] = []
  if (plan.top?.others) terms.push(sql`"__others" asc`)
  const sorted = new Set<string>()
  const direction = (dir: 'asc' | 'desc') => (dir === 'desc' ? sql`desc` : sql`asc`)

  for (const { key, dir } of plan.sort) {
    sorted.add(key)
    const dimension = plan.dimensions.find((item) => item.key === key)
    const measure = plan.measures.find((item) => item.key === key)
    const column = dimension ? naturalOrder(dimension) : sql.id(measure?.column ?? key)
    terms.push(sql`${column} ${direction(dir)} nulls last`)
  }
  for (const dimension of plan.dimensions) {
    if (!sorted.has(dimension.key)) terms.push(sql`${naturalOrder(dimension)} asc nulls last`)
  }
  return terms.length === 0 ? sql`` : sql` order by ${sql.join(terms)}`
}
