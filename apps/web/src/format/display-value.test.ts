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
