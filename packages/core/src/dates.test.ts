import { describe, expect, it } from 'vitest'
import { FIRST_DATE, LAST_DATE, isIsoDate } from './dates.js'

describe('calendar dates', () => {
  it('knows real days of every year from 1, where Date.UTC would read 0–99 as 1900–1999', () => {
    expect(isIsoDate('2024-02-29')).toBe(true)
    expect(isIsoDate('2023-02-29')).toBe(false)
    expect(isIsoDate('0099-01-02')).toBe(true)
    expect(isIsoDate('0004-02-29')).toBe(true)
    expect(isIsoDate('0001-01-01')).toBe(true)
    expect(isIsoDate('0000-01-01')).toBe(false)
    expect(isIsoDate('2026-13-01')).toBe(false)
    expect(isIsoDate('2026-1-01')).toBe(false)
    expect(isIsoDate(20260101)).toBe(false)
    expect([FIRST_DATE, LAST_DATE].every(isIsoDate)).toBe(true)
  })
})
