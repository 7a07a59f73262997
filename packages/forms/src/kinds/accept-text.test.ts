import { describe, expect, it } from 'vitest'
import { acceptText } from './accept-text.js'

describe('acceptText', () => {
  it('names kinds of files as people say them, each once', () => {
    expect(acceptText(['application/pdf', '.pdf', 'image/*'], 'zh-CN')).toBe('PDF、图片')
    expect(acceptText(['.docx', 'application/msword', '.xlsx'], 'en')).toBe('Word, Excel')
    expect(acceptText(['image/jpeg', '.jpg', '.png'], 'zh-CN')).toBe('JPG 图片、PNG 图片')
    expect(acceptText(['.ofd', 'application/x-custom'], 'zh-CN')).toBe('OFD、application/x-custom')
  })
})
