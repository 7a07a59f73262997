import { FIRST_DATE, LAST_DATE, isIsoDate } from '@tessera/core'

/**
 * Moments as JSON carries them: ISO 8601 with a time zone, to the second
 * or finer: "2025-03-14T09:30:00+08:00", "2025-03-14T01:30:00.000Z".
 * A value without an offset ("2025-03-14T09:30", what an HTML input
 * gives) is refused: its moment depends on where it was typed. Stored
 * values come back in UTC, to the millisecond.
 *
 * @example
 * normalizeDateTime('2025-03-14T09:30:00+08:00') // "2025-03-14T01:30:00.000Z"
 */
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/i

export type DateTimeProblem = 'format' | 'offset'

export function checkDateTime(text: string): DateTimeProblem | undefined {
  const match = DATE_TIME.exec(text.trim())
  if (!match) return 'format'

  const [, year, month, day, hour, minute, second = '0', offset] = match
  if (!isRealDate(Number(year), Number(month), Number(day))) return 'format'
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return 'format'
  if (offset === undefined) return 'offset'
  const moment = Date.parse(canonical(text.trim()))
  if (Number.isNaN(moment)) return 'format'
  // The moment, as stored (UTC), from 1900 through 9999: "1900-01-01T00:00+08:00" is 1899 in UTC
  // and would not read back, and a moment past 9999 cannot be stored at all.
  return moment < FIRST_MOMENT || moment > LAST_MOMENT ? 'format' : undefined
}

const FIRST_MOMENT = Date.parse(`${FIRST_DATE}T00:00:00Z`)
const LAST_MOMENT = Date.parse(`${LAST_DATE}T23:59:59.999Z`)

export function normalizeDateTime(text: string): string {
  return new Date(canonical(text.trim())).toISOString()
}

/** "2025-03-14 09:30+0800" → "2025-03-14T09:30+08:00", which Date.parse reads everywhere. */
function canonical(text: string): string {
  return text
    .replace(' ', 'T')
    .replace(/([+-]\d{2})(\d{2})$/, '$1:$2')
    .replace(/z$/, 'Z')
}

/** A real day from 1900 on (see FIRST_DATE in core dates). */
function isRealDate(year: number, month: number, day: number): boolean {
  const date = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
  return isIsoDate(date) && date >= FIRST_DATE
}
