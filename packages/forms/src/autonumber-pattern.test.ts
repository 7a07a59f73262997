import { describe, expect, it } from 'vitest'
import {
  autonumberPeriod,
  formatAutonumber,
  parseAutonumberPattern,
} from './autonumber-pattern.js'

describe('autonumber patterns', () => {
  it('formats the date tokens and the zero-padded sequence', () => {
    const parts = parseAutonumberPattern('AR-{YYYY}-{0000}')
    expect(formatAutonumber(parts, '2025-03-14', 7)).toBe('AR-2025-0007')
    expect(formatAutonumber(parts, '2025-03-14', 12345)).toBe('AR-2025-12345')
    const daily = parseAutonumberPattern('{YY}{MM}{DD}/{000}号')
    expect(formatAutonumber(daily, '2025-03-04', 9)).toBe('250304/009号')
  })

  it('restarts per period, made of the date tokens', () => {
    expect(autonumberPeriod(parseAutonumberPattern('AR-{YYYY}-{0000}'), '2025-03-14')).toBe('2025')
    expect(autonumberPeriod(parseAutonumberPattern('{YYYY}{MM}-{000}'), '2025-03-14')).toBe('2025-03')
    expect(autonumberPeriod(parseAutonumberPattern('C{00000}'), '2025-03-14')).toBe('')
  })

  it('refuses patterns without exactly one sequence, or with unknown tokens', () => {
    expect(() => parseAutonumberPattern('AR-{YYYY}')).toThrow(/exactly one sequence token/)
    expect(() => parseAutonumberPattern('{000}-{000}')).toThrow(/found 2/)
    expect(() => parseAutonumberPattern('AR-{yyyy}-{000}')).toThrow(/unknown token \{yyyy\}/)
    expect(() => parseAutonumberPattern('AR-{000')).toThrow()
    expect(() => parseAutonumberPattern('AR}-{000}')).toThrow(/brace/)
  })
})
