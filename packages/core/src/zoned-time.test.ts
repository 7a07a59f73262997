import { describe, expect, it } from 'vitest'
import { fromWallClock, toWallClock } from './zoned-time.js'

describe('zoned time', () => {
  it('shows a UTC moment on the company wall clock', () => {
    expect(toWallClock('2025-03-14T01:30:00.000Z', 'Asia/Shanghai')).toBe('2025-03-14 09:30:00')
    expect(toWallClock('2025-12-31T16:00:00.000Z', 'Asia/Shanghai')).toBe('2026-01-01 00:00:00')
    expect(toWallClock('2025-07-01T12:00:00Z', 'America/New_York')).toBe('2025-07-01 08:00:00')
  })

  it('turns a wall-clock time into ISO text with the offset of that moment', () => {
    expect(fromWallClock('2025-03-14 09:30:00', 'Asia/Shanghai')).toBe('2025-03-14T09:30:00+08:00')
    expect(fromWallClock('2025-01-15 08:00', 'America/New_York')).toBe('2025-01-15T08:00:00-05:00')
    expect(fromWallClock('2025-07-15 08:00', 'America/New_York')).toBe('2025-07-15T08:00:00-04:00')
    expect(fromWallClock('15/03/2025', 'Asia/Shanghai')).toBeNull()
  })

  it('round-trips: the wall clock of the converted moment is what was typed', () => {
    for (const zone of ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York']) {
      const iso = fromWallClock('2025-10-26 12:34:56', zone)!
      expect(toWallClock(iso, zone)).toBe('2025-10-26 12:34:56')
    }
  })
})
