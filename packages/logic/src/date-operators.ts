import { addDays, daysBetween, DEFAULT_TIME_ZONE, isIsoDate, todayIn } from '@tessera/core'
import { currentOptions } from './evaluation-context.js'
import { describe, expectOperands, isNil, logicError } from './logic-error.js'
import type { OperatorTable } from './operator.js'
import { isDateFormat, parseDateText } from './parse-date.js'

/**
 * Calendar dates as "YYYY-MM-DD" text. Comparisons read both sides as
 * dates, so "2025-9-30" is an error rather than a string comparison;
 * convert free text with `date` first. Null or missing operands make a
 * comparison false and a calculation null.
 *
 * @example
 * { "date": ["9/30/2025", "M/D/YYYY"] }                      // "2025-09-30"
 * { "days_between": [{ "var": "due_date" }, { "today": [] }] } // days overdue
 */
export const DATE_OPERATORS: OperatorTable = {
  date: (text, format) => {
    if (format !== undefined && !isDateFormat(format)) {
      throw logicError('date', `unknown format ${describe(format)}`)
    }
    if (isNil(text)) return null
    if (typeof text !== 'string' && typeof text !== 'number') {
      throw logicError('date', `expected date text, got ${describe(text)}`)
    }
    if (String(text).trim() === '') return null

    const parsed = parseDateText(String(text), format)
    if (!parsed.ok) throw logicError('date', parsed.problem)
    return parsed.date
  },

  'date==': (...args) => comparison('date==', args, 2, (a, b) => a === b),
  'date<': (...args) => comparison('date<', args, 3, (a, b) => a < b),
  'date<=': (...args) => comparison('date<=', args, 3, (a, b) => a <= b),
  'date>': (...args) => comparison('date>', args, 2, (a, b) => a > b),
  'date>=': (...args) => comparison('date>=', args, 2, (a, b) => a >= b),

  days_between: (from, to) => {
    if (isNil(from) || isNil(to)) return null
    return daysBetween(toDate('days_between', from), toDate('days_between', to))
  },

  add_days: (date, days) => {
    if (isNil(date) || isNil(days)) return null
    if (!Number.isInteger(days)) {
      const problem = `the number of days must be a whole number, got ${describe(days)}`
      throw logicError('add_days', problem)
    }
    const result = addDays(toDate('add_days', date), days as number)
    if (!isIsoDate(result)) throw logicError('add_days', `the result falls outside years 0000-9999`)
    return result
  },

  today: () => {
    const { today, timeZone = DEFAULT_TIME_ZONE } = currentOptions()
    if (today !== undefined) {
      if (isIsoDate(today)) return today
      throw logicError('today', `options.today must be "YYYY-MM-DD", got ${describe(today)}`)
    }
    try {
      return todayIn(timeZone)
    } catch (error) {
      throw logicError('today', `unknown time zone ${describe(timeZone)}`, error)
    }
  },
}

// ISO dates compare correctly as text once both are valid and zero-padded.
function comparison(
  operator: string,
  args: unknown[],
  maxCount: number,
  test: (a: string, b: string) => boolean,
): boolean {
  expectOperands(operator, args, 2, maxCount)
  if (args.some(isNil)) return false

  const dates = args.map((arg) => toDate(operator, arg))
  for (let index = 1; index < dates.length; index += 1) {
    if (!test(dates[index - 1], dates[index])) return false
  }
  return true
}

function toDate(operator: string, value: unknown): string {
  if (isIsoDate(value)) return value
  throw logicError(
    operator,
    `expected a date as "YYYY-MM-DD", got ${describe(value)}; ` +
      'read other layouts with {"date": [text, format]}',
  )
}
