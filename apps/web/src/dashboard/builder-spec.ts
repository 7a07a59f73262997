import { isIsoDate, localize, type LocalizedText } from '@tessera/core'
import type { DashboardFilter, DashboardWidget, WidgetLayout } from '../api/types.js'
import { isCartesian } from '../charts/chart-types.js'
import { translate } from '../i18n.js'

/** A field the builder offers: a path from the source form ("customer.region") and its kind. */
export interface BuilderField {
  path: string
  label: string
  /** number: money, number, percent; date: date, datetime; text: everything else. */
  kind: 'number' | 'date' | 'text'
  /** A select field's options: conditions pick a label and test the stored code. */
  options?: ReadonlyArray<{ value: string; label: string }>
  /** The label in each language, for titles that follow the reader's. */
  names?: { 'zh-CN': string; en: string }
  /** A calendar date (not a date-time), which a widget can hold against the dashboard's dates. */
  calendar?: boolean
}

export type BuilderAggregate = 'sum' | 'count' | 'count_distinct' | 'avg' | 'min' | 'max'
export type BuilderGrain = 'day' | 'week' | 'month' | 'quarter' | 'year'
export type BuilderOperator = '==' | '!=' | '>' | '>=' | '<' | '<='

export interface BuilderDimension {
  field: BuilderField
  grain?: BuilderGrain
}

/** A measure over a field, or (without one) the count of records. */
export interface BuilderMeasure {
  field?: BuilderField
  agg: BuilderAggregate
  label: string
  /** The label in each language (the count's); a field's measure takes its field's. */
  names?: { 'zh-CN': string; en: string }
}

export interface BuilderCondition {
  field: BuilderField
  op: BuilderOperator
  value: string
}

/**
 * A date field held against one of the dashboard's params, so that the
 * widget follows it: records dated on or before the as-of date (a `date`
 * param), or inside the period (a `period` param).
 */
export interface BuilderDating {
  param: { key: string; type: 'date' | 'period'; label: LocalizedText; default?: string }
  field: BuilderField
}

/** Everything the builder page holds; builderReport and builderWidget turn it into metadata. */
export interface BuilderState {
  form: string
  title: string
  type: string
  dimensions: BuilderDimension[]
  measures: BuilderMeasure[]
  conditions: BuilderCondition[]
  dated?: BuilderDating
}

/** The dashboard params a built widget can follow: dates (as of) and periods. */
export function datingParams(params: ReadonlyArray<{ key: string; type: string; label: LocalizedText; default?: string }> | undefined):
  BuilderDating['param'][] {
  return (params ?? []).flatMap((param) =>
    param.type === 'date' || param.type === 'period' ? [{ ...param, type: param.type }] : [])
}

/** A metadata key from a path: "customer.region" → "customer_region" (lower snake, ≤ 40). */
export function keyOf(text: string): string {
  const key = text.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '')
  const safe = /^[a-z]/.test(key) ? key : `f_${key}`
  return safe.slice(0, 40)
}

/** The measure a dropped field becomes: numbers are summed, other fields counted distinct. */
export function measureFor(field: BuilderField): BuilderMeasure {
  return field.kind === 'number'
    ? { field, agg: 'sum', label: field.label }
    : { field, agg: 'count_distinct', label: field.label }
}

/**
 * A measure's label in each language: its field's, with the aggregate
 * unless it is a sum (金额, 金额（平均值）, 发票号（去重计数）); the count's own.
 */
export function measureNames(measure: BuilderMeasure): LocalizedText {
  if (!measure.field) return measure.names ?? measure.label
  if (measure.agg === 'sum') return measure.field.names ?? measure.field.label
  const base = measure.field.names ?? { 'zh-CN': measure.field.label, en: measure.field.label }
  return {
    'zh-CN': `${base['zh-CN']}（${translate('zh-CN', `builder.agg.${measure.agg}`)}）`,
    en: `${base.en} (${translate('en', `builder.agg.${measure.agg}`).toLowerCase()})`,
  }
}

/**
 * The choices as the builder keeps them: a measure or a dimension chosen
 * twice (the same field with the same aggregate, or grain) once, since a
 * report cannot hold two columns of one key.
 */
export function distinctChoices(state: BuilderState): BuilderState {
  const seen = new Set<string>()
  const measures = state.measures.filter((measure) => !seen.has(`m:${measureKey(measure)}`) && seen.add(`m:${measureKey(measure)}`))
  const dimensions = state.dimensions.filter((dimension) =>
    !seen.has(`d:${dimensionKey(dimension)}`) && seen.add(`d:${dimensionKey(dimension)}`))
  return measures.length === state.measures.length && dimensions.length === state.dimensions.length
    ? state
    : { ...state, measures, dimensions }
}

/**
 * How many of the chosen dimensions a type draws: a KPI or gauge one
 * figure (none), a pie, donut or funnel one slice each, a bar, line or
 * area a category and a series; a table or pivot all of them. The report
 * groups by those only, so that each figure drawn is the whole group's.
 */
export function drawnDimensions(type: string): number {
  if (type === 'kpi' || type === 'gauge') return 0
  if (isSliced(type)) return 1
  if (isCartesian(type)) return 2
  return Number.POSITIVE_INFINITY
}

function measureKey(measure: BuilderMeasure): string {
  return measure.field ? keyOf(`${measure.agg}_${measure.field.path}`) : 'record_count'
}

function dimensionKey(dimension: BuilderDimension): string {
  return keyOf(dimension.grain ? `${dimension.field.path}_${dimension.grain}` : dimension.field.path)
}

/** The aggregates that make sense for a field's kind (a text is not summed, a date not averaged). */
export function aggregatesFor(field: BuilderField | undefined): BuilderAggregate[] {
  if (!field || field.kind === 'number') return ['sum', 'count', 'count_distinct', 'avg', 'min', 'max']
  if (field.kind === 'date') return ['count', 'count_distinct', 'min', 'max']
  return ['count', 'count_distinct']
}

/** The comparisons that make sense for a field: a choice or a text is equal or not. */
export function operatorsFor(field: BuilderField): BuilderOperator[] {
  return field.options || field.kind === 'text' ? ['==', '!='] : ['==', '!=', '>', '>=', '<', '<=']
}

/**
 * A number as people type it, thousands separators and spaces taken out
 * ("1,000.50" → "1000.50"); undefined when what is left is no number.
 */
export function typedNumber(text: string): string | undefined {
  const plain = text.replace(/[,，\s]/g, '')
  return /^-?\d+(\.\d+)?$/.test(plain) ? plain : undefined
}

/** What is wrong with a condition's value for its field, if anything: a number or a date that is none. */
export function conditionProblem(condition: BuilderCondition): 'number' | 'date' | 'empty' | undefined {
  if (condition.value.trim() === '') return condition.field.kind === 'text' ? undefined : 'empty'
  if (condition.field.kind === 'number' && typedNumber(condition.value) === undefined) return 'number'
  if (condition.field.kind === 'date' && !isIsoDate(condition.value.trim())) return 'date'
  return undefined
}

/** A condition's value as the report spec wants it: a number for a number field. */
function literal(condition: BuilderCondition): string | number {
  if (condition.field.kind === 'number') {
    const number = typedNumber(condition.value)
    if (number !== undefined) return Number(number)
  }
  return condition.field.kind === 'date' ? condition.value.trim() : condition.value
}

/**
 * The report spec the builder's choices make (see docs/metadata/reports.md):
 * the conditions become its json-logic `filter`.
 *
 * @example
 * builderReport({ form: 'invoice', title: '按区域', type: 'bar',
 *   dimensions: [{ field: { path: 'customer.region', label: '区域', kind: 'text' } }],
 *   measures: [{ field: { path: 'amount', label: '金额', kind: 'number' }, agg: 'sum', label: '金额' }],
 *   conditions: [] }, 'by_region')
 * // → { key: 'by_region', label: '按区域', source: 'invoice',
 * //     dimensions: [{ key: 'customer_region', label: '区域', expr: { var: 'customer.region' } }],
 * //     measures: [{ key: 'sum_amount', label: '金额', agg: 'sum', expr: { var: 'amount' } }] }
 */
export function builderReport(state: BuilderState, key: string, title?: LocalizedText): Record<string, unknown> {
  // A KPI shows one figure, the total: it is grouped by nothing (a dimension would show its first group
  // only); a chart by the dimensions it draws (a third would leave one bar showing one of its groups).
  const grouped = state.dimensions.slice(0, drawnDimensions(state.type))
  const dimensions = grouped.map((dimension) => ({
    key: dimensionKey(dimension),
    // In both languages where known, so that a reader of the other sees their own.
    label: dimension.field.names ?? dimension.field.label,
    expr: { var: dimension.field.path },
    ...(dimension.grain ? { grain: dimension.grain } : {}),
  }))
  // A type showing one measure gets a report of that one: what is saved is what is shown.
  const shown = showsOneMeasure(state.type) ? state.measures.slice(0, 1) : state.measures
  const measures = shown.map((measure) => ({
    key: measureKey(measure),
    label: measureNames(measure),
    agg: measure.agg,
    ...(measure.field ? { expr: { var: measure.field.path } } : {}),
  }))
  const tests = state.conditions.map((condition) =>
    ({ [condition.op]: [{ var: condition.field.path }, literal(condition)] }))
  const filter = tests.length === 0 ? undefined : tests.length === 1 ? tests[0] : { and: tests }
  return {
    key,
    label: title ?? (state.title || key),
    source: state.form,
    ...(state.dated ? datedBy(state.dated) : {}),
    ...(filter ? { filter } : {}),
    dimensions,
    measures,
  }
}

/**
 * The param and the condition that make a report follow a dashboard's
 * date: `{ "<=": [{ "var": "date" }, { "param": "asOf" }] }`, or for a
 * period both its ends. Records with no date are left out either way.
 */
function datedBy({ param, field }: BuilderDating): Record<string, unknown> {
  const value = { var: field.path }
  const where = param.type === 'date'
    ? { '<=': [value, { param: param.key }] }
    : { '<=': [{ param: `${param.key}.from` }, value, { param: `${param.key}.to` }] }
  const fallback = param.type === 'date' ? 'today' : 'month_to_date'
  return {
    params: [{ key: param.key, type: param.type, label: param.label, default: param.default ?? fallback }],
    where,
  }
}

/**
 * The dashboard's global filters with the built report placed: a filter
 * whose path the report's form has (of a kind the filter can hold: a date
 * range needs a date) applies to it as to the others; any other leaves it
 * unfiltered (`fields[report] = null`), as the dashboard check requires to
 * be said rather than guessed.
 */
export function filtersWithReport(
  filters: readonly DashboardFilter[] | undefined,
  report: string,
  fields: readonly BuilderField[],
): DashboardFilter[] | undefined {
  if (!filters) return undefined
  return filters.map((filter) => {
    const field = fields.find((one) => one.path === filter.field)
    const fits = field !== undefined && (filter.type !== 'date-range' || field.kind === 'date')
    return fits ? filter : { ...filter, fields: { ...filter.fields, [report]: null } }
  })
}

/** What a chart of this type needs that the builder's choices lack, if anything. */
export function missingForType(state: BuilderState): 'measure' | 'dimension' | undefined {
  if (state.measures.length === 0) return 'measure'
  const charted = isCartesian(state.type) || isSliced(state.type)
  return charted && state.dimensions.length === 0 ? 'dimension' : undefined
}

/**
 * Why the choices cannot be previewed or saved yet, if they cannot: a
 * missing measure or dimension, or a condition whose value is no number
 * or date. The builder says this instead of showing the report's refusal.
 */
export function builderProblem(state: BuilderState): 'measure' | 'dimension' | 'number' | 'date' | 'empty' | undefined {
  return missingForType(state) ?? state.conditions.map(conditionProblem).find((problem) => problem !== undefined)
}

/** Chart types that show one measure (the first): the others chosen are left out, and the builder says so. */
export function showsOneMeasure(type: string): boolean {
  return isSliced(type) || type === 'kpi' || type === 'gauge'
}

/**
 * A title for a widget its builder left untitled, from what it shows:
 * "未结金额、发票数（按客户 · 区域）", "Open amount by Customer · Region".
 */
export function suggestedTitle(state: BuilderState, locale: 'zh-CN' | 'en', count: string): string {
  // A pie, donut, funnel, KPI or gauge shows its first measure only.
  const shownMeasures = showsOneMeasure(state.type) ? state.measures.slice(0, 1) : state.measures
  const measures = shownMeasures.map((measure) => (measure.field ? localize(measureNames(measure), locale) : measure.names?.[locale] ?? count))
  const dimensions = state.dimensions.slice(0, drawnDimensions(state.type))
    .map((dimension) => dimension.field.names?.[locale] ?? dimension.field.label)
  const shown = (measures.length > 0 ? measures : [count]).join(locale === 'en' ? ', ' : '、')
  if (dimensions.length === 0) return shown
  return locale === 'en' ? `${shown} by ${dimensions.join(', ')}` : `${shown}（按${dimensions.join('、')}）`
}

/**
 * A built widget's title in both languages: each as typed, else the one
 * its contents suggest in that language, so an English reader never sees
 * a Chinese title only because no English one was typed (nor the reverse).
 */
export function widgetTitles(typed: { zh: string; en: string }, suggested: { zh: string; en: string }): LocalizedText {
  return { 'zh-CN': typed.zh.trim() || suggested.zh, en: typed.en.trim() || suggested.en }
}

/** The widget showing the built report, placed below everything else on the dashboard. */
export function builderWidget(
  state: BuilderState,
  key: string,
  report: string,
  y: number,
  title?: LocalizedText,
): DashboardWidget {
  const dimensions = state.dimensions.map(dimensionKey)
  const measures = state.measures.map(measureKey)
  const single = state.type === 'kpi' || state.type === 'gauge'
  const layout: WidgetLayout = single ? { x: 0, y, w: 3, h: 3 } : { x: 0, y, w: 6, h: 6 }
  return {
    key,
    type: state.type,
    title: title ?? (state.title || key),
    report,
    ...(single ? { measure: measures[0] } : {}),
    ...(!single && state.type !== 'table' && dimensions[0] ? { dimension: dimensions[0] } : {}),
    ...(!single && state.type !== 'table' ? { measures: isSliced(state.type) ? measures.slice(0, 1) : measures } : {}),
    ...(isCartesian(state.type) && dimensions[1] ? { series: dimensions[1], measures: measures.slice(0, 1) } : {}),
    layout,
  }
}

function isSliced(type: string): boolean {
  return type === 'pie' || type === 'donut' || type === 'funnel'
}
