import { describe, expect, it } from 'vitest'
import { checkPhone, normalizePhone } from './phone-number.js'

describe('phone numbers', () => {
  it('stores each kind in one spelling, whatever the spaces and hyphens', () => {
    const cases: [string, string][] = [
      ['13800138000', '13800138000'],
      ['138 0013 8000', '13800138000'],
      ['+86 138-0013-8000', '13800138000'],
      ['8613800138000', '13800138000'],
      ['010-65529988', '010-65529988'],
      ['(010) 6552 9988', '010-65529988'],
      ['021 6888 8888', '021-68888888'],
      ['0755-8234567', '0755-8234567'],
      ['(0755)8888-8888', '0755-88888888'],
      ['+86 10 65529988', '010-65529988'],
      ['010-65529988 转 123', '010-65529988-123'],
      ['010-65529988-123', '010-65529988-123'],
      ['0755-82345678x99', '0755-82345678-99'],
      ['+44 20 7946 0958', '+442079460958'],
      ['+1 415 555 2671', '+14155552671'],
    ]
    for (const [typed, stored] of cases) expect([typed, normalizePhone(typed)]).toEqual([typed, stored])
  })

  it('refuses what is not a number one could dial', () => {
    for (const text of ['', '12345', '1380013800', '23800138000', '12800138000',
      '010-1234', '010-12345678', 'abc', '138-0013-800a', '+86 12345']) {
      expect([text, checkPhone(text)]).toEqual([text, 'format'])
    }
  })
})
