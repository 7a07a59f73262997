import { describe, expect, it } from 'vitest'
import { typedDay } from './date-input.js'

describe('a typed day', () => {
  it('is read in the common layouts people type, as imports read them', () => {
    for (const text of ['2026-03-01', '2026-3-1', '2026/3/1', '2026/03/01', '2026.3.1', '20260301', '2026年3月1日']) {
      expect(typedDay(text), text).toBe('2026-03-01')
    }
  })

  it('is nothing when it names no day of the calendar', () => {
    for (const text of ['2026-02-30', '2026/13/1', '3/1/2026', '2026', 'abc', '']) expect(typedDay(text), text).toBeUndefined()
  })
})
