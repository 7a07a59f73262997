import { describe, expect, it } from 'vitest'
import { LOCALES } from '@tessera/core'
import { formatMessage, MESSAGE_KEYS } from './messages.js'

describe('message catalogue', () => {
  it('has every message in every locale, naming the field', () => {
    const params = { label: 'LABEL', limit: 1, example: '1.0', options: ['A'], form: 'FORM' }
    for (const key of MESSAGE_KEYS.filter((name) => name !== 'type.values')) {
      for (const locale of LOCALES) {
        expect([key, locale, formatMessage(key, locale, params)])
          .toEqual([key, locale, expect.stringContaining('LABEL')])
      }
    }
  })

  it('quotes labels the way each language does', () => {
    expect(formatMessage('required', 'zh-CN', { label: '客户' })).toBe('「客户」不能为空')
    expect(formatMessage('required', 'en', { label: 'Customer' })).toBe('"Customer" is required')
  })
})
