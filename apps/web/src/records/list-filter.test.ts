import { describe, expect, it } from 'vitest'
import type { FormDefinition } from '@tessera/core'
import {
  filterKind,
  formatListFilter,
  modelToLogic,
  parseListFilter,
  type FilterModel,
} from './list-filter.js'

const invoice: FormDefinition = {
  key: 'invoice',
  label: '发票',
  fields: [
    { key: 'number', type: 'text', label: '号码' },
    { key: 'amount', type: 'money', label: '金额' },
    { key: 'due', type: 'date', label: '到期日' },
    { key: 'status', type: 'select', label: '状态', options: [{ value: 'open', label: '未结' }] },
    { key: 'paid', type: 'boolean', label: '已付' },
    { key: 'customer', type: 'link', form: 'customer', label: '客户' },
    { key: 'scan', type: 'attachment', label: '扫描件' },
  ],
}

describe('list filter', () => {
  it('offers operators by field type', () => {
    expect(invoice.fields.map(filterKind)).toEqual(['text', 'range', 'range', 'choice', 'boolean', 'link', 'presence'])
  })

  it('turns builder rows into the json-logic the server compiles, and back', () => {
    const model: FilterModel = {
      join: 'or',
      conditions: [
        { field: 'number', op: 'startsWith', value: 'INV-' },
        { field: 'amount', op: 'between', value: '100', value2: '200.50' },
        { field: 'status', op: 'notIn', value: ['open'] },
        { field: 'paid', op: 'no' },
        { field: 'customer', op: 'is', value: 7 },
        { field: 'scan', op: 'empty' },
      ],
    }
    const logic = modelToLogic(model)
    expect(logic).toEqual({
      or: [
        { startsWith: [{ var: 'number' }, 'INV-'] },
        { between: [{ var: 'amount' }, '100', '200.50'] },
        { '!': { in: [{ var: 'status' }, ['open']] } },
        { '==': [{ var: 'paid' }, false] },
        { '==': [{ var: 'customer' }, 7] },
        { '==': [{ var: 'scan' }, null] },
      ],
    })
    expect(parseListFilter(JSON.stringify(logic), invoice)).toEqual({ model })
  })

  it('leaves out rows without a value', () => {
    expect(modelToLogic({ join: 'and', conditions: [{ field: 'number', op: 'contains', value: '' }] }))
      .toBeUndefined()
  })

  it('keeps a drill-down apart from the builder and other rules as they are', () => {
    const drill = { in: [{ var: 'id' }, [3, 5]] }
    expect(parseListFilter(JSON.stringify(drill), invoice)).toEqual({ drill: { rule: drill, ids: [3, 5] } })
    const model: FilterModel = { join: 'and', conditions: [{ field: 'amount', op: 'gt', value: '5' }] }
    const text = formatListFilter({ drill: { rule: drill, ids: [3, 5] }, model })
    expect(parseListFilter(text, invoice)).toEqual({ drill: { rule: drill, ids: [3, 5] }, model })
    const custom = { '==': [{ var: 'nope' }, 1] }
    expect(parseListFilter(JSON.stringify(custom), invoice)).toEqual({ custom })
    expect(parseListFilter('{oops', invoice).error).toBeTruthy()
  })
})
