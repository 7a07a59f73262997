import type { LocalizedText } from '@tessera/core'

import { compileExpr } from './compile-expr.js'
import { at, show } from './issue-list.js'
import type { Scope } from './scope.js'
import { extraKeys, isLocalizedText } from './shape.js'
import type { MeasureAggregate, MeasureType, ReportValueType } from './spec.js'
import { type Typed, type ValueType, columnType, describe, moneyScaleOf } from './value-type.js'

/** A measure ready for SQL, with the result type it comes back as. */
export interface PlannedMeasure {
  key: string
  label: LocalizedText
  agg: MeasureAggregate
  /** The statement's inner column name, such as "__m0". */
  column: string
  /** Absent for a plain count of rows. */
  value?: Typed
  type: ReportValueType
  /** Digits after the point: always set for money. */
  scale?: number
}

const MEASURE_PROPERTIES = ['key', 'label', 'agg', 'expr', 'type', 'scale']
const AGGREGATES: readonly MeasureAggregate[] = [
  'sum',
  'count',
  'count_distinct',
  'avg',
  'min',
  'max',
]
const TYPES: readonly MeasureType[] = ['money', 'number', 'integer', 'text', 'date']
const MAX_SCALE = 10

/** Checks and compiles one measure (its key is checked by the caller). */
export async function planMeasure(
  raw: Record<string, unknown>,
  index: number,
  scope: Scope,
  path: string,
): Promise<PlannedMeasure | undefined> {
  const { issues } = scope.context
  const before = issues.size
  for (const name of extraKeys(raw, MEASURE_PROPERTIES)) {
    issues.add(at(path, name), 'unknown_property', {
      zh: `度量不支持属性 ${name}`,
      en: `a measure has no property "${name}"`,
    }, { expected: MEASURE_PROPERTIES })
  }

  const agg = AGGREGATES.find((candidate) => candidate === raw.agg)
  if (!agg) {
    issues.add(at(path, 'agg'), 'enum', {
      zh: `agg 须为 ${AGGREGATES.join('、')} 之一，收到 ${show(raw.agg)}`,
      en: `agg must be one of ${AGGREGATES.join(', ')}, got ${show(raw.agg)}`,
    }, { expected: AGGREGATES, received: raw.agg })
  }
  const declared = raw.type === undefined ? undefined : TYPES.find((type) => type === raw.type)
  if (raw.type !== undefined && !declared) {
    issues.add(at(path, 'type'), 'enum', {
      zh: `type 须为 ${TYPES.join('、')} 之一，收到 ${show(raw.type)}`,
      en: `type must be one of ${TYPES.join(', ')}, got ${show(raw.type)}`,
    }, { expected: TYPES, received: raw.type })
  }
  const scaleOk = raw.scale === undefined ||
    (Number.isInteger(raw.scale) && Number(raw.scale) >= 0 && Number(raw.scale) <= MAX_SCALE)
  if (!scaleOk) {
    issues.add(at(path, 'scale'), 'type', {
      zh: `scale 须为 0 到 ${MAX_SCALE} 的整数`,
      en: `scale must be an integer from 0 to ${MAX_SCALE}`,
    }, { received: raw.scale })
  }

  let value: Typed | undefined
  if (raw.expr !== undefined) value = await compileExpr(raw.expr, scope, at(path, 'expr'))
  else if (agg && agg !== 'count') {
    issues.add(at(path, 'expr'), 'required', {
      zh: `${agg} 度量需要 expr`,
      en: `a ${agg} measure needs an expr`,
    })
  }
  if (!agg || issues.size > before) return undefined

  const inferred = aggregateType(agg, value?.type)
  const scale = typeof raw.scale === 'number' ? raw.scale : undefined
  const resolved = resolveType(inferred, declared, scale, scope, at(path, 'type'))
  if (!resolved || issues.size > before) return undefined

  const key = String(raw.key)
  const label = isLocalizedText(raw.label) ? raw.label : key
  return { key, label, agg, column: `__m${index}`, value, ...resolved }
}

/** What an aggregate over a value of `type` gives, as a result type. */
type Aggregated =
  | { ok: true; type: ReportValueType; moneyScale?: number }
  | { ok: false; got: string }

function aggregateType(agg: MeasureAggregate, type: ValueType | undefined): Aggregated {
  if (agg === 'count' || agg === 'count_distinct') return { ok: true, type: 'integer' }
  if (!type) return { ok: false, got: 'nothing' }

  const moneyScale = moneyScaleOf(type)
  const numeric = type.kind === 'number' || type.kind === 'null'
  if (agg === 'sum' && numeric) return { ok: true, type: columnType(type), moneyScale }
  if (agg === 'avg' && numeric) {
    return { ok: true, type: moneyScale === undefined ? 'number' : 'money', moneyScale }
  }
  const orderable = ['number', 'null', 'date', 'text', 'timestamp'].includes(type.kind)
  if ((agg === 'min' || agg === 'max') && orderable) {
    return { ok: true, type: columnType(type), moneyScale }
  }
  return { ok: false, got: describe(type) }
}

/** A declared type must suit the value; money always gets a scale. */
function resolveType(
  inferred: Aggregated,
  declared: MeasureType | undefined,
  scale: number | undefined,
  scope: Scope,
  path: string,
): { type: ReportValueType; scale?: number } | undefined {
  const { issues } = scope.context
  if (!inferred.ok) {
    issues.add(path, 'type', {
      zh: `该聚合不能用于 ${inferred.got} 类型的值`,
      en: `this aggregate cannot be applied to a ${inferred.got} value`,
    }, { received: inferred.got })
    return undefined
  }

  const type = declared ?? inferred.type
  const numeric = ['money', 'number', 'integer'].includes(inferred.type)
  const suits = declared === undefined ||
    declared === inferred.type ||
    (numeric && (declared === 'money' || declared === 'number' || declared === 'integer'))
  if (!suits) {
    issues.add(path, 'type', {
      zh: `声明的类型 ${declared} 与计算结果 ${inferred.type} 不符`,
      en: `declared type "${declared}" does not suit a ${inferred.type} result`,
    }, { expected: inferred.type, received: declared })
    return undefined
  }

  if (type === 'money') return { type, scale: scale ?? inferred.moneyScale ?? 2 }
  if (type === 'number' && scale !== undefined) return { type, scale }
  return { type }
}
