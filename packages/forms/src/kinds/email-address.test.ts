import { describe, expect, it } from 'vitest'
import { checkEmail, normalizeEmail } from './email-address.js'

describe('e-mail addresses', () => {
  it('accepts usual and international addresses', () => {
    for (const text of ['a@b.cn', 'zhang.san+ar@example.com.cn', "o'brien@mail.example.org",
      '财务@例子.中国', 'x@xn--fiqs8s.xn--fiqz9s']) {
      expect([text, checkEmail(text)]).toEqual([text, undefined])
    }
  })

  it('refuses malformed ones', () => {
    for (const text of ['', 'a', 'a@', '@b.cn', 'a@b', 'a@b.c', 'a..b@c.cn', '.a@c.cn',
      'a@-b.cn', 'a b@c.cn', 'a@b.cn.', 'a@@b.cn']) {
      expect([text, checkEmail(text)]).toEqual([text, 'format'])
    }
    const labels = ['b', 'c', 'd', 'e'].map((letter) => letter.repeat(60)).join('.')
    expect(checkEmail(`${'a'.repeat(60)}@${labels}.cn`))
      .toBe('length')
  })

  it('lowers the case of the domain only', () => {
    expect(normalizeEmail(' Zhang.San@Example.COM ')).toBe('Zhang.San@example.com')
  })
})
