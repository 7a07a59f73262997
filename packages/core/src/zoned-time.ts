/**
 * Moments are exchanged as ISO 8601 text; people read and type them as
 * wall-clock time in the company's time zone, whatever zone the browser
 * or the server runs in. These helpers convert between the two with Intl
 * only, so that no Date is read in the machine's own zone by accident.
 *
 * @example
 * toWallClock('2025-03-14T01:30:00.000Z', 'Asia/Shanghai') // "2025-03-14 09:30:00"
 * fromWallClock('2025-03-14 09:30:00', 'Asia/Shanghai')    // "2025-03-14T09:30:00+08:00"
 */
export const WALL_CLOCK_FORMAT = 'YYYY-MM-DD HH:mm:ss'

const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
    formatters.set(timeZone, formatter)
  }
  return formatter
}

/** The wall clock of a moment in a time zone: "YYYY-MM-DD HH:mm:ss". */
export function toWallClock(iso: string, timeZone: string): string {
  const moment = new Date(iso)
  if (Number.isNaN(moment.getTime())) return iso
  const parts = Object.fromEntries(
    formatterFor(timeZone).formatToParts(moment).map((part) => [part.type, part.value]),
  )
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`
}

/**
 * The moment a wall-clock time in a time zone stands for, as ISO text with
 * that zone's offset at that moment; null for text that is not a wall
 * clock. Offsets are found by probing, so zones with daylight saving work.
 */
export function fromWallClock(wall: string, timeZone: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(wall.trim())
  if (!match) return null
  const [y, mo, d, h, mi, s = '0'] = match.slice(1).map((part) => part ?? '0')
  const asUtc = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s)

  let offset = offsetMinutes(asUtc, timeZone)
  offset = offsetMinutes(asUtc - offset * 60_000, timeZone)
  const sign = offset < 0 ? '-' : '+'
  const abs = Math.abs(offset)
  const hh = String(Math.floor(abs / 60)).padStart(2, '0')
  const mm = String(abs % 60).padStart(2, '0')
  return `${y}-${mo}-${d}T${h}:${mi}:${String(s).padStart(2, '0')}${sign}${hh}:${mm}`
}

/** Minutes the zone's wall clock runs ahead of UTC at a moment. */
function offsetMinutes(moment: number, timeZone: string): number {
  const wall = toWallClock(new Date(moment).toISOString(), timeZone)
  const [date, time] = wall.split(' ')
  const [y, mo, d] = date.split('-').map(Number)
  const [h, mi, s] = time.split(':').map(Number)
  return Math.round((Date.UTC(y, mo - 1, d, h, mi, s) - moment) / 60_000)
}
