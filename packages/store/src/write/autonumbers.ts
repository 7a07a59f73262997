import { sql } from 'kysely'
import type { AutonumberField, PublishedForm } from '@tessera/core'
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
  if (count === 0) return []
  const parts = parseAutonumberPattern(field.pattern)
  const period = autonumberPeriod(parts, date)

  const { rows } = await sql<{ last: number }>`
    insert into tessera.autonumber as a (app_key, form_key, field_key, period, last)
    values (${form.app}, ${form.key}, ${field.key}, ${period}, ${count})
    on conflict (app_key, form_key, field_key, period)
      do update set last = a.last + ${count}
    returning a.last`.execute(trx)

  const first = rows[0].last - count + 1
  return Array.from({ length: count }, (_, index) => formatAutonumber(parts, date, first + index))
}
