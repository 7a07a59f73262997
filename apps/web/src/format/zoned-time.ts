/**
 * The company wall clock helpers live in @tessera/core, shared with the
 * server (imports read Excel date-times on the company clock too).
 */
export { fromWallClock, toWallClock, WALL_CLOCK_FORMAT } from '@tessera/core'

import { DEFAULT_TIME_ZONE, toWallClock } from '@tessera/core'
import { useSettings } from '../api/queries.js'

/**
 * A moment as the company's clock shows it (the time zone from
 * /api/settings), whatever zone the browser is in: who changed a record
 * at 09:30 in Shanghai reads 09:30 from Frankfurt too. Written as dates are
 * everywhere in the app, year first, in both languages (a day-month or
 * month-day order would read 06/12 two ways).
 *
 * @example
 * companyTime('2026-12-05T01:30:00.000Z', 'Asia/Shanghai') // "2026-12-05 09:30:00"
 */
export function companyTime(moment: string | number | Date, timeZone: string): string {
  return toWallClock(new Date(moment).toISOString(), timeZone)
}

/** companyTime bound to the company's time zone, for components. */
export function useCompanyTime(): (moment: string | number | Date) => string {
  const timeZone = useSettings().data?.timeZone ?? DEFAULT_TIME_ZONE
  return (moment) => companyTime(moment, timeZone)
}
