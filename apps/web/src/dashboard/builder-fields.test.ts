import { describe, expect, it } from 'vitest'
import type { FieldDefinition } from '@tessera/core'
import { fieldKind, fieldPaths } from './builder-fields.js'

describe('fieldKind', () => {
  it('reads computed fields by what they hold, so money formulas and rollups are summed', () => {
    const fields: FieldDefinition[] = [
      { key: 'open', type: 'formula', label: '未结金额', result: 'money', expression: { 'dec-': [{ var: 'a' }, { var: 'b' }] } },
      { key: 'note', type: 'formula', label: '备注', result: 'text', expression: { cat: ['a'] } },
      { key: 'paid', type: 'rollup', label: '已收', form: 'receipt', link: 'invoice', agg: 'sum', field: 'amount',
        result: { type: 'money', scale: 2 } },
      { key: 'receipts', type: 'rollup', label: '笔数', form: 'receipt', link: 'invoice', agg: 'count' },
      { key: 'last', type: 'rollup', label: '最近', form: 'receipt', link: 'invoice', agg: 'max', field: 'date',
        result: { type: 'date' } },
      { key: 'limit', type: 'lookup', label: '额度', link: 'customer', field: 'credit',
        target: { key: 'credit', type: 'money', label: '额度' } },
      { key: 'status', type: 'select', label: '状态', options: [{ value: 'a', label: 'A' }] },
      { key: 'amount', type: 'money', label: '金额' },
    ]
    expect(fields.map(fieldKind)).toEqual(['number', 'text', 'number', 'number', 'date', 'number', 'text', 'number'])
  })

  it('offers a select field\'s options, in the reader\'s language, also through a link', () => {
    const disputed: FieldDefinition = { key: 'disputed', type: 'select', label: '有争议',
      options: [{ value: 'yes', label: { 'zh-CN': '是', en: 'Yes' } }, { value: 'no', label: { 'zh-CN': '否', en: 'No' } }] }
    const form = (key: string, fields: FieldDefinition[]) =>
      ({ key, version: 1, definition: { key, label: key, fields } }) as never
    const invoice = form('invoice', [disputed, { key: 'customer', type: 'link', form: 'customer', label: '客户' }])
    const customer = form('customer', [{ ...disputed, key: 'vip', label: '重要' }])
    const paths = fieldPaths(invoice, new Map([['customer', customer]]), 'en')
    expect(paths.find((one) => one.path === 'disputed')?.options).toEqual([{ value: 'yes', label: 'Yes' }, { value: 'no', label: 'No' }])
    expect(paths.find((one) => one.path === 'customer.vip')?.options?.map((option) => option.label)).toEqual(['Yes', 'No'])
  })
})
