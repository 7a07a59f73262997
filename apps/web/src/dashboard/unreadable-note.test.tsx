import { describe, expect, it } from 'vitest'
import { type MessageKey, type MessageParams, translate } from '../i18n.js'
import { attribute, renderMarkup } from '../testing/render-markup.js'
import { UnreadableNote, leftOutLines } from './unreadable-note.js'

const RESULT = {
  columns: [],
  rows: [],
  params: {},
  unreadable: [
    { form: 'receipt', label: { 'zh-CN': '收款', en: 'Receipt' } },
    { form: 'write_off', label: { 'zh-CN': '冲减', en: 'Write-off' } },
  ],
}
const HIDDEN = {
  ...RESULT,
  unreadable: undefined,
  hidden: [{
    form: 'customer', formLabel: { 'zh-CN': '客户', en: 'Customer' },
    field: 'credit_limit', label: { 'zh-CN': '信用额度', en: 'Credit limit' },
  }],
}

const translator = (locale: 'zh-CN' | 'en') => (key: MessageKey, params?: MessageParams) => translate(locale, key, params)

describe('UnreadableNote', () => {
  it('names every form the reader may not read, in a sentence on the page and a tag on a widget', () => {
    const page = renderMarkup(<UnreadableNote result={RESULT} />)
    expect(attribute(page, 'data-unreadable')).toBe('receipt,write_off')
    expect(page).toContain('这张报表用到您无权查看的「收款」、「冲减」：其中的记录按没有计算')
    const widget = renderMarkup(<UnreadableNote result={RESULT} compact />)
    expect(attribute(widget, 'data-unreadable')).toBe('receipt,write_off')
    expect(widget).toContain('数据不全')
    // The sentence naming them is the tag's tooltip and label.
    expect(attribute(widget, 'aria-label')).toContain('这张报表用到您无权查看的「收款」、「冲减」')
  })

  it('names a field hidden from the reader by its form and label', () => {
    const page = renderMarkup(<UnreadableNote result={HIDDEN} />)
    expect(attribute(page, 'data-unreadable')).toBe('customer.credit_limit')
    expect(page).toContain('这张报表用到对您隐藏的字段「客户」的「信用额度」：按空值计算，其合计显示为 0。')
    expect(attribute(renderMarkup(<UnreadableNote result={HIDDEN} compact />), 'aria-label')).toContain('「客户」的「信用额度」')
  })

  it('gives an export and a printout lines naming what is left out, in the reader\'s language', () => {
    expect(leftOutLines(RESULT, 'zh-CN', translator('zh-CN')))
      .toEqual([['不含', '「收款」、「冲减」（您无权查看，其中的记录按没有计算）']])
    expect(leftOutLines({ ...RESULT, hidden: HIDDEN.hidden }, 'en', translator('en'))).toEqual([
      ['Leaves out', '"Receipt", "Write-off" (you may not read them: their records count as none)'],
      ['Hidden fields', '"Credit limit" of "Customer" (hidden from you: read as empty)'],
    ])
    expect(leftOutLines({ ...RESULT, unreadable: [] }, 'en', translator('en'))).toEqual([])
  })

  it('says nothing when every form is readable, or before the figures came', () => {
    expect(renderMarkup(<UnreadableNote result={{ ...RESULT, unreadable: undefined }} />)).toBe('')
    expect(renderMarkup(<UnreadableNote result={{ ...RESULT, unreadable: [] }} compact />)).toBe('')
    expect(renderMarkup(<UnreadableNote result={undefined} />)).toBe('')
  })
})
