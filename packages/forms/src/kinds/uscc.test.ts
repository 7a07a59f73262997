import { describe, expect, it } from 'vitest'
import { checkUscc, normalizeUscc, usccCheckCharacter } from './uscc.js'

// Codes of registered companies, as printed on their business licences,
// and the example of GB 32100-2015 itself.
const REAL_CODES = [
  '91350100M000100Y43',
  '91330100799655058B',
  '914403001922038216',
  '9144030071526726XG',
  '91110108551385082Q',
  '91440300708461136T',
]

describe('unified social credit code (GB 32100-2015)', () => {
  it('accepts real codes, whose check characters agree with the weights 3^i mod 31', () => {
    for (const code of REAL_CODES) {
      expect([code, checkUscc(code)]).toEqual([code, undefined])
      expect(usccCheckCharacter(code)).toBe(code[17])
    }
  })

  it('refuses a real code with any other check character', () => {
    const [code] = REAL_CODES
    const others = '0123456789ABCDEFGHJKLMNPQRTUWXY'.replace(code[17], '')
    for (const wrong of others) expect(checkUscc(code.slice(0, 17) + wrong)).toBe('check')
  })

  it('refuses a code with two characters swapped, which the weights catch', () => {
    expect(checkUscc('91330100799655085B')).toBe('check')
    expect(checkUscc('19330100799655058B')).toBe('check')
  })

  it('says what is wrong: length, then letters outside the alphabet, then the check', () => {
    expect(checkUscc('91330100799655058')).toBe('length')
    expect(checkUscc('91330100799655058BB')).toBe('length')
    expect(checkUscc('')).toBe('length')
    expect(checkUscc('9133010079965505IB')).toBe('charset')
    expect(checkUscc('9133010079965505OB')).toBe('charset')
    expect(checkUscc('91330100799655058Z')).toBe('charset')
  })

  it('reads lower case and spaces as people type them', () => {
    expect(checkUscc(' 9133 0100 7996 5505 8b ')).toBeUndefined()
    expect(normalizeUscc(' 9133 0100 7996 5505 8b ')).toBe('91330100799655058B')
  })
})
