import { describe, expect, it } from 'vitest'
import { parseCookies, serializeCookie } from './cookies.js'

describe('cookies', () => {
  it('parses a Cookie header, skipping malformed parts and keeping the first of a name', () => {
    expect(parseCookies('a=1; tessera_session=abc%3D; b="q"; =x; junk; a=2; c=%E0%A4%A'))
      .toEqual({ a: '1', tessera_session: 'abc=', b: 'q' })
    expect(parseCookies(undefined)).toEqual({})
    expect(parseCookies('')).toEqual({})
  })

  it('writes Set-Cookie values with the asked flags, and deletes with Max-Age=0', () => {
    expect(serializeCookie('sid', 'a b', { path: '/', httpOnly: true, sameSite: 'Lax' }))
      .toBe('sid=a%20b; Path=/; HttpOnly; SameSite=Lax')
    expect(serializeCookie('sid', '', { path: '/', maxAge: 0, secure: true }))
      .toBe('sid=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Secure')
    expect(() => serializeCookie('bad name', 'x')).toThrow(/bad name/)
  })

  it('round-trips any value', () => {
    const value = 'tsr_ab-_~; =,"中'
    const header = serializeCookie('v', value).split(';')[0]
    expect(parseCookies(header).v).toBe(value)
  })
})
