import type { FieldDefinition } from '@tessera/core'
import { describe, expect, it } from 'vitest'
import { formatFieldValue, formatReportValue } from './display-value.js'

describe('formatReportValue', () => {
  it('formats each column type', () => {
    expect(formatReportValue('1234.5', 'money')).toBe('1,234.50')
    expect(formatReportValue(1234, 'integer')).toBe('1,234')
    expect(formatReportValue('1234.125', 'number')).toBe('1,234.125')
    expect(formatReportValue('2013-06-30', 'date')).toBe('2013-06-30')
    expect(formatReportValue(null, 'money')).toBe('')
  })
})

describe('formatFieldValue', () => {
  const status: FieldDefinition = {
    key: 'status',
    type: 'select',
    label: '状态',
    options: [{ value: 'open', label: { 'zh-CN': '未结清', en: 'Open' }, color: 'blue' }],
  }
  const customer: FieldDefinition = { key: 'customer', type: 'link', form: 'customer', label: '客户' }
  const amount: FieldDefinition = { key: 'amount', type: 'money', label: '金额', scale: 3 }

  it('shows option labels, link titles and money at the field scale', () => {
    expect(formatFieldValue(status, 'open', 'en')).toBe('Open')
    expect(formatFieldValue(status, 'gone', 'zh-CN')).toBe('gone')
    expect(formatFieldValue(customer, 7, 'zh-CN', '上海某某')).toBe('上海某某')
    expect(formatFieldValue(customer, 7, 'zh-CN')).toBe('#7')
    expect(formatFieldValue(amount, '1234.5', 'zh-CN')).toBe('1,234.500')
  })
})

describe('formatFieldValue: settlement field types', () => {
  const field = <T extends FieldDefinition>(definition: T) => definition

  it('shows percentages, yes/no and choices in the reader\'s language', () => {
    const rate = field({ key: 'rate', type: 'percent', label: '税率' })
    expect(formatFieldValue(rate, '0.1300', 'zh-CN')).toBe('13.00%')
    expect(formatFieldValue({ ...rate, scale: 0 }, '0.125', 'en')).toBe('13%')

    const active = field({ key: 'active', type: 'boolean', label: '启用' })
    expect(formatFieldValue(active, true, 'zh-CN')).toBe('是')
    expect(formatFieldValue(active, false, 'en')).toBe('No')
    expect(formatFieldValue(active, null, 'en')).toBe('')

    const tags = field({
      key: 'tags',
      type: 'multiselect',
      label: '标签',
      options: [
        { value: 'vip', label: { 'zh-CN': '重点', en: 'VIP' } },
        { value: 'new', label: { 'zh-CN': '新客', en: 'New' } },
      ],
    })
    expect(formatFieldValue(tags, ['vip', 'new'], 'zh-CN')).toBe('重点、新客')
    expect(formatFieldValue(tags, ['vip', 'gone'], 'en')).toBe('VIP, gone')
  })

  it('shows a moment on the company wall clock and bank accounts in groups', () => {
    const signed = field({ key: 'signed', type: 'datetime', label: '签约时间' })
    expect(formatFieldValue(signed, '2025-03-14T01:30:00.000Z', 'zh-CN')).toBe('2025-03-14 09:30')
    expect(formatFieldValue(signed, '2025-03-14T01:30:00.000Z', 'en', null, 'Europe/London'))
      .toBe('2025-03-14 01:30')

    const account = field({ key: 'account', type: 'bank_account', label: '账号' })
    expect(formatFieldValue(account, '6222021234567890', 'zh-CN')).toBe('6222 0212 3456 7890')
  })
})
