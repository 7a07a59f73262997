import { describe, expect, it } from 'vitest'
import { companyTime } from './zoned-time.js'

describe('companyTime', () => {
  it('shows a moment on the company clock, not the browser\'s', () => {
    // 01:30 UTC is 09:30 in Shanghai and 02:30 in Frankfurt (winter), wherever this runs.
    expect(companyTime('2026-12-05T01:30:00.000Z', 'Asia/Shanghai')).toBe('2026-12-05 09:30:00')
    expect(companyTime('2026-12-05T01:30:00.000Z', 'Europe/Berlin')).toBe('2026-12-05 02:30:00')
    // Past midnight in Shanghai: the company's day, not UTC's.
    expect(companyTime('2026-12-05T17:00:00.000Z', 'Asia/Shanghai')).toBe('2026-12-06 01:00:00')
  })
})
