import { LOCALES } from '@tessera/core'
import { describe, expect, it } from 'vitest'
import { MESSAGE_KEYS, translate } from './i18n.js'

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort()
}

describe('translate', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('zh-CN', 'list.total', { total: 27 })).toBe('共 27 条')
    expect(translate('en', 'list.total', { total: 27 })).toBe('27 records')
    expect(translate('en', 'list.total.one', { total: 1 })).toBe('1 record')
    expect(translate('en', 'form.newTitle')).toBe('New {form}')
  })

  it('gives every language the same placeholders for a message', () => {
    for (const key of MESSAGE_KEYS) {
      const [first, ...rest] = LOCALES.map((locale) => placeholders(translate(locale, key)))
      for (const other of rest) expect(other, key).toEqual(first)
    }
  })
})
