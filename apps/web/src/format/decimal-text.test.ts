import { describe, expect, it } from 'vitest'
import { formatDecimalText, formatNumber, groupDigits } from './decimal-text.js'

describe('formatDecimalText', () => {
  it('groups thousands on the text, keeping every digit', () => {
    expect(formatDecimalText('1234567.5', 2)).toBe('1,234,567.50')
    expect(formatDecimalText('-1234.5')).toBe('-1,234.5')
    expect(formatDecimalText('999')).toBe('999')
    expect(formatDecimalText('1000')).toBe('1,000')
    expect(formatDecimalText('0.10', 2)).toBe('0.10')
  })

  it('shows amounts past float precision exactly', () => {
    // 2^53 + 1: Number() would turn it into …992.
    expect(formatDecimalText('9007199254740993.01', 2)).toBe('9,007,199,254,740,993.01')
    expect(formatDecimalText('12345678901234567890.12')).toBe('12,345,678,901,234,567,890.12')
  })

  it('rounds half up on the decimal digits, not through a float', () => {
    // As a float 1.005 is 1.00499999999999989…, which rounds down.
    expect(formatDecimalText('1.005', 2)).toBe('1.01')
    expect(formatDecimalText('-2.675', 2)).toBe('-2.68')
  })

  it('returns text that is not a number unchanged', () => {
    expect(formatDecimalText('n/a', 2)).toBe('n/a')
    expect(formatDecimalText('1e3', 2)).toBe('1e3')
  })
})

describe('groupDigits', () => {
  it('does not group the fraction', () => {
    expect(groupDigits('1234.56789')).toBe('1,234.56789')
  })
})

describe('formatNumber', () => {
  it('uses the shortest exact spelling of a JSON number', () => {
    expect(formatNumber(1234)).toBe('1,234')
    expect(formatNumber(0.1)).toBe('0.1')
    expect(formatNumber(1e21)).toBe('1,000,000,000,000,000,000,000')
    expect(formatNumber(Number.NaN)).toBe('NaN')
  })
})
