import { describe, expect, it } from 'vitest'

import { periodAround } from '@tessera/core'

import { parsePeriod, periodOf, previousPeriod } from '../src/period.js'

describe('periods', () => {
  it('reads { from, to } and "from..to", refusing reversed or unreal dates', () => {
    expect(parsePeriod('2024-06-01..2024-06-30')).toEqual({ from: '2024-06-01', to: '2024-06-30' })
    expect(parsePeriod({ from: '2024-06-01', to: '2024-06-01' })).toEqual({
      from: '2024-06-01',
      to: '2024-06-01',
    })
    expect(parsePeriod('2024-06-30..2024-06-01')).toBeUndefined()
    expect(parsePeriod('2023-02-29..2023-03-01')).toBeUndefined()
    expect(parsePeriod({ from: '2024-06-01', to: '2024-06-30', extra: 1 })).toBeUndefined()
    expect(parsePeriod('2024-06-01')).toBeUndefined()
  })

  it('shifts whole calendar months by months, other periods by their length in days', () => {
    const shift = (from: string, to: string) => previousPeriod({ from, to })
    expect(shift('2024-03-01', '2024-03-31')).toEqual({ from: '2024-02-01', to: '2024-02-29' })
    expect(shift('2024-01-01', '2024-03-31')).toEqual({ from: '2023-10-01', to: '2023-12-31' })
    expect(shift('2024-01-01', '2024-12-31')).toEqual({ from: '2023-01-01', to: '2023-12-31' })
    expect(shift('2024-03-10', '2024-03-16')).toEqual({ from: '2024-03-03', to: '2024-03-09' })
    // Up to a day (month, quarter, year to date): the same days of as many months before.
    expect(shift('2024-03-01', '2024-03-30')).toEqual({ from: '2024-02-01', to: '2024-02-29' })
    expect(shift('2026-12-01', '2026-12-05')).toEqual({ from: '2026-11-01', to: '2026-11-05' })
    expect(shift('2026-10-01', '2026-12-05')).toEqual({ from: '2026-07-01', to: '2026-09-05' })
    expect(shift('2026-01-01', '2026-12-05')).toEqual({ from: '2025-01-01', to: '2025-12-05' })
    expect(shift('2026-01-01', '2026-01-31')).toEqual({ from: '2025-12-01', to: '2025-12-31' })
  })

  it('names the periods up to today', () => {
    const now = new Date('2026-12-05T03:00:00Z')
    expect(periodOf('month_to_date', 'Asia/Shanghai', now)).toEqual({ from: '2026-12-01', to: '2026-12-05' })
    expect(periodOf('quarter_to_date', 'Asia/Shanghai', now)).toEqual({ from: '2026-10-01', to: '2026-12-05' })
    expect(periodOf('year_to_date', 'Asia/Shanghai', now)).toEqual({ from: '2026-01-01', to: '2026-12-05' })
  })

  it('names whole periods around today in the company time zone', () => {
    // 16:30 UTC on March 31 is already April 1 in Shanghai.
    const now = new Date('2024-03-31T16:30:00Z')
    expect(periodOf('this_month', 'Asia/Shanghai', now)).toEqual({
      from: '2024-04-01',
      to: '2024-04-30',
    })
    expect(periodOf('this_month', 'UTC', now)).toEqual({ from: '2024-03-01', to: '2024-03-31' })
    expect(periodOf('last_quarter', 'Asia/Shanghai', now)).toEqual({
      from: '2024-01-01',
      to: '2024-03-31',
    })
    expect(periodOf('last_month', 'UTC', new Date('2024-01-15T00:00:00Z'))).toEqual({
      from: '2023-12-01',
      to: '2023-12-31',
    })
    expect(periodOf('last_year', 'UTC', now)).toEqual({ from: '2023-01-01', to: '2023-12-31' })
  })

  it('reaches the last month a date can be in, December 9999, without a year after it', () => {
    expect(periodAround('this_month', '9999-12-31')).toEqual({ from: '9999-12-01', to: '9999-12-31' })
    expect(periodAround('this_quarter', '9999-11-15')).toEqual({ from: '9999-10-01', to: '9999-12-31' })
    expect(periodAround('this_year', '9999-06-30')).toEqual({ from: '9999-01-01', to: '9999-12-31' })
    expect(previousPeriod({ from: '9999-12-01', to: '9999-12-31' })).toEqual({ from: '9999-11-01', to: '9999-11-30' })
    expect(periodAround('this_month', '2024-02-10')).toEqual({ from: '2024-02-01', to: '2024-02-29' })
    expect(periodAround('this_month', '1900-02-10')).toEqual({ from: '1900-02-01', to: '1900-02-28' })
    expect(periodAround('last_month', '2000-03-10')).toEqual({ from: '2000-02-01', to: '2000-02-29' })
  })
})
