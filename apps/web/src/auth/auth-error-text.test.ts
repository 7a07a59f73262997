import { describe, expect, it } from 'vitest'
import { ApiError } from '../api/api-error.js'
import { authErrorText } from './auth-error-text.js'

describe('authErrorText', () => {
  it('says the same for every bad sign-in, in the chosen language', () => {
    const invalid = new ApiError(401, 'auth.invalid', 'the username or password is not right')
    expect(authErrorText(invalid, 'zh-CN')).toBe('用户名或密码不正确')
    expect(authErrorText(invalid, 'en')).toBe('The username or password is not right')
  })

  it('names the time a lock ends, and asks to wait when rate limited', () => {
    const locked = new ApiError(423, 'auth.locked', 'locked', { details: { until: '2026-12-01T02:15:00.000Z' } })
    const time = new Date('2026-12-01T02:15:00.000Z').toLocaleTimeString('en', { hour: '2-digit', minute: '2-digit' })
    expect(authErrorText(locked, 'en')).toBe(`Too many failed sign-ins: the account is locked until ${time}`)
    expect(authErrorText(new ApiError(429, 'auth.rate_limited', 'x'), 'zh-CN')).toBe('尝试次数过多，请稍后再试')
  })

  it('passes any other problem through with the server message', () => {
    expect(authErrorText(new ApiError(400, 'validation.failed', '密码至少需要 10 个字符'), 'zh-CN')).toBe('密码至少需要 10 个字符')
    expect(authErrorText(new Error('offline'), 'en')).toBe('offline')
  })
})
