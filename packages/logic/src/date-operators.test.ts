import { describe, expect, it } from 'vitest'
import { todayIn } from '@tessera/core'
import { evaluate } from './evaluate.js'
import { failure } from './test-helpers.js'

const run = (rule: unknown, data: unknown = {}) => evaluate(rule, data)

describe('date', () => {
  it('reads each supported layout into an ISO date', () => {
    expect(run({ date: ['2025-09-30'] })).toBe('2025-09-30')
    expect(run({ date: ['2025-9-3', 'YYYY-MM-DD'] })).toBe('2025-09-03')
    expect(run({ date: ['9/30/2025', 'M/D/YYYY'] })).toBe('2025-09-30')
    expect(run({ date: ['30/9/2025', 'D/M/YYYY'] })).toBe('2025-09-30')
    expect(run({ date: ['2025/9/30', 'YYYY/M/D'] })).toBe('2025-09-30')
    expect(run({ date: ['20250930', 'YYYYMMDD'] })).toBe('2025-09-30')
    expect(run({ date: [20250930] })).toBe('2025-09-30')
    expect(run({ date: [' 2025/09/30 '] })).toBe('2025-09-30')
  })

  it('returns null for empty text', () => {
    expect(run({ date: [''] })).toBeNull()
    expect(run({ date: [{ var: 'x' }, 'M/D/YYYY'] })).toBeNull()
  })

  it('refuses impossible dates and ambiguous layouts', () => {
    expect(failure(() => run({ date: ['2025-02-30'] })).message)
      .toBe('date: "2025-02-30" is not a calendar date')
    expect(failure(() => run({ date: ['13/1/2025', 'M/D/YYYY'] })).details.operator).toBe('date')
    expect(failure(() => run({ date: ['03/04/2025'] })).message).toContain('give a format')
    expect(failure(() => run({ date: ['2025-09-30', { var: 'f' }] }, { f: 'DD.MM' })).message)
      .toBe('date: unknown format "DD.MM"')
  })
})

describe('date comparisons', () => {
  it('compare calendar dates', () => {
    expect(run({ 'date<': ['2025-09-30', '2025-10-01'] })).toBe(true)
    expect(run({ 'date<=': ['2025-10-01', '2025-10-01'] })).toBe(true)
    expect(run({ 'date>': ['2026-01-01', '2025-12-31'] })).toBe(true)
    expect(run({ 'date>=': ['2025-01-01', '2025-01-02'] })).toBe(false)
    expect(run({ 'date==': ['2025-01-01', '2025-01-01'] })).toBe(true)
    expect(run({ 'date<=': ['2025-01-01', '2025-06-30', '2025-12-31'] })).toBe(true)
  })

  it('are false when a date is missing, and refuse text that is not a date', () => {
    expect(run({ 'date<': [{ var: 'due' }, '2025-01-01'] })).toBe(false)
    expect(failure(() => run({ 'date==': ['2025-02-30', '2025-02-30'] })).details.operator)
      .toBe('date==')
  })
})

describe('date arithmetic', () => {
  it('counts days between dates across months and leap days', () => {
    expect(run({ days_between: ['2024-02-28', '2024-03-01'] })).toBe(2)
    expect(run({ days_between: ['2025-03-01', '2025-02-28'] })).toBe(-1)
    expect(run({ days_between: [null, '2025-01-01'] })).toBeNull()
  })

  it('adds days', () => {
    expect(run({ add_days: ['2024-12-31', 60] })).toBe('2025-03-01')
    expect(run({ add_days: ['2025-03-01', -1] })).toBe('2025-02-28')
    expect(run({ add_days: [{ var: 'd' }, 1] })).toBeNull()
    expect(failure(() => run({ add_days: ['2025-01-01', 1.5] })).details.operator).toBe('add_days')
  })
})

describe('today', () => {
  it('uses options.today when given', () => {
    expect(evaluate({ today: [] }, {}, { today: '2025-06-30' })).toBe('2025-06-30')
  })

  it('uses the time zone, Asia/Shanghai by default', () => {
    const before = todayIn('Asia/Shanghai')
    const result = evaluate({ today: [] }, {})
    expect([before, todayIn('Asia/Shanghai')]).toContain(result)

    const honolulu = evaluate({ today: [] }, {}, { timeZone: 'Pacific/Honolulu' })
    expect(honolulu).toMatch(/^\d{4}-\d{2}-\d{2}$/)
  })

  it('refuses a bad time zone or a bad fixed date', () => {
    expect(failure(() => evaluate({ today: [] }, {}, { timeZone: 'Asia/Beijing' })).message)
      .toBe('today: unknown time zone "Asia/Beijing"')
    expect(failure(() => evaluate({ today: [] }, {}, { today: '2025-13-01' })).details.operator)
      .toBe('today')
  })
})
