import { isIsoDate } from '@tessera/core'

/** Text layouts the `date` operator reads; the result is always "YYYY-MM-DD". */
export const DATE_FORMATS = ['YYYY-MM-DD', 'M/D/YYYY', 'D/M/YYYY', 'YYYY/M/D', 'YYYYMMDD'] as const

export type DateFormat = (typeof DATE_FORMATS)[number]

interface Layout {
  pattern: RegExp
  /** Capture group numbers of year, month and day. */
  groups: [number, number, number]
}

const LAYOUTS: Record<DateFormat, Layout> = {
  'YYYY-MM-DD': { pattern: /^(\d{4})-(\d{1,2})-(\d{1,2})$/, groups: [1, 2, 3] },
  'M/D/YYYY': { pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, groups: [3, 1, 2] },
  'D/M/YYYY': { pattern: /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/, groups: [3, 2, 1] },
  'YYYY/M/D': { pattern: /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/, groups: [1, 2, 3] },
  'YYYYMMDD': { pattern: /^(\d{4})(\d{2})(\d{2})$/, groups: [1, 2, 3] },
}

// Without a format only the layouts that cannot be misread are tried:
// "03/04/2025" is March or April depending on who typed it.
const UNAMBIGUOUS: readonly DateFormat[] = ['YYYY-MM-DD', 'YYYY/M/D', 'YYYYMMDD']

export function isDateFormat(value: unknown): value is DateFormat {
  return typeof value === 'string' && (DATE_FORMATS as readonly string[]).includes(value)
}

export type ParsedDate =
  | { ok: true; date: string }
  | { ok: false; problem: string }

/**
 * Reads a date written in one of DATE_FORMATS.
 *
 * @example
 * parseDateText('9/30/2025', 'M/D/YYYY') // { ok: true, date: '2025-09-30' }
 * parseDateText('2025-02-30')            // { ok: false, problem: '… not a calendar date' }
 */
export function parseDateText(text: string, format?: DateFormat): ParsedDate {
  const trimmed = text.trim()
  const formats = format ? [format] : UNAMBIGUOUS

  for (const candidate of formats) {
    const match = LAYOUTS[candidate].pattern.exec(trimmed)
    if (!match) continue

    const [y, m, d] = LAYOUTS[candidate].groups.map((group) => match[group])
    const iso = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`
    if (isIsoDate(iso)) return { ok: true, date: iso }
    return { ok: false, problem: `"${trimmed}" is not a calendar date` }
  }

  const expected = format ?? `${UNAMBIGUOUS.join(', ')} (give a format for M/D/YYYY or D/M/YYYY)`
  return { ok: false, problem: `"${trimmed}" does not match ${expected}` }
}
