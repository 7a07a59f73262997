import { type RawBuilder, sql } from 'kysely'

import type { LocalizedText } from '@tessera/core'

import { compileExpr } from './compile-expr.js'
import { at, show } from './issue-list.js'
import type { Scope } from './scope.js'
import { extraKeys, isLocalizedText, isRecord } from './shape.js'
import type { ReportValueType } from './spec.js'
import { type Typed, columnType, describe, moneyScaleOf } from './value-type.js'

/** A dimension ready for SQL; for buckets, `value` is the number bucketed. */
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
}

export interface PlannedBuckets {
  edges: number[]
  labels: LocalizedText[]
  fill: boolean
}

const DIMENSION_PROPERTIES = ['key', 'label', 'expr', 'buckets']
const BUCKET_PROPERTIES = ['expr', 'edges', 'labels', 'fill']

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
  if (raw.expr !== undefined) {
    const value = await compileExpr(raw.expr, scope, at(path, 'expr'))
    if (issues.size > before) return undefined
    const scale = moneyScaleOf(value.type)
    return { key, label, column, value, type: columnType(value.type), scale }
  }

  const buckets = await planBuckets(raw.buckets, scope, at(path, 'buckets'))
  if (!buckets || issues.size > before) return undefined
  return { key, label, column, value: buckets.value, type: 'text', buckets: buckets.plan }
}

async function planBuckets(
  raw: unknown,
  scope: Scope,
  path: string,
): Promise<{ value: Typed; plan: PlannedBuckets } | undefined> {
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

  const edges = checkEdges(raw.edges, scope, at(path, 'edges'))
  const labels = edges && checkLabels(raw.labels, edges, scope, at(path, 'labels'))
  if (raw.fill !== undefined && typeof raw.fill !== 'boolean') {
    issues.add(at(path, 'fill'), 'type', { zh: 'fill 须为布尔值', en: 'fill must be a boolean' })
  }
  if (!edges || !labels) return undefined

  return { value, plan: { edges, labels, fill: raw.fill === true } }
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

/**
 * (-∞, e1] → 0, (e1, e2] → 1, …, (en, +∞) → n; null stays null. `value`
 * is repeated once per edge, so callers pass a column rather than a long
 * expression where they can. The indexes are literals we generate; the
 * edges come from the spec and are parameters.
 */
export function bucketIndex(value: RawBuilder<unknown>, edges: number[]): RawBuilder<unknown> {
  const branches = edges.map(
    (edge, index) => sql`when ${value} <= ${edge}::numeric then ${sql.lit(index)}`,
  )
  const last = sql`when ${value} is not null then ${sql.lit(edges.length)}`
  return sql`(case ${sql.join(branches, sql` `)} ${last} end)`
}
