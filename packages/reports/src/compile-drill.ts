import { type RawBuilder, sql } from 'kysely'

import { type FormResolver, TesseraError } from '@tessera/core'

import { type CompiledReport, planForRun, planPrevious } from './compile-report.js'
import { recordTitle } from './compile-var.js'
import { formatOutput } from './format-output.js'
import { show } from './issue-list.js'
import { type PlannedMeasure, isDerived } from './plan-measures.js'
import { unionForms } from './union-form.js'
import type { ReportPlan } from './plan-report.js'
import type { ReportOptions } from './report-options.js'
import type { ReportColumn, ReportSpec, ReportValueType } from './spec.js'
import { toSqlText } from './sql-text.js'

export interface DrillOptions extends ReportOptions {
  /** At most this many records, lowest ids first. */
  limit?: number
  /**
   * The measure clicked (a bar of one series of several): only the records
   * that make up that figure, those whose share of it is not zero or empty.
   */
  measure?: string
  /** Only these records (a page of a list opened on the drill), for their shares. */
  ids?: readonly number[]
  /**
   * The form whose records to list, for a report over several forms (a
   * union): its rows of that form only. Required for a union; for a report
   * over one form, that form or nothing.
   */
  form?: string
}

/**
 * The source records behind one result row: the same conditions (where,
 * filter, run-time filters), plus a match on the given dimension values
 * (see matchDimensions). Dimensions left out are not constrained, which
 * drills into a subtotal. Each row holds the record's `id`, its `__title`
 * (the form's title field, else "#id"), and its share of every aggregate
 * measure: its value for sum, avg, min and max, 1 or 0 for count (a
 * distinct count has no share per record and no column). Summing a sum or
 * count column gives the report's cell. `__total`
 * counts every matching record, also beyond the limit.
 *
 * @example
 * await compileDrill(aging, forms, { asOf: '2026-03-31' }, { customer: '甲公司', bucket: '31–60' },
 *   { timeZone: 'Asia/Shanghai', locale: 'zh-CN' })
 */
export async function compileDrill(
  spec: ReportSpec,
  forms: FormResolver,
  params: Record<string, unknown>,
  dimensionValues: Record<string, unknown>,
  options: DrillOptions,
): Promise<CompiledReport> {
  const match = { ...options.match, ...dimensionValues }
  const current = await planForRun(spec, forms, params, { ...options, match, group: undefined })
  // A previous period's figure (`collected__previous`) is made of the previous period's records.
  const asked = options.measure === undefined ? undefined : previousOf(current, options.measure)
  const plan = asked?.previous
    ? await planPrevious(current, spec, forms, { ...options, match, group: undefined }) ?? current
    : current
  const union = unionForms(plan.source.form)
  checkDrillForm(spec, plan, union, options.form)
  // A distinct count has no share per record (its value — a customer's id, say — is no part of the figure).
  const measures = plan.measures.filter((measure) => !isDerived(measure.agg) && measure.agg !== 'count_distinct')

  const id = sql.id(plan.source.alias, 'id')
  const select = [
    sql`${id} as "id"`,
    sql`${titleOf(plan)} as "__title"`,
    ...measures.map(drillMeasure),
    sql`cast(count(*) over () as int) as "__total"`,
  ]
  const conditions = [...plan.conditions]
  if (asked !== undefined) {
    const share = shareCondition(plan, asked.key)
    if (share) conditions.push(share)
  }
  if (union) conditions.push(sql`${sql.id(plan.source.alias, '__form')} = ${options.form}`)
  if (options.ids !== undefined) {
    const ids = options.ids.filter((one) => Number.isSafeInteger(one))
    // One array parameter, however many: a list of parameters stops at 65,535.
    conditions.push(ids.length === 0 ? sql`false` : sql`${id} = any(${ids}::bigint[])`)
  }
  const where = conditions.length > 0 ? sql` where ${sql.join(conditions, sql` and `)}` : sql``
  const limit = options.limit === undefined ? sql`` : sql` limit ${checkLimit(options.limit)}`
  const from = sql`from ${plan.source.from()}${where}`
  const order = sql`order by ${id}${limit}`
  const rollups = plan.source.context.rollups.steps()
  const prefix = rollups.length > 0 ? sql`with ${sql.join(rollups)} ` : sql``
  const query = union
    ? unionDrill(prefix, select, from, measures, limit)
    : sql<Record<string, unknown>>`${prefix}select ${sql.join(select)} ${from} ${order}`

  const columns: ReportColumn[] = [
    { key: 'id', label: { 'zh-CN': '记录', en: 'Record' }, kind: 'record', type: 'integer' },
    { key: '__title', label: { 'zh-CN': '标题', en: 'Title' }, kind: 'title', type: 'text' },
    ...measures.map((measure): ReportColumn => ({
      key: measure.key,
      label: measure.label,
      kind: 'measure',
      type: drillType(measure),
      ...(measure.scale === undefined ? {} : { scale: measure.scale }),
    })),
  ]
  return { query, ...toSqlText(query, spec.key), params: plan.values, columns }
}

/**
 * The drill of a union, one row per record: a form listed twice in the
 * union (an invoice as a debit and again as a fee, say) gives a record
 * rows in both, and its share of a sum is their sum (of a minimum, the
 * least; of an average, their average).
 */
function unionDrill(
  prefix: RawBuilder<unknown>,
  select: ReadonlyArray<RawBuilder<unknown>>,
  from: RawBuilder<unknown>,
  measures: readonly PlannedMeasure[],
  limit: RawBuilder<unknown>,
): RawBuilder<Record<string, unknown>> {
  const inner = sql`select ${sql.join(select)} ${from}`
  const outer = [
    sql`"id"`,
    sql`min("__title") as "__title"`,
    ...measures.map((measure) => {
      const key = sql.id(measure.key)
      const agg = sql`${sql.raw(measure.agg === 'count' ? 'sum' : measure.agg)}(${key})`
      // Held to the measure's type again (an average of two shares has more decimals than its scale);
      // a date share is already its text.
      const type = drillType(measure)
      return sql`${type === 'date' ? agg : formatOutput(agg, type, measure.scale)} as ${key}`
    }),
    sql`cast(count(*) over () as int) as "__total"`,
  ]
  return sql<Record<string, unknown>>`${prefix}select ${sql.join(outer)} from (${inner}) as "__rows" group by "id" order by "id"${limit}`
}

/**
 * The measure a clicked figure names: `collected` itself, or with
 * `__previous` the same measure in the previous period (`previous`).
 *
 * @example
 * figureMeasure('collected__previous') // → { key: 'collected', previous: true }
 */
export function figureMeasure(measure: string): { key: string; previous: boolean } {
  return measure.endsWith(PREVIOUS)
    ? { key: measure.slice(0, -PREVIOUS.length), previous: true }
    : { key: measure, previous: false }
}

const PREVIOUS = '__previous'

/** A clicked previous figure of a measure that compares with it; else the measure as named. (A change has no records.) */
function previousOf(plan: ReportPlan, measure: string): { key: string; previous: boolean } {
  const named = figureMeasure(measure)
  const compared = named.previous && plan.measures.some((candidate) => candidate.key === named.key && candidate.compare)
  return compared ? named : { key: measure, previous: false }
}

/** A union's drill names one of its forms; a one-form report's names its source, if any. */
function checkDrillForm(
  spec: ReportSpec,
  plan: ReportPlan,
  union: readonly string[] | undefined,
  form: string | undefined,
): void {
  if (union ? form !== undefined && union.includes(form) : form === undefined || form === plan.source.form.key) return
  const expected = union ?? [plan.source.form.key]
  const en = union && form === undefined
    ? `report "${spec.key}" reads several forms (a union): name the form whose records to list, one of ${expected.join(', ')}`
    : `report "${spec.key}" has no records of form ${show(form)} behind its figures (it reads ${expected.join(', ')})`
  const zh = union && form === undefined
    ? `报表「${spec.key}」合并了几个表单（union），请指明列出哪个表单的记录：${expected.join('、')}`
    : `报表「${spec.key}」的数字背后没有表单 ${show(form)} 的记录（它读取 ${expected.join('、')}）`
  throw new TesseraError('request.invalid', en, {
    details: { field: 'form', expected, received: form ?? null },
    issues: [{ field: 'form', rule: 'form', message: en, expected, received: form ?? null }],
    messages: { 'zh-CN': zh, en },
  })
}

/** The record's title as its lists show it (a union's rows carry their own). */
function titleOf(plan: ReportPlan): RawBuilder<unknown> {
  const { form, alias } = plan.source
  return unionForms(form) ? sql.id(alias, '__title') : recordTitle(form, alias)
}

function drillType(measure: PlannedMeasure): ReportValueType {
  return measure.agg === 'count' ? 'integer' : measure.type
}

function drillMeasure(measure: PlannedMeasure): RawBuilder<unknown> {
  const key = sql.id(measure.key)
  const value = measure.value?.sql
  if (measure.agg === 'count') {
    if (!value) return sql`1 as ${key}`
    return sql`(case when ${value} is null then 0 else 1 end) as ${key}`
  }
  if (!value) return sql`null as ${key}`
  return sql`${formatOutput(value, drillType(measure), measure.scale)} as ${key}`
}

/**
 * The records that make up one measure's figure: a sum's non-zero shares,
 * the non-empty values of the other aggregates. A count of rows, a ratio
 * or a running total takes every record of the group (the ratio's parts
 * are two figures at once).
 */
function shareCondition(plan: ReportPlan, key: string): RawBuilder<unknown> | undefined {
  const measure = plan.measures.find((candidate) => candidate.key === key)
  if (!measure) {
    const known = plan.measures.map((candidate) => candidate.key)
    const en = `report "${plan.spec.key}" has no measure ${show(key)} (it has ${known.join(', ')})`
    throw new TesseraError('request.invalid', en, {
      details: { expected: known, received: key },
      issues: [{ field: 'measure', rule: 'unknown', message: en }],
      messages: { 'zh-CN': `报表「${plan.spec.key}」没有度量 ${show(key)}（可用：${known.join('、')}）`, en },
    })
  }
  const value = measure.value?.sql
  if (isDerived(measure.agg) || !value) return undefined
  if (measure.agg === 'sum') return sql`coalesce(${value}, 0) <> 0`
  return sql`${value} is not null`
}

function checkLimit(limit: number): number {
  if (Number.isInteger(limit) && limit >= 1) return limit
  throw new TesseraError(
    'request.invalid',
    `drill limit must be a positive integer, got ${show(limit)}`,
    { details: { expected: 'positive integer', received: limit } },
  )
}
