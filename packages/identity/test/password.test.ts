import { describe, expect, it } from 'vitest'
import { checkPassword, hashPassword, PASSWORD_COST, verifyPassword } from '../src/index.js'

describe('password hashes', () => {
  it('are salted scrypt strings that verify only the same password', async () => {
    const first = await hashPassword('correct horse 42')
    const second = await hashPassword('correct horse 42')
    expect(first).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/)
    expect(first).not.toBe(second)
    expect(first).not.toContain('correct horse')
    expect(await verifyPassword('correct horse 42', first)).toBe(true)
    expect(await verifyPassword('correct horse 43', first)).toBe(false)
    expect(await verifyPassword('', first)).toBe(false)
  })

  it('use at least N = 2^15', () => {
    expect(2 ** PASSWORD_COST.log2N).toBeGreaterThanOrEqual(2 ** 15)
  })

  it('never match a missing or malformed hash', async () => {
    expect(await verifyPassword('anything 123', null)).toBe(false)
    expect(await verifyPassword('anything 123', 'plain-text')).toBe(false)
    expect(await verifyPassword('anything 123', 'scrypt$99$8$1$AAAA$AAAA')).toBe(false)
  })

  it('treat composed and decomposed Unicode as the same password', async () => {
    const hash = await hashPassword('Caf\u00e9-password-1')
    expect(await verifyPassword('Cafe\u0301-password-1', hash)).toBe(true)
  })
})

describe('password rules', () => {
  it('accept a long password with two kinds of characters', () => {
    expect(checkPassword('winter-harbour', 'li.na', 'en')).toEqual([])
    expect(checkPassword('应收账款对账2026', 'li.na', 'zh-CN')).toEqual([])
  })

  it('name each broken rule, in the asked language', () => {
    const short = checkPassword('abc', 'li.na', 'en')
    expect(short.map((i) => i.rule).sort()).toEqual(['kinds', 'min'])
    expect(short[0]).toMatchObject({ field: 'password', rule: 'min', expected: { min: 10 } })
    expect(checkPassword('abc', 'li.na', 'zh-CN')[0].message).toContain('至少')
    expect(checkPassword('aaaaaaaaaaaa', 'li.na', 'en').map((i) => i.rule)).toEqual(['kinds'])
    expect(checkPassword('x'.repeat(150) + '1'.repeat(60), 'li.na', 'en').map((i) => i.rule)).toEqual(['max'])
  })

  it('refuse a password that contains the username', () => {
    const issues = checkPassword('Admin-2026-password', 'admin', 'en', 'newPassword')
    expect(issues).toEqual([expect.objectContaining({ field: 'newPassword', rule: 'name' })])
  })
})
