import { describe, expect, it } from 'vitest'
import { checkBankAccount, groupBankAccount, normalizeBankAccount } from './bank-account.js'

describe('bank account numbers', () => {
  it('takes 8 to 30 digits with or without spaces and stores the digits', () => {
    expect(checkBankAccount('6222 0212 3456 7890')).toBeUndefined()
    expect(normalizeBankAccount('6222 0212 3456 7890')).toBe('6222021234567890')
    expect(checkBankAccount('12345678')).toBeUndefined()
    expect(checkBankAccount('1'.repeat(30))).toBeUndefined()
  })

  it('refuses other characters and other lengths', () => {
    expect(checkBankAccount('6222-0212-3456')).toBe('format')
    expect(checkBankAccount('62220212345678X')).toBe('format')
    expect(checkBankAccount('1234567')).toBe('length')
    expect(checkBankAccount('1'.repeat(31))).toBe('length')
  })

  it('groups by four for reading', () => {
    expect(groupBankAccount('6222021234567890123')).toBe('6222 0212 3456 7890 123')
  })
})
