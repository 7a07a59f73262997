import { addDays, daysBetween, isIsoDate, todayIn } from './dates.js'

/**
 * A range of calendar dates, both ends included, as a `period` param holds
 * it: { from: "2024-06-01", to: "2024-06-30" }.
 */
export interface Period {
  from: string
  to: string
}

/**
 * Names a period default may use: a whole calendar period containing today
 * (or the one before), or, for the `_to_date` ones, from the start of this
 * month, quarter or year up to today.
 */
export const PERIOD_DEFAULTS = [
  'this_month',
  'last_month',
  'this_quarter',
  'last_quarter',
  'this_year',
  'last_year',
  'month_to_date',
  'quarter_to_date',
  'year_to_date',
] as const

export type PeriodDefault = (typeof PERIOD_DEFAULTS)[number]

export function isPeriodDefault(value: unknown): value is PeriodDefault {
  return (PERIOD_DEFAULTS as readonly unknown[]).includes(value)
}

/**
 * Reads a period from `{ from, to }` or the text "from..to"; undefined when
 * it is neither, a date is not real, or `to` comes before `from`.
 *
 * @example
 * parsePeriod('2024-06-01..2024-06-30') // → { from: '2024-06-01', to: '2024-06-30' }
 */
export function parsePeriod(value: unknown): Period | undefined {
  let from: unknown
  let to: unknown
  if (typeof value === 'string') {
    const parts = value.split('..')
    if (parts.length !== 2) return undefined
    ;[from, to] = parts
  } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const record = value as Record<string, unknown>
    if (Object.keys(record).some((key) => key !== 'from' && key !== 'to')) return undefined
    from = record.from
    to = record.to
  } else {
    return undefined
  }
  if (!isIsoDate(from) || !isIsoDate(to) || to < from) return undefined
  return { from, to }
}

/** The whole calendar period a default names, around today in the time zone. */
export function periodOf(name: PeriodDefault, timeZone: string, now?: Date): Period {
  return periodAround(name, todayIn(timeZone, now))
}

/**
 * The whole calendar period a default names around a given day.
 *
 * @example
 * periodAround('last_quarter', '2024-05-20') // → { from: '2024-01-01', to: '2024-03-31' }
 */
export function periodAround(name: PeriodDefault, today: string): Period {
  const year = Number(today.slice(0, 4))
  const month = Number(today.slice(5, 7))
  const quarterStart = month - ((month - 1) % 3)
  switch (name) {
    case 'this_month':
      return months(year, month, 1)
    case 'last_month':
      return months(year, month - 1, 1)
    case 'this_quarter':
      return months(year, quarterStart, 3)
    case 'last_quarter':
      return months(year, quarterStart - 3, 3)
    case 'this_year':
      return months(year, 1, 12)
    case 'last_year':
      return months(year - 1, 1, 12)
    case 'month_to_date':
      return { from: months(year, month, 1).from, to: today }
    case 'quarter_to_date':
      return { from: months(year, quarterStart, 1).from, to: today }
    case 'year_to_date':
      return { from: months(year, 1, 1).from, to: today }
  }
}

/**
 * The period just before: the same number of whole months when the period
 * is whole calendar months (June → May, Q2 → Q1, a year → the year before);
 * for a period from the 1st of a month to some later day (month, quarter
 * or year to date), the same days as many months before (1–5 December →
 * 1–5 November; a day past the earlier month's end is its last day); else
 * as many days ending the day before `from`.
 *
 * @example
 * previousPeriod({ from: '2024-03-01', to: '2024-03-31' }) // → 2024-02-01..2024-02-29
 * previousPeriod({ from: '2024-03-10', to: '2024-03-16' }) // → 2024-03-03..2024-03-09
 */
export function previousPeriod(period: Period): Period {
  const year = Number(period.from.slice(0, 4))
  const month = Number(period.from.slice(5, 7))
  const span = wholeMonths(period)
  if (span !== undefined) return months(year, month - span, span)
  if (period.from.slice(8) === '01') {
    // Up to a day of a month (month, quarter or year to date): the same
    // days of as many months before, the last day clamped to the month's end.
    const count = monthsTouched(period)
    // The month `count` months before the period's last one is the month
    // before its first: that is where the earlier period ends.
    const ending = months(year, month - 1, 1)
    const day = Math.min(Number(period.to.slice(8)), Number(ending.to.slice(8)))
    return { from: months(year, month - count, 1).from, to: `${ending.to.slice(0, 8)}${String(day).padStart(2, '0')}` }
  }
  const length = daysBetween(period.from, period.to) + 1
  return { from: addDays(period.from, -length), to: addDays(period.from, -1) }
}

/** How many calendar months the period reaches into, partly or wholly. */
function monthsTouched(period: Period): number {
  const [fromYear, fromMonth] = [period.from.slice(0, 4), period.from.slice(5, 7)].map(Number)
  const [toYear, toMonth] = [period.to.slice(0, 4), period.to.slice(5, 7)].map(Number)
  return (toYear - fromYear) * 12 + (toMonth - fromMonth) + 1
}

/** How many calendar months the period covers exactly, if it does. */
function wholeMonths(period: Period): number | undefined {
  if (period.from.slice(8) !== '01') return undefined
  const [endYear, endMonth] = [period.to.slice(0, 4), period.to.slice(5, 7)].map(Number)
  if (Number(period.to.slice(8)) !== lastDayOf(endYear, endMonth)) return undefined
  const [fromYear, fromMonth] = [period.from.slice(0, 4), period.from.slice(5, 7)].map(Number)
  const [toYear, toMonth] = [period.to.slice(0, 4), period.to.slice(5, 7)].map(Number)
  return (toYear - fromYear) * 12 + (toMonth - fromMonth) + 1
}

/** `count` months starting at `month` of `year`; months outside 1–12 roll over. */
function months(year: number, month: number, count: number): Period {
  const start = monthStart(year, month)
  // The last month's own last day: never through the month after, which
  // for December 9999 would be a year no date reaches.
  const last = monthStart(year, month + count - 1)
  const [lastYear, lastMonth] = [Number(last.slice(0, 4)), Number(last.slice(5, 7))]
  return { from: start, to: `${last.slice(0, 8)}${String(lastDayOf(lastYear, lastMonth)).padStart(2, '0')}` }
}

/** The number of the last day of a month (28 to 31), in any year. */
function lastDayOf(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
  return [4, 6, 9, 11].includes(month) ? 30 : 31
}

function monthStart(year: number, month: number): string {
  const index = year * 12 + (month - 1)
  const y = Math.floor(index / 12)
  const m = index - y * 12 + 1
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-01`
}
