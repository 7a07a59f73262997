import { sql } from 'kysely'
import { isIsoDate, type AutonumberField, type PublishedForm } from '@tessera/core'
import { autonumberPeriod, formatAutonumber, parseAutonumberPattern } from '@tessera/forms'
import type { Trx } from '../database.js'

/**
 * Takes the next `count` numbers of an autonumber field for records
 * created on `date` (the company's today), inside the writing transaction.
 * The counter row of (form, field, period) is incremented in one upsert,
 * which locks it until commit: concurrent creates wait for each other
 * instead of reading the same last value, and a rollback returns the
 * numbers, so the sequence has neither duplicates nor gaps.
 *
 * @example
 * await nextAutonumbers(trx, invoice, numberField, '2025-03-14', 2) // ['AR-2025-0041', 'AR-2025-0042']
 */
export async function nextAutonumbers(
  trx: Trx,
  form: PublishedForm,
  field: AutonumberField,
  date: string,
  count = 1,
): Promise<string[]> {
  return autonumbersFor(trx, form, field, new Array<string>(count).fill(date))
}

/**
 * The next numbers of an autonumber field for records of these dates, in
 * their order: the date tokens and period of each number are its record's
 * day (see numberingDay), so a batch spanning months takes the next
 * numbers of each month's counter.
 */
export async function autonumbersFor(
  trx: Trx,
  form: PublishedForm,
  field: AutonumberField,
  days: readonly string[],
): Promise<string[]> {
  const parts = parseAutonumberPattern(field.pattern)
  const byPeriod = new Map<string, number[]>()
  days.forEach((day, index) => {
    const period = autonumberPeriod(parts, day)
    byPeriod.set(period, [...(byPeriod.get(period) ?? []), index])
  })
  const numbers: string[] = new Array(days.length)
  for (const [period, indexes] of byPeriod) {
    const { rows } = await sql<{ last: number }>`
      insert into tessera.autonumber as a (app_key, form_key, field_key, period, last)
      values (${form.app}, ${form.key}, ${field.key}, ${period}, ${indexes.length})
      on conflict (app_key, form_key, field_key, period)
        do update set last = a.last + ${indexes.length}
      returning a.last`.execute(trx)
    const first = rows[0].last - indexes.length + 1
    indexes.forEach((at, offset) => (numbers[at] = formatAutonumber(parts, days[at], first + offset)))
  }
  return numbers
}

/** The day a record is numbered by: its `dateField`'s value when it holds a date, else `today`. */
export function numberingDay(field: AutonumberField, values: Record<string, unknown>, today: string): string {
  const day = field.dateField === undefined ? undefined : values[field.dateField]
  return isIsoDate(day) ? day : today
}
