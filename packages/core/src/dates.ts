/**
 * Calendar dates are "YYYY-MM-DD" strings in the company's time zone. They
 * never pass through a JS Date at local midnight, which would shift them by
 * the server's offset.
 */
import { TesseraError } from './errors.js'
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai'

/**
 * The dates the platform takes, in forms, imports and report params alike:
 * a year before 1900 in a business record is a typing slip (1000 for
 * 2000), and ages counted from it reach hundreds of thousands of days.
 */
export const FIRST_DATE = '1900-01-01'
export const LAST_DATE = '9999-12-31'

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** True for a real calendar date such as "2024-02-29" (not "2023-02-29"), of any year from 1. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false
  const match = ISO_DATE.exec(value)
  if (!match) return false
  const [, y, m, d] = match.map(Number)
  // setUTCFullYear, not Date.UTC, which reads the years 0–99 as 1900–1999.
  const probe = new Date(0)
  probe.setUTCFullYear(y, m - 1, d)
  return y >= 1 && probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d
}

// Building an Intl.DateTimeFormat costs far more than using one; writes ask
// for today on every record, so each zone's formatter is built once.
const dayFormats = new Map<string, Intl.DateTimeFormat>()

/** Today's date in a time zone, e.g. todayIn('Asia/Shanghai') → "2026-12-05". */
export function todayIn(timeZone: string = DEFAULT_TIME_ZONE, now: Date = new Date()): string {
  let format = dayFormats.get(timeZone)
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    dayFormats.set(timeZone, format)
  }
  return format.format(now)
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone })
    return true
  } catch {
    return false
  }
}

/**
 * The company time zone as stored in the settings (absent: the default),
 * or an error naming the setting when it is not one: every date of the
 * company hangs on it, so none is computed in a zone it does not name.
 */
export function companyTimeZone(stored: unknown): string {
  if (stored === undefined || stored === null) return DEFAULT_TIME_ZONE
  if (typeof stored === 'string' && isValidTimeZone(stored)) return stored
  const shown = JSON.stringify(stored)
  const en = `the company time zone setting (timeZone in tessera.setting) is ${shown}, which is not a time zone; ` +
    `set it to an IANA name such as "${DEFAULT_TIME_ZONE}"`
  return settingError('timeZone', shown, en,
    `公司时区设置（tessera.setting 中的 timeZone）为 ${shown}，不是时区；请改为 IANA 时区名，例如 "${DEFAULT_TIME_ZONE}"`)
}

function settingError(key: string, value: string, en: string, zh: string): never {
  throw new TesseraError('settings.invalid', en, { details: { setting: key, value }, messages: { 'zh-CN': zh, en } })
}

/** Whole days from `from` to `to` (positive when `to` is later). */
export function daysBetween(from: string, to: string): number {
  const ms = Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)
  return Math.round(ms / 86_400_000)
}

export function addDays(date: string, days: number): string {
  const ms = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000
  return new Date(ms).toISOString().slice(0, 10)
}
