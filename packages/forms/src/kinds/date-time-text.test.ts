import { describe, expect, it } from 'vitest'
import { checkDateTime, normalizeDateTime } from './date-time-text.js'

describe('date-time text', () => {
  it('accepts ISO 8601 with an offset and stores the moment in UTC', () => {
    expect(checkDateTime('2025-03-14T09:30:00+08:00')).toBeUndefined()
    expect(normalizeDateTime('2025-03-14T09:30:00+08:00')).toBe('2025-03-14T01:30:00.000Z')
    expect(normalizeDateTime('2025-03-14T09:30+0800')).toBe('2025-03-14T01:30:00.000Z')
    expect(normalizeDateTime('2025-03-14 01:30:00.5Z')).toBe('2025-03-14T01:30:00.500Z')
    expect(normalizeDateTime('2024-02-29T23:59:59-05:00')).toBe('2024-03-01T04:59:59.000Z')
    expect(checkDateTime('1900-01-01T00:00:00Z')).toBeUndefined()
    expect(checkDateTime('9999-12-31T23:59:59Z')).toBeUndefined()
  })

  it('refuses a value without an offset: the moment would depend on the machine', () => {
    expect(checkDateTime('2025-03-14T09:30')).toBe('offset')
    expect(checkDateTime('2022-07-06T13:12:43')).toBe('offset')
  })

  it('refuses impossible dates and times', () => {
    for (const text of ['2025-02-30T00:00:00Z', '2025-03-14T24:00:00Z', '2025-03-14T09:60Z',
      '2025-03-14', '14/03/2025 09:30', 'now', '', '1899-12-31T23:59:59Z', '0050-01-01T00:00:00Z',
      // The moment is what counts: 1899 in UTC, and past 9999 in UTC, which Postgres cannot store.
      '1900-01-01T00:00:00+08:00', '9999-12-31T23:59:59-01:00']) {
      expect([text, checkDateTime(text)]).toEqual([text, 'format'])
    }
  })
})
