import { type IssueList, at, show } from './issue-list.js'
import type { PlannedDimension } from './plan-dimensions.js'
import { type PlannedMeasure, isDerived } from './plan-measures.js'
import type { ReportParamSpec } from './spec.js'

/**
 * Checks what measures say about each other and about params: the `of`
 * keys of ratios and running totals, the dimension a running total runs
 * along, and the period param a comparison shifts. Fills in `along`, a
 * running total's type, and the compared period's name.
 */
export function planDerived(
  measures: PlannedMeasure[],
  dimensions: PlannedDimension[],
  params: ReportParamSpec[],
  issues: IssueList,
): void {
  const byKey = new Map(measures.map((measure) => [measure.key, measure]))
  measures.forEach((measure, index) => {
    const path = at('measures', index)
    if (measure.agg === 'ratio') checkRatio(measure, byKey, path, issues)
    if (measure.agg === 'running') checkRunning(measure, byKey, dimensions, path, issues)
    if (measure.compare) checkComparedPeriod(measure, params, path, issues)
  })
}

function aggregateOf(
  key: string,
  byKey: ReadonlyMap<string, PlannedMeasure>,
): PlannedMeasure | undefined {
  const found = byKey.get(key)
  return found && !isDerived(found.agg) ? found : undefined
}

function checkRatio(
  measure: PlannedMeasure,
  byKey: ReadonlyMap<string, PlannedMeasure>,
  path: string,
  issues: IssueList,
): void {
  measure.of?.forEach((key, index) => {
    const found = aggregateOf(key, byKey)
    const numeric = found && ['money', 'number', 'integer'].includes(found.type)
    if (numeric) return
    issues.add(at(at(path, 'of'), index), 'unknown_key', {
      zh: `ratio 的 ${show(key)} 须为本报表的数值聚合度量（不能是 ratio 或 running）`,
      en: `ratio operand ${show(key)} must be a numeric aggregate measure of this report (not a ratio or running total)`,
    }, { expected: [...byKey.keys()], received: key })
  })
}

function checkRunning(
  measure: PlannedMeasure,
  byKey: ReadonlyMap<string, PlannedMeasure>,
  dimensions: PlannedDimension[],
  path: string,
  issues: IssueList,
): void {
  const key = measure.of?.[0] ?? ''
  const found = aggregateOf(key, byKey)
  if (!found || (found.agg !== 'sum' && found.agg !== 'count')) {
    issues.add(at(path, 'of'), 'unknown_key', {
      zh: `running 累计的 ${show(key)} 须为本报表的 sum 或 count 度量`,
      en: `a running total accumulates a sum or count measure of this report, got ${show(key)}`,
    }, { expected: [...byKey.keys()], received: key })
  } else {
    measure.type = found.type
    if (found.scale !== undefined) measure.scale = measure.scale ?? found.scale
  }

  const first = dimensions[0]?.key
  const along = measure.along ?? (first === undefined ? [] : [first])
  const stray = along.find((key) => !dimensions.some((dimension) => dimension.key === key))
  if (along.length === 0 || stray !== undefined || new Set(along).size !== along.length) {
    const given = measure.along?.length === 1 ? measure.along[0] : measure.along
    issues.add(at(path, 'along'), 'unknown_key', {
      zh: `running 须沿本报表的维度累计（每个维度一次），收到 ${show(given)}`,
      en: `a running total runs along dimensions of the report (each once), got ${show(given)}`,
    }, { expected: dimensions.map((dimension) => dimension.key), received: given })
    return
  }
  measure.along = along
}

/** The compared period param: named, or the only one; it must always have a value. */
function checkComparedPeriod(
  measure: PlannedMeasure,
  params: ReportParamSpec[],
  path: string,
  issues: IssueList,
): void {
  const periods = params.filter((param) => param.type === 'period')
  const named = measure.compare?.period
  const param = named
    ? periods.find((candidate) => candidate.key === named)
    : periods.length === 1 ? periods[0] : undefined
  if (!param) {
    issues.add(at(path, named ? 'period' : 'compare'), 'unknown_param', {
      zh: named
        ? `compare 的期间参数 ${show(named)} 未声明或不是 period 类型`
        : 'compare 需要报表恰好有一个 period 参数，或用 period 指明',
      en: named
        ? `compared period ${show(named)} is not a declared period param`
        : 'compare needs exactly one period param in the report, or one named in period',
    }, { expected: periods.map((candidate) => candidate.key), received: named })
    return
  }
  if (!param.required && param.default === undefined) {
    issues.add(at(path, 'compare'), 'required', {
      zh: `被比较的期间参数 ${param.key} 须为必填或有默认值`,
      en: `the compared period param "${param.key}" must be required or have a default`,
    })
    return
  }
  if (!['money', 'number', 'integer'].includes(measure.type)) {
    issues.add(at(path, 'compare'), 'type', {
      zh: `只有数值度量可与上期比较，${measure.key} 为 ${measure.type}`,
      en: `only numeric measures can be compared with the previous period; "${measure.key}" is ${measure.type}`,
    }, { received: measure.type })
    return
  }
  measure.compare = { period: param.key }
}
