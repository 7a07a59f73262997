import { addDays, daysBetween, isIsoDate, todayIn } from './dates.js'

/**
 * A range of calendar dates, both ends included, as a `period` param holds
 * it: { from: "2024-06-01", to: "2024-06-30" }.
 */
export interface Period {
  from: string
  to: string
}

/** Names a period default may use; each is a whole calendar period containing today. */
export const PERIOD_DEFAULTS = [
  'this_month',
  'last_month',
  'this_quarter',
  'last_quarter',
  'this_year',
  'last_year',
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
  }
}

/**
 * The period just before: the same number of whole months when the period
 * is whole calendar months (June → May, Q2 → Q1, a year → the year before),
 * else as many days ending the day before `from`.
 *
 * @example
 * previousPeriod({ from: '2024-03-01', to: '2024-03-31' }) // → 2024-02-01..2024-02-29
 * previousPeriod({ from: '2024-03-10', to: '2024-03-16' }) // → 2024-03-03..2024-03-09
 */
export function previousPeriod(period: Period): Period {
  const span = wholeMonths(period)
  if (span !== undefined) {
    const year = Number(period.from.slice(0, 4))
    const month = Number(period.from.slice(5, 7))
    return months(year, month - span, span)
  }
  const length = daysBetween(period.from, period.to) + 1
  return { from: addDays(period.from, -length), to: addDays(period.from, -1) }
}

/** How many calendar months the period covers exactly, if it does. */
function wholeMonths(period: Period): number | undefined {
  if (period.from.slice(8) !== '01') return undefined
  if (addDays(period.to, 1).slice(8) !== '01') return undefined
  const [fromYear, fromMonth] = [period.from.slice(0, 4), period.from.slice(5, 7)].map(Number)
  const [toYear, toMonth] = [period.to.slice(0, 4), period.to.slice(5, 7)].map(Number)
  return (toYear - fromYear) * 12 + (toMonth - fromMonth) + 1
}

/** `count` months starting at `month` of `year`; months outside 1–12 roll over. */
function months(year: number, month: number, count: number): Period {
  const start = monthStart(year, month)
  const next = monthStart(year, month + count)
  return { from: start, to: addDays(next, -1) }
}

function monthStart(year: number, month: number): string {
  const index = year * 12 + (month - 1)
  const y = Math.floor(index / 12)
  const m = index - y * 12 + 1
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-01`
}
