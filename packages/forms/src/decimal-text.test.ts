import { describe, expect, it } from 'vitest'
import { checkDecimalText, decimalExample } from './decimal-text.js'

describe('checkDecimalText', () => {
  it('accepts plain decimals within scale', () => {
    for (const text of ['0', '-3', '1234.5', '0.01', '007.10']) {
      expect([text, checkDecimalText(text, { scale: 2 })]).toEqual([text, undefined])
    }
  })

  it('allows 20 - scale digits before the point, ignoring leading zeros', () => {
    expect(checkDecimalText('9'.repeat(18), { scale: 2 })).toBeUndefined()
    expect(checkDecimalText('9'.repeat(19), { scale: 2 })).toEqual({ reason: 'digits', limit: 18 })
    expect(checkDecimalText(`000${'9'.repeat(18)}.5`, { scale: 2 })).toBeUndefined()
    expect(checkDecimalText('9'.repeat(20), { scale: 0 })).toBeUndefined()
  })

  it('compares bounds exactly', () => {
    const rule = { scale: 2, min: '0.01', max: '99999999999999999.99' }
    expect(checkDecimalText('0.00', rule)).toEqual({ reason: 'min', limit: '0.01' })
    expect(checkDecimalText('99999999999999999.99', rule)).toBeUndefined()
    expect(checkDecimalText('100000000000000000', rule))
      .toEqual({ reason: 'max', limit: '99999999999999999.99' })
  })

  it('names the first problem: format, then digits, then scale', () => {
    expect(checkDecimalText('1.5e3', { scale: 2 })).toEqual({ reason: 'format' })
    expect(checkDecimalText('1.234', { scale: 2 })).toEqual({ reason: 'scale', limit: 2 })
  })
})

describe('decimalExample', () => {
  it('shows the field scale', () => {
    expect([0, 1, 2, 4].map(decimalExample)).toEqual(['12', '12.5', '12.50', '12.5000'])
  })
})
