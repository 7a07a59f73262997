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
  /** ratio: [numerator, denominator]; running: [the measure accumulated]. */
  of?: string[]
  /** running: the dimensions it runs along, in order (set by planDerived). */
  along?: string[]
  /** ratio: what the quotient is multiplied by (90 for days, 100 for percent). */
  factor?: number
  /** compare: the period param whose previous period is computed too. */
  compare?: { period: string }
  /** Computed for other measures (a running total's), not shown as a column. */
  hidden?: boolean
}

const MEASURE_PROPERTIES = [
  'key',
  'label',
  'agg',
  'expr',
  'of',
  'along',
  'factor',
  'compare',
  'period',
  'type',
  'scale',
  'hidden',
]
const AGGREGATES: readonly MeasureAggregate[] = [
  'sum',
  'count',
  'count_distinct',
  'avg',
  'min',
  'max',
  'ratio',
  'running',
]

/** Measures computed from other measures after grouping. */
/** The most dimensions a running total runs along. */
const MAX_ALONG = 4

export function isDerived(agg: MeasureAggregate): agg is 'ratio' | 'running' {
  return agg === 'ratio' || agg === 'running'
}

/** The default digits of a ratio, and of change rates. */
export const RATIO_SCALE = 4
const TYPES: readonly MeasureType[] = ['money', 'number', 'integer', 'text', 'date']
const MAX_SCALE = 10

/** Checks and compiles one measure (its key is checked by the caller). */
export async function planMeasure(
  raw: Record<string, unknown>,
  index: number,
  scope: Scope,
  path: string,
): Promise<PlannedMeasure | undefined> {
  if (raw.hidden !== undefined && typeof raw.hidden !== 'boolean') {
    scope.context.issues.add(at(path, 'hidden'), 'type', {
      zh: `hidden 须为 true 或 false，收到 ${show(raw.hidden)}`,
      en: `hidden must be true or false, got ${show(raw.hidden)}`,
    }, { expected: 'boolean', received: raw.hidden })
  }
  const planned = await planMeasureShape(raw, index, scope, path)
  return planned && raw.hidden === true ? { ...planned, hidden: true } : planned
}

async function planMeasureShape(
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

  if (agg && isDerived(agg)) return planDerivedShape(raw, agg, index, path, scope, before)
  for (const name of ['of', 'along', 'factor'] as const) {
    if (raw[name] === undefined) continue
    issues.add(at(path, name), 'expression', {
      zh: `${name} 只用于 ratio 和 running 度量`,
      en: `${name} belongs to ratio and running measures`,
    })
  }
  const compare = checkCompare(raw, scope, path)

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
  return { key, label, agg, column: `__m${index}`, value, ...resolved, ...compare }
}

/**
 * The shape of a ratio or running measure; its `of` keys, its type and
 * `along` are checked against the other measures by planDerived.
 */
function planDerivedShape(
  raw: Record<string, unknown>,
  agg: 'ratio' | 'running',
  index: number,
  path: string,
  scope: Scope,
  before: number,
): PlannedMeasure | undefined {
  const { issues } = scope.context
  const of = raw.of
  const ofOk = agg === 'ratio'
    ? Array.isArray(of) && of.length === 2 && of.every((item) => typeof item === 'string')
    : typeof of === 'string'
  if (!ofOk) {
    issues.add(at(path, 'of'), 'type', {
      zh: agg === 'ratio'
        ? 'ratio 的 of 须为 [分子度量, 分母度量]'
        : 'running 的 of 须为被累计的度量键',
      en: agg === 'ratio'
        ? 'a ratio needs of: [numerator measure, denominator measure]'
        : 'a running measure needs of: the key of the measure it accumulates',
    }, { received: of })
  }
  if (raw.expr !== undefined) {
    issues.add(at(path, 'expr'), 'expression', {
      zh: `${agg} 度量由其他度量计算，不能有 expr`,
      en: `a ${agg} measure is computed from other measures and takes no expr`,
    })
  }
  const alongOk = raw.along === undefined || typeof raw.along === 'string' || (Array.isArray(raw.along) &&
    raw.along.length >= 1 && raw.along.length <= MAX_ALONG && raw.along.every((one) => typeof one === 'string'))
  if (agg === 'running' && !alongOk) {
    issues.add(at(path, 'along'), 'type', {
      zh: `along 须为维度键，或 1 到 ${MAX_ALONG} 个维度键的列表`,
      en: `along must be a dimension key, or a list of 1 to ${MAX_ALONG} dimension keys`,
    }, { received: raw.along })
  }
  if (agg === 'ratio' && raw.along !== undefined) {
    issues.add(at(path, 'along'), 'expression', {
      zh: 'along 只用于 running 度量',
      en: 'along belongs to running measures',
    })
  }
  const factorOk = raw.factor === undefined ||
    (agg === 'ratio' && typeof raw.factor === 'number' && Number.isFinite(raw.factor))
  if (!factorOk) {
    issues.add(at(path, 'factor'), 'type', {
      zh: 'factor 只用于 ratio 度量，且须为有限数字',
      en: 'factor belongs to ratio measures and must be a finite number',
    }, { received: raw.factor })
  }
  const allowed: MeasureType[] = agg === 'ratio' ? ['number'] : ['number', 'money', 'integer']
  if (raw.type !== undefined && !allowed.includes(raw.type as MeasureType)) {
    issues.add(at(path, 'type'), 'enum', {
      zh: `${agg} 度量的 type 须为 ${allowed.join('、')} 之一，收到 ${show(raw.type)}`,
      en: `a ${agg} measure's type must be one of ${allowed.join(', ')}, got ${show(raw.type)}`,
    }, { expected: allowed, received: raw.type })
  }
  const compare = checkCompare(raw, scope, path)
  const scaleOk = raw.scale === undefined ||
    (Number.isInteger(raw.scale) && Number(raw.scale) >= 0 && Number(raw.scale) <= MAX_SCALE)
  if (issues.size > before || !scaleOk) return undefined

  const key = String(raw.key)
  const label = isLocalizedText(raw.label) ? raw.label : key
  const scale = typeof raw.scale === 'number' ? raw.scale : undefined
  const along = typeof raw.along === 'string' ? [raw.along] : Array.isArray(raw.along) ? raw.along.map(String) : undefined
  return {
    key,
    label,
    agg,
    column: `__m${index}`,
    type: 'number',
    scale: agg === 'ratio' ? (scale ?? RATIO_SCALE) : scale,
    of: typeof of === 'string' ? [of] : (of as string[]),
    ...(along === undefined ? {} : { along }),
    ...(typeof raw.factor === 'number' ? { factor: raw.factor } : {}),
    ...compare,
  }
}

/** `compare: "previous"` with an optional `period` param name. */
function checkCompare(
  raw: Record<string, unknown>,
  scope: Scope,
  path: string,
): { compare?: { period: string } } {
  const { issues } = scope.context
  if (raw.compare === undefined) {
    if (raw.period !== undefined) {
      issues.add(at(path, 'period'), 'expression', {
        zh: 'period 只与 compare 一起使用',
        en: 'period goes with compare',
      })
    }
    return {}
  }
  if (raw.compare !== 'previous') {
    issues.add(at(path, 'compare'), 'enum', {
      zh: `compare 只能为 "previous"，收到 ${show(raw.compare)}`,
      en: `compare can only be "previous", got ${show(raw.compare)}`,
    }, { expected: ['previous'], received: raw.compare })
    return {}
  }
  if (raw.period !== undefined && typeof raw.period !== 'string') {
    issues.add(at(path, 'period'), 'type', {
      zh: 'period 须为期间参数的键',
      en: 'period must name a period param',
    }, { received: raw.period })
    return {}
  }
  return { compare: { period: typeof raw.period === 'string' ? raw.period : '' } }
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
