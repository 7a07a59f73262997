/**
 * The company wall clock helpers live in @tessera/core, shared with the
 * server (imports read Excel date-times on the company clock too).
 */
export { fromWallClock, toWallClock, WALL_CLOCK_FORMAT } from '@tessera/core'

import { DEFAULT_TIME_ZONE, type Locale } from '@tessera/core'
import { useSettings } from '../api/queries.js'

/**
 * A moment as the company's clock shows it (the time zone from
 * /api/settings), whatever zone the browser is in: who changed a record
 * at 09:30 in Shanghai reads 09:30 from Frankfurt too.
 *
 * @example
 * companyTime('2026-12-05T01:30:00.000Z', 'Asia/Shanghai', 'zh-CN') // "2026/12/5 09:30:00"
 */
export function companyTime(moment: string | number | Date, timeZone: string, locale: Locale): string {
  return new Date(moment).toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN', { timeZone, hour12: false })
}

/** companyTime bound to the company's time zone, for components. */
export function useCompanyTime(locale: Locale): (moment: string | number | Date) => string {
  const timeZone = useSettings().data?.timeZone ?? DEFAULT_TIME_ZONE
  return (moment) => companyTime(moment, timeZone, locale)
}
