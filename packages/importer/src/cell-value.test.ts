import { describe, expect, it } from 'vitest'
import type { FieldDefinition } from '@tessera/core'
import { cellProblemMessage, cellValue } from './cell-value.js'

const options = { timeZone: 'Asia/Shanghai' }
const read = (field: FieldDefinition, cell: unknown) =>
  cellValue(field, cell as string, options)
const field = <T extends FieldDefinition>(definition: T) => definition

describe('cellValue', () => {
  it('reads numbers and money as typed or as Excel numbers, never through an exponent', () => {
    const amount = field({ key: 'a', type: 'money', label: '金额' })
    expect(read(amount, '1,234.50')).toEqual({ ok: true, value: '1234.50' })
    expect(read(amount, 1234.5)).toEqual({ ok: true, value: '1234.5' })
    expect(read(amount, 1e21)).toEqual({ ok: true, value: '1000000000000000000000' })
    expect(read(amount, 'abc')).toEqual({ ok: false, problem: 'number' })
    // Sums worked out in a sheet carry a float's last-digit noise, which the cell does not show.
    expect(read(amount, 0.1 + 0.2)).toEqual({ ok: true, value: '0.3' })
    expect(read(amount, 1.1 * 3)).toEqual({ ok: true, value: '3.3' })
    expect(read(amount, 123456789012.34)).toEqual({ ok: true, value: '123456789012.34' })
    expect(read(field({ key: 'r', type: 'percent', label: '税率' }), 0.07 * 3)).toEqual({ ok: true, value: '0.21' })
    expect(read(field({ key: 'n', type: 'number', label: 'n' }), '12')).toEqual({ ok: true, value: 12 })
  })

  it('takes a comma or space only between groups of three digits: a decimal comma is refused, not read as 100 times the amount', () => {
    const amount = field({ key: 'a', type: 'money', label: '金额' })
    for (const [text, value] of [['1,234.50', '1234.50'], ['1，234,567', '1234567'], ['1 234.50', '1234.50'], ['-12,345', '-12345'],
      ['\u00a012.50 ', '12.50'], ['1\u202f234', '1234']]) {
      expect([text, read(amount, text)]).toEqual([text, { ok: true, value }])
    }
    // Each of these once became 1250.00, 15.00, 5.00, 123.00, 123.00, 10000.00 or 1234.50.
    for (const text of ['12,50', '1,5', ',5', '1,2,3', '1,23', '1,000,0', '1 2 3 4.5', '1.000,50', '1,234 567', '1,234.5,0']) {
      expect([text, read(amount, text)]).toEqual([text, { ok: false, problem: 'number' }])
    }
  })

  it('reads "13%" as a percentage and a bare number as the fraction Excel stores', () => {
    const rate = field({ key: 'r', type: 'percent', label: '税率' })
    expect(read(rate, '13%')).toEqual({ ok: true, value: '0.13' })
    expect(read(rate, '6.5％')).toEqual({ ok: true, value: '0.065' })
    expect(read(rate, 0.13)).toEqual({ ok: true, value: '0.13' })
  })

  it('reads dates as Excel dates, ISO, slashes, compact and Chinese', () => {
    const due = field({ key: 'd', type: 'date', label: '日期' })
    expect(read(due, new Date(Date.UTC(2025, 2, 14)))).toEqual({ ok: true, value: '2025-03-14' })
    for (const text of ['2025-03-14', '2025/3/14', '20250314', '2025年3月14日']) {
      expect([text, read(due, text)]).toEqual([text, { ok: true, value: '2025-03-14' }])
    }
    expect(read(due, 45730)).toEqual({ ok: true, value: '2025-03-14' })
    expect(read(due, '2025年2月30日')).toEqual({ ok: false, problem: 'no_such_day' })
    expect(read(due, '2026/11/31')).toEqual({ ok: false, problem: 'no_such_day' })
    expect(read(due, '3/14/2025')).toEqual({ ok: false, problem: 'date' })
  })

  it('reads a date-time without an offset on the company clock', () => {
    const at = field({ key: 't', type: 'datetime', label: '时间' })
    expect(read(at, '2025-03-14 09:30')).toEqual({ ok: true, value: '2025-03-14T09:30:00+08:00' })
    expect(read(at, new Date(Date.UTC(2025, 2, 14, 9, 30)))).toEqual({ ok: true, value: '2025-03-14T09:30:00+08:00' })
    expect(read(at, '2025-03-14T01:30:00Z')).toEqual({ ok: true, value: '2025-03-14T01:30:00Z' })
  })

  it('reads yes/no and options by value or label, in either language', () => {
    const active = field({ key: 'y', type: 'boolean', label: '启用' })
    expect(read(active, '是')).toEqual({ ok: true, value: true })
    expect(read(active, 'No')).toEqual({ ok: true, value: false })
    expect(read(active, true)).toEqual({ ok: true, value: true })
    expect(read(active, '也许')).toEqual({ ok: false, problem: 'boolean' })

    const options = [
      { value: 'transfer', label: { 'zh-CN': '银行转账', en: 'Bank transfer' } },
      { value: 'cash', label: { 'zh-CN': '现金', en: 'Cash' } },
    ]
    const method = field({ key: 'm', type: 'select', label: '方式', options })
    expect(read(method, '银行转账')).toEqual({ ok: true, value: 'transfer' })
    expect(read(method, 'cash')).toEqual({ ok: true, value: 'cash' })
    const tags = field({ key: 't', type: 'multiselect', label: '标签', options })
    expect(read(tags, '现金、Bank transfer')).toEqual({ ok: true, value: ['cash', 'transfer'] })
    expect(read(tags, '现金,支票')).toEqual({ ok: false, problem: 'option' })
    expect(cellProblemMessage('option', method, '收款方式', 'zh-CN'))
      .toBe('「收款方式」应为以下选项之一：银行转账、现金')
  })

  it('keeps empty cells empty and text as text', () => {
    const note = field({ key: 'n', type: 'text', label: '备注' })
    expect(read(note, null)).toEqual({ ok: true, value: null })
    expect(read(note, '  ')).toEqual({ ok: true, value: null })
    expect(read(note, 12)).toEqual({ ok: true, value: '12' })
  })
})
