import { describe, expect, it } from 'vitest'
import { attribute, renderMarkup } from '../testing/render-markup.js'
import { type MessageKey, type MessageParams, translate } from '../i18n.js'
import { UnreadableNote, unreadableLine } from './unreadable-note.js'

const RESULT = {
  columns: [],
  rows: [],
  params: {},
  unreadable: [
    { form: 'receipt', label: { 'zh-CN': '收款', en: 'Receipt' } },
    { form: 'write_off', label: { 'zh-CN': '冲减', en: 'Write-off' } },
  ],
}

const translator = (locale: 'zh-CN' | 'en') => (key: MessageKey, params?: MessageParams) => translate(locale, key, params)

describe('UnreadableNote', () => {
  it('names every form the reader may not read, in a sentence on the page and a tag on a widget', () => {
    const page = renderMarkup(<UnreadableNote result={RESULT} />)
    expect(attribute(page, 'data-unreadable')).toBe('receipt,write_off')
    expect(page).toContain('这张报表用到您无权查看的「收款」、「冲减」：其中的记录按没有计算')
    const widget = renderMarkup(<UnreadableNote result={RESULT} compact />)
    expect(attribute(widget, 'data-unreadable')).toBe('receipt,write_off')
    expect(widget).toContain('不含「收款」、「冲减」')
  })

  it('gives an export and a printout a line naming the forms left out, in the reader\'s language', () => {
    expect(unreadableLine(RESULT, 'zh-CN', translator('zh-CN')))
      .toEqual(['不含', '「收款」、「冲减」（您无权查看，其中的记录按没有计算）'])
    expect(unreadableLine(RESULT, 'en', translator('en')))
      .toEqual(['Leaves out', '"Receipt", "Write-off" (you may not read them: their records count as none)'])
    expect(unreadableLine({ ...RESULT, unreadable: [] }, 'en', translator('en'))).toBeUndefined()
  })

  it('says nothing when every form is readable, or before the figures came', () => {
    expect(renderMarkup(<UnreadableNote result={{ ...RESULT, unreadable: undefined }} />)).toBe('')
    expect(renderMarkup(<UnreadableNote result={{ ...RESULT, unreadable: [] }} compact />)).toBe('')
    expect(renderMarkup(<UnreadableNote result={undefined} />)).toBe('')
  })
})
