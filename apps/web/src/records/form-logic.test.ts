import type { FormDefinition } from '@tessera/core'
import { describe, expect, it } from 'vitest'
import { toPublishedForm } from '../api/published-form.js'
import { liveLogic, sameLogic } from './form-logic.js'
import { validateRecord } from './validate-record.js'

const definition: FormDefinition = {
  key: 'request',
  label: '开票申请',
  fields: [
    { key: 'invoice_date', type: 'date', label: '开票日期', required: true },
    { key: 'due_date', type: 'date', label: '到期日' },
    { key: 'net', type: 'money', label: '金额', required: true },
    { key: 'tax_rate', type: 'percent', label: '税率' },
    { key: 'gross', type: 'formula', label: '价税合计', result: 'money',
      expression: { 'dec*': [{ var: 'net' }, { 'dec+': [1, { var: 'tax_rate' }] }] } },
    { key: 'method', type: 'select', label: '方式', options: [
      { value: 'cash', label: '现金' }, { value: 'bill', label: '票据' },
    ] },
    { key: 'bill_number', type: 'text', label: '票据号', required: true,
      visibleWhen: { '==': [{ var: 'method' }, 'bill'] } },
  ],
  rules: [{
    key: 'due_after_invoice',
    assert: { 'date>=': [{ var: 'due_date' }, { var: 'invoice_date' }] },
    message: '到期日不能早于开票日期',
    fields: ['due_date'],
  }],
}
const form = toPublishedForm({ app: 'lab', key: 'request', version: 1, definition })

describe('live form logic', () => {
  it('recomputes formulas exactly as values are typed', () => {
    const logic = liveLogic(form, { net: '0.10', tax_rate: '0.06' }, { locale: 'zh-CN' })
    expect(logic.computed).toEqual({ gross: '0.11' })
    expect(liveLogic(form, { net: '100' }, { locale: 'zh-CN' }).computed).toEqual({ gross: null })
  })

  it('shows, hides and requires fields as the values change', () => {
    const cash = liveLogic(form, { method: 'cash' }, { locale: 'zh-CN' })
    expect([...cash.hidden]).toEqual(['bill_number'])
    const bill = liveLogic(form, { method: 'bill' }, { locale: 'zh-CN' })
    expect(bill.hidden.size).toBe(0)
    expect(bill.required.has('bill_number')).toBe(true)
    expect(sameLogic(cash, bill)).toBe(false)
    expect(sameLogic(bill, liveLogic(form, { method: 'bill' }, { locale: 'zh-CN' }))).toBe(true)
  })
})

describe('validateRecord in the browser', () => {
  it('adds the cross-field rules and conditional requirements to the schema checks', () => {
    const issues = validateRecord(form, {
      invoice_date: '2025-03-10', due_date: '2025-03-01', net: '1', method: 'bill',
    }, { locale: 'zh-CN' })
    expect(issues.map((issue) => [issue.field, issue.rule, issue.message])).toEqual([
      ['bill_number', 'required', '「票据号」不能为空'],
      ['due_date', 'rule', '到期日不能早于开票日期'],
    ])
  })

  it('does not run a rule on a field the schema already refused', () => {
    const issues = validateRecord(form, {
      invoice_date: '2025-03-10', due_date: '2025-02-30', net: '1',
    }, { locale: 'en' })
    expect(issues.map((issue) => [issue.field, issue.rule])).toEqual([['due_date', 'format']])
  })
})

describe('live logic over line items', () => {
  const quote = toPublishedForm({ app: 'lab', key: 'quote', version: 1, definition: {
    key: 'quote',
    label: '报价单',
    fields: [
      { key: 'items', type: 'lines', label: '明细', fields: [
        { key: 'qty', type: 'number', label: '数量' },
        { key: 'price', type: 'money', label: '单价' },
        { key: 'amount', type: 'formula', label: '金额', result: 'money',
          expression: { 'dec*': [{ var: 'qty' }, { var: 'price' }] } },
      ] },
      { key: 'total', type: 'rollup', label: '合计', lines: 'items', agg: 'sum', field: 'amount',
        result: { type: 'money', scale: 2 } },
    ],
  } })

  it('fills line totals and the rollup as rows are typed', () => {
    const logic = liveLogic(quote, { items: [{ qty: 3, price: '0.10' }, { qty: 2 }] }, { locale: 'zh-CN' })
    expect(logic.computed).toEqual({
      items: [{ qty: 3, price: '0.10', amount: '0.30' }, { qty: 2, amount: null }],
      total: '0.30',
    })
  })
})

