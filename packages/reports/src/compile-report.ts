import type { RawBuilder } from 'kysely'

import { type FormResolver, type LocalizedText, daysBetween, localize } from '@tessera/core'

import { assembleReport } from './assemble-report.js'
import type { DateShift } from './compile-context.js'
import { COMPARISON_SUFFIXES } from './check-outputs.js'
import { othersByValue, othersCondition, splitOthers } from './others-match.js'
import { OTHERS_LABEL } from './plan-layout.js'
import { RATIO_SCALE } from './plan-measures.js'
import { type ReportPlan, planReport } from './plan-report.js'
import { previousPeriod, type Period } from './period.js'
import { resolveParams } from './report-params.js'
import { type ReportOptions, assertOptions } from './report-options.js'
import type { ReportColumn, ReportSpec } from './spec.js'
import { type SqlText, toSqlText } from './sql-text.js'

/** A statement ready to run, with its text for logs and tests. */
export interface CompiledReport extends SqlText {
  query: RawBuilder<Record<string, unknown>>
  /** The param values used, defaults applied. */
  params: Record<string, unknown>
  columns: ReportColumn[]
  /** With a pivot: which dimensions go down and which across; at most `limit` rows. */
  pivot?: { rows: string[]; columns: string[]; limit?: number }
}

/**
 * Checks the spec, resolves the request's params and compiles the report to
 * one parameterized statement. Throws `report.invalid` for a bad spec,
 * `report.param_invalid` for bad param values and `request.invalid` for a
 * bad run-time filter, match or grouping.
 *
 * @example
 * const { sql, parameters } = await compileReport(aging, forms, { asOf: '2026-03-31' },
 *   { timeZone: 'Asia/Shanghai', locale: 'zh-CN', filters: [{ field: 'customer.region',
 *     values: ['华东'] }] })
 */
export async function compileReport(
  spec: ReportSpec,
  forms: FormResolver,
  params: Record<string, unknown>,
  options: ReportOptions,
): Promise<CompiledReport> {
  const plan = await planForRun(spec, forms, params, options)
  const previous = await planPrevious(plan, spec, forms, options)
  const query = assembleReport(plan, options.locale, previous)
  const text = toSqlText(query, spec.key)
  return {
    query,
    ...text,
    params: plan.values,
    columns: reportColumns(plan, options, previous !== undefined),
    ...(plan.pivot ? { pivot: pivotAxes(plan) } : {}),
  }
}

/** Plans a spec for a run: params resolved and bound as values. */
export async function planForRun(
  spec: ReportSpec,
  forms: FormResolver,
  params: Record<string, unknown>,
  options: ReportOptions,
): Promise<ReportPlan> {
  assertOptions(options)
  const { match, others } = splitOthers(options.match)
  const setup = {
    locale: options.locale,
    timeZone: options.timeZone,
    source: options.source,
    filters: options.filters,
    match,
    bind: (specs: Parameters<typeof resolveParams>[0]) => resolveParams(specs, params, options),
  }
  const plan = await planReport(spec, forms, { ...setup, group: options.group })
  if (others === undefined) return plan

  // The "others" row: ranked over the whole report, then kept out by id.
  const ranking = await planReport(spec, forms, setup)
  plan.conditions.push(othersCondition(ranking, plan.source.alias, others))
  othersRankings.set(plan, { ranking, key: others })
  return plan
}

/** The ranking behind a plan's "others" match, for its previous-period twin. */
const othersRankings = new WeakMap<ReportPlan, { ranking: ReportPlan; key: string }>()

/**
 * The same spec planned again with the compared period shifted back, when
 * a measure compares with the previous period.
 */
export async function planPrevious(
  plan: ReportPlan,
  spec: ReportSpec,
  forms: FormResolver,
  options: ReportOptions,
): Promise<ReportPlan | undefined> {
  const period = plan.measures.find((measure) => measure.compare)?.compare?.period
  if (period === undefined) return undefined

  const current = plan.values[period] as Period | null
  const earlier = current && previousPeriod(current)
  const values = { ...plan.values, [period]: earlier }
  const before = await planReport(spec, forms, {
    prefix: '__p',
    ...(current && earlier ? { dateShift: shiftBetween(earlier, current) } : {}),
    locale: options.locale,
    timeZone: options.timeZone,
    source: options.source,
    filters: options.filters,
    match: splitOthers(options.match).match,
    group: options.group,
    bind: () => values,
  })
  // The previous period's "others" are this period's: the same values.
  const ranked = othersRankings.get(plan)
  if (ranked) before.conditions.push(othersByValue(ranked.ranking, before, ranked.key))
  return before
}

function pivotAxes(plan: ReportPlan): NonNullable<CompiledReport['pivot']> {
  const across = plan.pivot?.columns ?? []
  const keys = plan.dimensions.map((dimension) => dimension.key)
  const rows = keys.filter((key) => !across.includes(key))
  return { rows, columns: across, ...(plan.limit === undefined ? {} : { limit: plan.limit }) }
}

function reportColumns(plan: ReportPlan, options: ReportOptions, compared: boolean): ReportColumn[] {
  const dimensions = plan.dimensions.map((dimension): ReportColumn => {
    const column: ReportColumn = {
      key: dimension.key,
      label: dimension.label,
      kind: 'dimension',
      type: dimension.type,
      ...(dimension.scale === undefined ? {} : { scale: dimension.scale }),
      ...(dimension.grain ? { grain: dimension.grain } : {}),
    }
    if (plan.top?.others && plan.top.dimension === dimension.key) {
      column.others = localize(plan.top.others ?? OTHERS_LABEL, options.locale)
    }
    const choices = dimension.value.choices
    if (choices && !dimension.buckets && !dimension.ranges && !dimension.grain) {
      column.choices = Object.fromEntries(choices.map((choice) => [choice.value, localize(choice.label, options.locale)]))
    }
    if (!dimension.buckets) return column
    const buckets = dimension.buckets.labels.map((label) => localize(label, options.locale))
    return { ...column, buckets }
  })

  const measures = plan.measures.flatMap((measure): ReportColumn[] => {
    if (measure.hidden) return []
    const column: ReportColumn = {
      key: measure.key,
      label: measure.label,
      kind: 'measure',
      type: measure.type,
      ...(measure.scale === undefined ? {} : { scale: measure.scale }),
      // A plain ratio is a fraction, read as a percentage; one times a factor (90 days, 100) is not.
      ...(measure.agg === 'ratio' && (measure.factor === undefined || measure.factor === 1) ? { ratio: true } : {}),
      // The rows of a sum or a count add up to the figure of them all; of an average or a ratio they do not.
      ...(measure.agg === 'sum' || measure.agg === 'count' ? { additive: true } : {}),
    }
    if (!compared || !measure.compare) return [column]
    return [column, ...COMPARISON_SUFFIXES.map((role): ReportColumn => {
      const rate = role === 'change_rate'
      // The change of a rate is in percentage points (30.34 % against 28.07 % is 2.27 points), not a percentage.
      const { ratio, additive, ...plain } = column
      return {
        ...(role === 'change' && ratio ? { ...plain, points: true } : plain),
        ...(ratio && role !== 'change' ? { ratio } : {}),
        ...(additive && !rate ? { additive } : {}),
        key: `${measure.key}__${role}`,
        label: comparisonLabel(measure.label, role),
        type: rate ? 'number' : measure.type,
        ...(rate ? { scale: RATIO_SCALE } : {}),
        of: measure.key,
        role,
      }
    })]
  })
  return [...dimensions, ...measures]
}

const ROLE_WORDS: Record<(typeof COMPARISON_SUFFIXES)[number], { zh: string; en: string }> = {
  previous: { zh: '上期', en: 'previous' },
  change: { zh: '变动', en: 'change' },
  change_rate: { zh: '变动率', en: 'change rate' },
}

/** "本期回款（上期）" / "Collected (previous)": a comparison column says what it holds. */
function comparisonLabel(label: LocalizedText, role: (typeof COMPARISON_SUFFIXES)[number]): LocalizedText {
  const words = ROLE_WORDS[role]
  const zh = `${localize(label, 'zh-CN')}（${words.zh}）`
  const en = typeof label === 'string' ? undefined : label.en
  return { 'zh-CN': zh, en: `${en ?? localize(label, 'zh-CN')} (${words.en})` }
}

/**
 * How far the previous period's dates move to meet this period's: months
 * when both start on the 1st (whole months, or months to date: March and
 * April of a two-month period stand beside May and June), else days.
 */
function shiftBetween(earlier: Period, current: Period): DateShift {
  const monthOf = (day: string) => Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7))
  const months = monthOf(current.from) - monthOf(earlier.from)
  const monthly = current.from.endsWith('-01') && earlier.from.endsWith('-01')
  return monthly ? { months, days: 0 } : { months: 0, days: daysBetween(earlier.from, current.from) }
}
