import { describe, expect, it } from 'vitest'
import { fractionToPercent, percentToFraction } from './percent-text.js'

describe('percent text', () => {
  it('shows a stored fraction as a percentage, exactly', () => {
    expect(fractionToPercent('0.1300', 2)).toBe('13.00')
    expect(fractionToPercent('0.07')).toBe('7')
    expect(fractionToPercent('0.0007', 2)).toBe('0.07')
    expect(fractionToPercent('-0.5')).toBe('-50')
  })

  it('reads a typed percentage as the fraction, without float noise', () => {
    expect(percentToFraction('13')).toBe('0.13')
    expect(percentToFraction('7%')).toBe('0.07')
    expect(percentToFraction(' 12.5 % ')).toBe('0.125')
    expect(percentToFraction('0')).toBe('0')
    expect(percentToFraction('')).toBeNull()
    expect(percentToFraction('abc')).toBe('abc')
  })
})
