import type { LocalizedText } from '@tessera/core'

import { type IssueList, at, show } from './issue-list.js'
import type { PlannedDimension } from './plan-dimensions.js'
import type { PlannedMeasure } from './plan-measures.js'
import { isLocalizedText, isRecord } from './shape.js'

export interface PlannedTop {
  dimension: string
  n: number
  by: string
  dir: 'asc' | 'desc'
  /** The label of the remaining values' row; false drops them. */
  others: LocalizedText | false
}

export interface PlannedPivot {
  columns: string[]
}

export const MAX_TOP = 1000
export const OTHERS_LABEL: LocalizedText = { 'zh-CN': '其他', en: 'Others' }

/** Aggregates whose "others" row can be computed from the groups' own values. */
const REAGGREGABLE = ['sum', 'count', 'min', 'max']

/**
 * Checks `top`: a plain text dimension (not buckets or a grain), a rank
 * measure, and, when the others are kept, measures that can be summed up
 * again from the groups (an average or a distinct count cannot).
 */
export function planTop(
  raw: unknown,
  dimensions: PlannedDimension[],
  measures: PlannedMeasure[],
  issues: IssueList,
): PlannedTop | undefined {
  if (raw === undefined) return undefined
  if (!isRecord(raw)) {
    issues.add('top', 'type', {
      zh: 'top 须为对象 { n, by, dimension?, dir?, others? }',
      en: 'top must be an object { n, by, dimension?, dir?, others? }',
    })
    return undefined
  }

  const before = issues.size
  const key = raw.dimension ?? dimensions[0]?.key
  const dimension = dimensions.find((candidate) => candidate.key === key)
  const plain = dimension && !dimension.buckets && !dimension.ranges && !dimension.grain
  if (!dimension || !plain || dimension.type !== 'text') {
    issues.add(at('top', 'dimension'), 'unknown_key', {
      zh: `top 须作用于一个文本维度（不能是分段或日期周期），收到 ${show(key)}`,
      en: `top works on a text dimension (not buckets or a date grain), got ${show(key)}`,
    }, { expected: dimensions.map((candidate) => candidate.key), received: key })
  }

  const n = raw.n
  if (!Number.isInteger(n) || Number(n) < 1 || Number(n) > MAX_TOP) {
    issues.add(at('top', 'n'), 'type', {
      zh: `top.n 须为 1 到 ${MAX_TOP} 的整数`,
      en: `top.n must be an integer from 1 to ${MAX_TOP}`,
    }, { received: n })
  }
  const by = measures.find((measure) => measure.key === raw.by)
  if (!by || !REAGGREGABLE.includes(by.agg)) {
    issues.add(at('top', 'by'), 'unknown_key', {
      zh: `top.by 须为 sum、count、min 或 max 度量，收到 ${show(raw.by)}`,
      en: `top.by must name a sum, count, min or max measure, got ${show(raw.by)}`,
    }, { expected: measures.map((measure) => measure.key), received: raw.by })
  }
  const dir = raw.dir ?? 'desc'
  if (dir !== 'asc' && dir !== 'desc') {
    issues.add(at('top', 'dir'), 'enum', {
      zh: `top.dir 须为 asc 或 desc，收到 ${show(dir)}`,
      en: `top.dir must be asc or desc, got ${show(dir)}`,
    }, { expected: ['asc', 'desc'], received: dir })
  }
  const others = raw.others ?? OTHERS_LABEL
  if (others !== false && !isLocalizedText(others)) {
    issues.add(at('top', 'others'), 'type', {
      zh: 'top.others 须为标签或 false',
      en: 'top.others must be a label or false',
    }, { received: others })
  }
  if (others !== false) checkReaggregable(measures, issues)

  if (issues.size > before || !dimension || !by) return undefined
  return {
    dimension: dimension.key,
    n: Number(n),
    by: by.key,
    dir: dir === 'asc' ? 'asc' : 'desc',
    others: others === false ? false : (others as LocalizedText),
  }
}

function checkReaggregable(measures: PlannedMeasure[], issues: IssueList): void {
  measures.forEach((measure, index) => {
    if (measure.agg === 'ratio' || measure.agg === 'running') return
    if (REAGGREGABLE.includes(measure.agg)) return
    issues.add(at(at('measures', index), 'agg'), 'top_others', {
      zh: `"其他" 行无法由分组结果重新计算 ${measure.agg} 度量 ${measure.key}；请设置 top.others 为 false`,
      en: `the "others" row cannot recombine the ${measure.agg} measure "${measure.key}" from groups; set top.others to false`,
    }, { received: measure.agg })
  })
}

/** Checks `pivot`: column dimensions of the report, and nothing it cannot total. */
export function planPivot(
  raw: unknown,
  dimensions: PlannedDimension[],
  measures: PlannedMeasure[],
  issues: IssueList,
): PlannedPivot | undefined {
  if (raw === undefined) return undefined
  const columns = isRecord(raw) ? raw.columns : undefined
  const keys = dimensions.map((dimension) => dimension.key)
  const valid = Array.isArray(columns) && columns.length > 0 &&
    columns.every((key) => keys.includes(key)) && new Set(columns).size === columns.length
  if (!valid) {
    issues.add(at('pivot', 'columns'), 'unknown_key', {
      zh: `pivot.columns 须为本报表不重复的维度键列表，收到 ${show(columns)}`,
      en: `pivot.columns must list distinct dimension keys of this report, got ${show(columns)}`,
    }, { expected: keys, received: columns })
    return undefined
  }
  if (columns.length === keys.length) {
    // Rows are what a pivot totals across: with every dimension across there are none.
    issues.add(at('pivot', 'columns'), 'pivot', {
      zh: `透视表须至少留一个维度作为行，pivot.columns 不能列出全部维度（${keys.join('、')}）`,
      en: `a pivot keeps at least one dimension as its rows; pivot.columns cannot list every dimension (${keys.join(', ')})`,
    }, { received: columns })
    return undefined
  }

  const before = issues.size
  measures.forEach((measure, index) => {
    if (measure.agg !== 'running' && !measure.compare) return
    issues.add(at('measures', index), 'pivot', {
      zh: `透视表不支持 running 或 compare 度量（${measure.key}）`,
      en: `a pivot cannot hold running or compared measures ("${measure.key}")`,
    })
  })
  return issues.size > before ? undefined : { columns: columns as string[] }
}
