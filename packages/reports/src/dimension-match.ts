import { type RawBuilder, sql } from 'kysely'

import {
  type Locale,
  LOCALES,
  TesseraError,
  addDays,
  isDecimalString,
  isIsoDate,
  localize,
} from '@tessera/core'

import { show } from './issue-list.js'
import {
  type PlannedDimension,
  bucketIndex,
  grainStart,
  isIntegerValue,
  rangeIndex,
} from './plan-dimensions.js'
import { isRecord } from './shape.js'
import type { DateGrain } from './spec.js'

type Sql = RawBuilder<unknown>

/**
 * Conditions on source rows that keep one group: each key names a
 * dimension (or `<key>__index` for buckets and ranges) and its value as
 * the report shows it. A bucket matches by its label in any locale or by
 * its index; a range by its label "[0, 1000)" or index; a date grain by
 * its label ("2024-06", "2024-W26", "2024-Q2") or any date inside the
 * period; null matches the empty group, and so does an empty text (on a
 * text dimension, empty texts too). Throws `request.invalid` naming the
 * dimension and what it expected.
 *
 * @example
 * matchDimensions(plan.dimensions, { region: '华东', bucket__index: 2 }, 'zh-CN')
 */
export function matchDimensions(
  dimensions: readonly PlannedDimension[],
  values: unknown,
  locale: Locale,
): Sql[] {
  if (!isRecord(values)) throw matchError('', ['an object of dimension values', '维度取值的对象'], values)

  const conditions: Sql[] = []
  for (const [key, value] of Object.entries(values)) {
    const byIndex = key.endsWith('__index')
    const name = byIndex ? key.slice(0, -'__index'.length) : key
    const dimension = dimensions.find((candidate) => candidate.key === name)
    const indexed = dimension?.buckets || dimension?.ranges
    if (!dimension || (byIndex && !indexed)) {
      const known = dimensions.map((candidate) => candidate.key).join(', ')
      throw matchError(key, [`one of the report's dimensions (${known})`, `报表的维度之一（${known}）`], value)
    }
    conditions.push(matchOne(dimension, value, byIndex, locale))
  }
  return conditions
}

function matchOne(
  dimension: PlannedDimension,
  value: unknown,
  byIndex: boolean,
  locale: Locale,
): Sql {
  const expr = dimension.value.sql
  // An empty text is one way of saying "the empty group" (a query string's `dim.kind=`): a text
  // dimension's empty values are empty texts and nulls alike, as the table shows both as —.
  const plainText = dimension.type === 'text' && !dimension.buckets && !dimension.ranges
  if (value === '' && plainText) return sql`(${expr} is null or ${expr} = '')`
  if (value === null || value === '') return sql`(${expr} is null)`

  if (dimension.buckets) {
    const index = findBucket(dimension, value, byIndex, locale)
    return sql`(${bucketIndex(expr, dimension.buckets.edges, isIntegerValue(dimension))} = ${index}::int)`
  }
  if (dimension.ranges) {
    const index = findRange(dimension, value, byIndex)
    return sql`(${rangeIndex(expr, dimension.ranges)} = ${index}::bigint)`
  }
  if (dimension.grain) {
    const start = periodStart(dimension.grain, value)
    if (start === undefined) {
      throw matchError(dimension.key, [`a ${dimension.grain} label or a date inside it`, `${GRAIN_ZH[dimension.grain]}的标签或其中的一个日期`], value)
    }
    const wanted = grainStart(sql`${start}::date`, dimension.grain)
    return sql`(${grainStart(expr, dimension.grain)} = ${wanted})`
  }
  const choices = dimension.value.choices
  return matchPlain(dimension, choices ? choiceCode(choices, value) : value, expr)
}

/**
 * A select field's group by its option's code, or by a label (in either
 * language) naming exactly one option, as a person reading the table would
 * type it into a link. Any other value is matched as it is: records may
 * still hold the code of an option since removed, shown as that code.
 */
function choiceCode(choices: NonNullable<PlannedDimension['value']['choices']>, value: unknown): unknown {
  if (choices.some((choice) => choice.value === value)) return value
  const labelled = choices.filter((choice) => LOCALES.some((locale) => localize(choice.label, locale) === value))
  return labelled.length === 1 ? labelled[0]!.value : value
}

function matchPlain(dimension: PlannedDimension, value: unknown, expr: Sql): Sql {
  switch (dimension.type) {
    case 'date':
      if (isIsoDate(value)) return sql`(${expr} = ${value}::date)`
      throw matchError(dimension.key, ['a date "YYYY-MM-DD"', '日期（YYYY-MM-DD）'], value)
    case 'money':
    case 'number':
    case 'integer':
      if (isFiniteNumber(value) || isDecimalString(value)) return sql`(${expr} = ${value}::numeric)`
      throw matchError(dimension.key, ['a number', '数字'], value)
    case 'text':
      if (typeof value === 'string') return sql`(${expr} = ${value}::text)`
      throw matchError(dimension.key, ['a text', '文本'], value)
    case 'boolean':
      if (typeof value === 'boolean') return sql`(${expr} = ${value}::boolean)`
      throw matchError(dimension.key, ['true or false', 'true 或 false'], value)
    case 'datetime':
      if (typeof value === 'string' && !Number.isNaN(Date.parse(value))) {
        return sql`(${expr} = ${value}::timestamptz)`
      }
      throw matchError(dimension.key, ['an ISO timestamp', 'ISO 时间戳'], value)
  }
}

function findBucket(
  dimension: PlannedDimension,
  value: unknown,
  byIndex: boolean,
  locale: Locale,
): number {
  const labels = dimension.buckets?.labels ?? []
  const index = typeof value === 'string' && byIndex ? Number(value) : value
  if (typeof index === 'number' && Number.isInteger(index) && index >= 0 && index < labels.length) {
    return index
  }
  if (!byIndex && typeof value === 'string') {
    const mine = labels.findIndex((label) => localize(label, locale) === value)
    if (mine >= 0) return mine
    const any = labels.findIndex(
      (label) => LOCALES.some((other) => localize(label, other) === value),
    )
    if (any >= 0) return any
  }
  const names = labels.map((label) => localize(label, locale)).join(', ')
  const last = labels.length - 1
  throw matchError(dimension.key, [
    `a bucket label (${names}) or an index from 0 to ${last}`,
    `区间标签（${names}）或 0 到 ${last} 的序号`,
  ], value)
}

const RANGE_LABEL = /^\[(-?\d+(?:\.\d+)?), (-?\d+(?:\.\d+)?)\)$/

/** The range index from `__index`, or from a label's lower bound. */
function findRange(dimension: PlannedDimension, value: unknown, byIndex: boolean): number {
  const ranges = dimension.ranges ?? { width: 1, origin: 0 }
  const index = typeof value === 'string' && byIndex ? Number(value) : value
  if (typeof index === 'number' && Number.isSafeInteger(index)) return index

  const match = !byIndex && typeof value === 'string' ? RANGE_LABEL.exec(value) : null
  if (match) {
    const steps = (Number(match[1]) - ranges.origin) / ranges.width
    const rounded = Math.round(steps)
    if (Math.abs(steps - rounded) < 1e-9) return rounded
  }
  throw matchError(dimension.key, ['a range label such as "[0, 1000)" or its index', '范围标签（如 "[0, 1000)"）或其序号'], value)
}

const WEEK_LABEL = /^(\d{4})-W(\d{2})$/
const MONTH_LABEL = /^(\d{4})-(\d{2})$/
const QUARTER_LABEL = /^(\d{4})-Q([1-4])$/
const YEAR_LABEL = /^(\d{4})$/

/** A date inside the period a label names, or the date given; undefined if neither. */
export function periodStart(grain: DateGrain, value: unknown): string | undefined {
  if (isIsoDate(value)) return value
  if (typeof value !== 'string') return undefined

  const week = grain === 'week' ? WEEK_LABEL.exec(value) : null
  if (week) return isoWeekMonday(Number(week[1]), Number(week[2]))
  const month = grain === 'month' ? MONTH_LABEL.exec(value) : null
  if (month) return checked(`${month[1]}-${month[2]}-01`)
  const quarter = grain === 'quarter' ? QUARTER_LABEL.exec(value) : null
  if (quarter) return checked(`${quarter[1]}-${String(Number(quarter[2]) * 3 - 2).padStart(2, '0')}-01`)
  const year = grain === 'year' ? YEAR_LABEL.exec(value) : null
  if (year) return checked(`${year[1]}-01-01`)
  return undefined
}

function checked(date: string): string | undefined {
  return isIsoDate(date) ? date : undefined
}

/** ISO week 1 holds January 4th; weeks start on Monday. */
function isoWeekMonday(year: number, week: number): string | undefined {
  if (week < 1 || week > 53) return undefined
  const monday = addDays(isoWeekMondayOf(year), (week - 1) * 7)
  return monday < isoWeekMondayOf(year + 1) ? monday : undefined
}

function isoWeekMondayOf(year: number): string {
  const january4 = `${String(year).padStart(4, '0')}-01-04`
  const weekday = (new Date(`${january4}T00:00:00Z`).getUTCDay() + 6) % 7
  return addDays(january4, -weekday)
}

function isFiniteNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value)
}

/** A dimension value a run cannot match; `expected` in English and Chinese. */
export function matchError(dimension: string, expected: [en: string, zh: string], received: unknown): TesseraError {
  const en = `value for dimension "${dimension}" must be ${expected[0]}, got ${show(received)}`
  return new TesseraError('request.invalid', en, {
    details: { dimension, expected: expected[0], received },
    issues: [{ field: `dim.${dimension}`, rule: 'match', message: en }],
    messages: { 'zh-CN': `维度「${dimension}」的取值须为${expected[1]}，收到 ${show(received)}`, en },
  })
}

const GRAIN_ZH: Record<string, string> = { day: '日', week: '周', month: '月', quarter: '季度', year: '年' }
