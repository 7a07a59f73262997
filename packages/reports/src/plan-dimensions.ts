import { type RawBuilder, sql } from 'kysely'

import type { LocalizedText } from '@tessera/core'

import { asDate } from './coerce.js'
import { compileExpr } from './compile-expr.js'
import { at, show } from './issue-list.js'
import type { Scope } from './scope.js'
import { extraKeys, isLocalizedText, isRecord } from './shape.js'
import type { DateGrain, ReportValueType } from './spec.js'
import { type Typed, columnType, describe, moneyScaleOf } from './value-type.js'

/**
 * A dimension ready for SQL. For buckets and ranges `value` is the number
 * cut; for a grain it is the date (timestamps already read in the company
 * time zone).
 */
export interface PlannedDimension {
  key: string
  label: LocalizedText
  /** The statement's inner column name, such as "__d0". */
  column: string
  value: Typed
  type: ReportValueType
  /** Digits after the point of a money value. */
  scale?: number
  buckets?: PlannedBuckets
  ranges?: PlannedRanges
  grain?: DateGrain
}

export interface PlannedBuckets {
  edges: number[]
  labels: LocalizedText[]
  fill: boolean
}

/** Equal ranges [origin + k·width, origin + (k+1)·width); k is the index. */
export interface PlannedRanges {
  width: number
  origin: number
}

export const DATE_GRAINS: readonly DateGrain[] = ['day', 'week', 'month', 'quarter', 'year']

const DIMENSION_PROPERTIES = ['key', 'label', 'expr', 'grain', 'buckets']
const BUCKET_PROPERTIES = ['expr', 'edges', 'width', 'origin', 'labels', 'fill']
/** The narrowest and widest equal range, and the farthest origin. */
const MIN_WIDTH = 0.0001
const MAX_RANGE = 1e15

/** Checks and compiles one dimension (its key is checked by the caller). */
export async function planDimension(
  raw: Record<string, unknown>,
  index: number,
  scope: Scope,
  path: string,
): Promise<PlannedDimension | undefined> {
  const { issues } = scope.context
  const before = issues.size
  for (const name of extraKeys(raw, DIMENSION_PROPERTIES)) {
    issues.add(at(path, name), 'unknown_property', {
      zh: `维度不支持属性 ${name}`,
      en: `a dimension has no property "${name}"`,
    }, { expected: DIMENSION_PROPERTIES })
  }
  if ((raw.expr === undefined) === (raw.buckets === undefined)) {
    issues.add(path, 'expression', {
      zh: '维度须且只能有 expr 或 buckets 之一',
      en: 'a dimension needs exactly one of expr and buckets',
    })
    return undefined
  }

  const key = String(raw.key)
  const label = isLocalizedText(raw.label) ? raw.label : key
  const column = `__d${index}`
  if (raw.grain !== undefined && raw.expr === undefined) {
    issues.add(at(path, 'grain'), 'expression', {
      zh: 'grain 只能与 expr 一起使用',
      en: 'grain goes with an expr (a date), not with buckets',
    })
  }
  if (raw.expr !== undefined) {
    const value = await compileExpr(raw.expr, scope, at(path, 'expr'))
    if (raw.grain !== undefined) {
      const grain = planGrain(raw.grain, value, scope, path)
      if (!grain || issues.size > before) return undefined
      return { key, label, column, value: grain.value, type: 'text', grain: grain.grain }
    }
    if (issues.size > before) return undefined
    const scale = moneyScaleOf(value.type)
    return { key, label, column, value, type: columnType(value.type), scale }
  }

  const buckets = await planBuckets(raw.buckets, scope, at(path, 'buckets'))
  if (!buckets || issues.size > before) return undefined
  return { key, label, column, value: buckets.value, type: 'text', ...buckets.plan }
}

/** A grain needs a date; a timestamp is read as a date in the company time zone. */
function planGrain(
  raw: unknown,
  value: Typed,
  scope: Scope,
  path: string,
): { grain: DateGrain; value: Typed } | undefined {
  const { issues } = scope.context
  const grain = DATE_GRAINS.find((candidate) => candidate === raw)
  if (!grain) {
    issues.add(at(path, 'grain'), 'enum', {
      zh: `grain 须为 ${DATE_GRAINS.join('、')} 之一，收到 ${show(raw)}`,
      en: `grain must be one of ${DATE_GRAINS.join(', ')}, got ${show(raw)}`,
    }, { expected: DATE_GRAINS, received: raw })
    return undefined
  }

  const kind = value.type.kind
  if (kind !== 'date' && kind !== 'timestamp' && kind !== 'invalid') {
    issues.add(at(path, 'expr'), 'type', {
      zh: `按 ${grain} 分组的表达式须为日期，收到 ${describe(value.type)}`,
      en: `a ${grain} grain needs a date expression, got ${describe(value.type)}`,
    }, { expected: 'date', received: describe(value.type) })
    return undefined
  }
  const date = asDate({ typed: value, path: at(path, 'expr') }, scope)
  const shift = scope.context.dateShift
  if (!shift) return { grain, value: date }
  // The previous period of a comparison: its dates move forward by the
  // period's length, so that they fall in the buckets of this period's.
  const moved = sql`(${date.sql} + make_interval(months => ${shift.months}::int, days => ${shift.days}::int))::date`
  return { grain, value: { ...date, sql: moved } }
}

type BucketPlan = { buckets: PlannedBuckets } | { ranges: PlannedRanges }

async function planBuckets(
  raw: unknown,
  scope: Scope,
  path: string,
): Promise<{ value: Typed; plan: BucketPlan } | undefined> {
  const { issues } = scope.context
  if (!isRecord(raw)) {
    issues.add(path, 'type', {
      zh: 'buckets 须为对象 { expr, edges, labels?, fill? }',
      en: 'buckets must be an object { expr, edges, labels?, fill? }',
    })
    return undefined
  }
  for (const name of extraKeys(raw, BUCKET_PROPERTIES)) {
    issues.add(at(path, name), 'unknown_property', {
      zh: `buckets 不支持属性 ${name}`,
      en: `buckets have no property "${name}"`,
    }, { expected: BUCKET_PROPERTIES })
  }

  const value = await compileExpr(raw.expr, scope, at(path, 'expr'))
  if (value.type.kind !== 'number' && value.type.kind !== 'invalid') {
    issues.add(at(path, 'expr'), 'type', {
      zh: `分段的表达式须为数字，收到 ${describe(value.type)}`,
      en: `buckets need a numeric expression, got ${describe(value.type)}`,
    }, { received: describe(value.type) })
  }

  if ((raw.edges === undefined) === (raw.width === undefined)) {
    issues.add(path, 'expression', {
      zh: 'buckets 须且只能有 edges 或 width 之一',
      en: 'buckets need exactly one of edges and width',
    })
    return undefined
  }
  if (raw.width !== undefined) {
    const ranges = checkRanges(raw, scope, path)
    return ranges && { value, plan: { ranges } }
  }

  const edges = checkEdges(raw.edges, scope, at(path, 'edges'))
  const labels = edges && checkLabels(raw.labels, edges, scope, at(path, 'labels'))
  if (raw.fill !== undefined && typeof raw.fill !== 'boolean') {
    issues.add(at(path, 'fill'), 'type', { zh: 'fill 须为布尔值', en: 'fill must be a boolean' })
  }
  if (raw.origin !== undefined) {
    issues.add(at(path, 'origin'), 'expression', {
      zh: 'origin 只用于 width 等宽分段',
      en: 'origin goes with width ranges, not with edges',
    })
  }
  if (!edges || !labels) return undefined

  return { value, plan: { buckets: { edges, labels, fill: raw.fill === true } } }
}

function checkRanges(
  raw: Record<string, unknown>,
  scope: Scope,
  path: string,
): PlannedRanges | undefined {
  const { issues } = scope.context
  const before = issues.size
  const width = raw.width
  // Within what a range's index (a bigint in SQL) and its bounds can hold for any stored amount:
  // a width of 1e-300 would save, and then fail every run.
  if (typeof width !== 'number' || !Number.isFinite(width) || width < MIN_WIDTH || width > MAX_RANGE) {
    issues.add(at(path, 'width'), 'type', {
      zh: `width 须为 ${MIN_WIDTH} 到 ${MAX_RANGE} 之间的正数，收到 ${show(width)}`,
      en: `width must be a positive number from ${MIN_WIDTH} to ${MAX_RANGE}, got ${show(width)}`,
    }, { received: width })
  }
  const origin = raw.origin ?? 0
  if (typeof origin !== 'number' || !Number.isFinite(origin) || Math.abs(origin) > MAX_RANGE) {
    issues.add(at(path, 'origin'), 'type', {
      zh: `origin 须为 -${MAX_RANGE} 到 ${MAX_RANGE} 之间的数字，收到 ${show(origin)}`,
      en: `origin must be a number from -${MAX_RANGE} to ${MAX_RANGE}, got ${show(origin)}`,
    }, { received: origin })
  }
  for (const name of ['labels', 'fill'] as const) {
    if (raw[name] === undefined) continue
    issues.add(at(path, name), 'expression', {
      zh: `${name} 只用于 edges 分段`,
      en: `${name} goes with edges, not with width ranges`,
    })
  }
  if (issues.size > before) return undefined
  return { width: width as number, origin: origin as number }
}

function checkEdges(raw: unknown, scope: Scope, path: string): number[] | undefined {
  const valid = Array.isArray(raw) && raw.length > 0 &&
    raw.every((edge) => typeof edge === 'number' && Number.isFinite(edge))
  if (!valid) {
    scope.context.issues.add(path, 'type', {
      zh: `edges 须为非空的数字数组，收到 ${show(raw)}`,
      en: `edges must be a non-empty array of numbers, got ${show(raw)}`,
    }, { received: raw })
    return undefined
  }

  const edges = raw as number[]
  const wrong = edges.findIndex((edge, index) => index > 0 && edge <= edges[index - 1])
  if (wrong > 0) {
    scope.context.issues.add(at(path, wrong), 'ascending', {
      zh: `edges 须严格递增：${edges[wrong - 1]} 之后是 ${edges[wrong]}`,
      en: `edges must be strictly ascending: ${edges[wrong]} follows ${edges[wrong - 1]}`,
    }, { received: edges })
    return undefined
  }
  return edges
}

function checkLabels(
  raw: unknown,
  edges: number[],
  scope: Scope,
  path: string,
): LocalizedText[] | undefined {
  if (raw === undefined) return defaultLabels(edges)

  const count = edges.length + 1
  if (!Array.isArray(raw) || raw.length !== count || !raw.every(isLocalizedText)) {
    scope.context.issues.add(path, 'type', {
      zh: `labels 须为 ${count} 个标签（edges 数量 + 1）`,
      en: `labels must hold ${count} labels (one more than edges)`,
    }, { expected: count, received: Array.isArray(raw) ? raw.length : raw })
    return undefined
  }
  return raw
}

/** Interval notation: "≤ 0", "(0, 30]", "> 30". */
function defaultLabels(edges: number[]): LocalizedText[] {
  const labels: LocalizedText[] = [`≤ ${edges[0]}`]
  for (let index = 1; index < edges.length; index += 1) {
    labels.push(`(${edges[index - 1]}, ${edges[index]}]`)
  }
  labels.push(`> ${edges[edges.length - 1]}`)
  return labels
}

/** k of the range [origin + k·width, origin + (k+1)·width) a value falls in. */
export function rangeIndex(value: RawBuilder<unknown>, ranges: PlannedRanges): RawBuilder<unknown> {
  const shifted = sql`(${value} - ${ranges.origin}::numeric)`
  return sql`cast(floor(${shifted} / ${ranges.width}::numeric) as bigint)`
}

/** "[30000, 40000)": the range of index k as text, computed exactly in SQL. */
export function rangeLabel(index: RawBuilder<unknown>, ranges: PlannedRanges): RawBuilder<unknown> {
  const low = sql`(${ranges.origin}::numeric + ${index} * ${ranges.width}::numeric)`
  const high = sql`(${low} + ${ranges.width}::numeric)`
  return sql`('[' || ${low}::text || ', ' || ${high}::text || ')')`
}

/**
 * The first day of the period a date falls in. The date is cast to a
 * timestamp without time zone first: date_trunc over a plain date would
 * pick the timestamptz overload and depend on the session's time zone.
 */
export function grainStart(value: RawBuilder<unknown>, grain: DateGrain): RawBuilder<unknown> {
  return sql`cast(date_trunc(${sql.lit(grain)}, cast(${value} as timestamp)) as date)`
}

/** to_char patterns of period labels: "2024-06-30", "2024-W26", "2024-06", "2024-Q2", "2024". */
const GRAIN_FORMATS: Record<DateGrain, string> = {
  day: 'YYYY-MM-DD',
  week: 'IYYY-"W"IW',
  month: 'YYYY-MM',
  quarter: 'YYYY-"Q"Q',
  year: 'YYYY',
}

export function grainLabel(start: RawBuilder<unknown>, grain: DateGrain): RawBuilder<unknown> {
  return sql`to_char(${start}, ${sql.lit(GRAIN_FORMATS[grain])})`
}

/**
 * (-∞, e1] → 0, (e1, e2] → 1, …, (en, +∞) → n; null stays null. `value`
 * is repeated once per edge, so callers pass a column rather than a long
 * expression where they can. The indexes are literals we generate; the
 * edges come from the spec and are parameters — bigint for an integer value
 * and whole edges, so that Postgres compares integers rather than casting
 * every row's value to numeric.
 */
export function bucketIndex(
  value: RawBuilder<unknown>,
  edges: number[],
  integer = false,
): RawBuilder<unknown> {
  const whole = integer && edges.every(Number.isSafeInteger)
  const branches = edges.map((edge, index) => {
    const bound = whole ? sql`${edge}::bigint` : sql`${edge}::numeric`
    return sql`when ${value} <= ${bound} then ${sql.lit(index)}`
  })
  const last = sql`when ${value} is not null then ${sql.lit(edges.length)}`
  return sql`(case ${sql.join(branches, sql` `)} ${last} end)`
}

/** True when a dimension's value is an integer (days between dates, counts). */
export function isIntegerValue(dimension: PlannedDimension): boolean {
  const type = dimension.value.type
  return type.kind === 'number' && type.integer
}
