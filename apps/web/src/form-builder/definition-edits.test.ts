import { describe, expect, it } from 'vitest'
import type { FormDefinition } from '@tessera/core'
import { checkFormDefinition } from '@tessera/forms'
import {
  addField, addSection, layoutOf, moveField, removeField, removeSection, replaceField,
  replaceLineField, stepField,
} from './definition-edits.js'
import { newField, PALETTE } from './field-palette.js'

const base: FormDefinition = {
  key: 'order',
  label: '订单',
  titleField: 'ref',
  fields: [
    { key: 'ref', type: 'text', label: '单号' },
    { key: 'urgent', type: 'boolean', label: '加急' },
    { key: 'reason', type: 'text', label: '原因', visibleWhen: { '==': [{ var: 'urgent' }, true] } },
    { key: 'items', type: 'lines', label: '明细', fields: [
      { key: 'qty', type: 'number', label: '数量' },
      { key: 'price', type: 'money', label: '单价' },
      { key: 'amount', type: 'formula', label: '金额', result: 'money',
        expression: { 'dec*': [{ var: 'qty' }, { var: 'price' }] } },
    ] },
    { key: 'total', type: 'rollup', label: '合计', lines: 'items', agg: 'sum', field: 'amount' },
  ],
  ui: {
    sections: [{ title: '基本', columns: 2, fields: ['ref', 'urgent', 'reason'] }, { columns: 1, fields: ['items'] }],
    list: { columns: ['ref', 'urgent'], defaultSort: [{ field: 'urgent', dir: 'desc' }] },
  },
}

const keys = (definition: FormDefinition) => layoutOf(definition).map((s) => s.fields)

describe('definition edits', () => {
  it('places every field in one section and keeps fields in screen order', () => {
    expect(keys(base)).toEqual([['ref', 'urgent', 'reason'], ['items', 'total']])
    const moved = moveField(base, 'total', { section: 0, index: 1 })
    expect(keys(moved)).toEqual([['ref', 'total', 'urgent', 'reason'], ['items']])
    expect(moved.fields.map((f) => f.key)).toEqual(['ref', 'total', 'urgent', 'reason', 'items'])
    expect(keys({ ...base, ui: undefined })).toEqual([['ref', 'urgent', 'reason', 'items', 'total']])
  })

  it('steps a field up and down, across section edges (the keyboard moves)', () => {
    const down = stepField(base, 'reason', 1)
    expect(keys(down)).toEqual([['ref', 'urgent'], ['reason', 'items', 'total']])
    expect(keys(stepField(down, 'reason', -1))).toEqual([['ref', 'urgent', 'reason'], ['items', 'total']])
    expect(stepField(base, 'ref', -1)).toBe(base)
  })

  it('adds fields of every palette type that check as valid definitions', () => {
    let definition = base
    for (const entry of PALETTE) {
      definition = addField(definition, newField(entry.id, definition, { locale: 'zh-CN', forms: ['customer', 'order'] }))
    }
    const lookup = definition.fields.find((f) => f.type === 'lookup')!
    definition = replaceField(definition, lookup.key, { ...lookup, field: 'name' })
    expect(() => checkFormDefinition(definition, { forms: ['customer', 'order'] })).not.toThrow()
    expect(keys(definition)[1]).toContain('text_1')
    expect(definition.fields.filter((f) => f.type === 'text').map((f) => f.key)).toEqual(['ref', 'reason', 'text_1', 'text_2'])
  })

  it('carries a renamed key into conditions, layout, list, title and rollups', () => {
    const urgent = base.fields[1]
    const renamed = replaceField(base, 'urgent', { ...urgent, key: 'rush' })
    expect(renamed.fields[2]).toMatchObject({ visibleWhen: { '==': [{ var: 'rush' }, true] } })
    expect(renamed.ui?.sections?.[0].fields).toEqual(['ref', 'rush', 'reason'])
    expect(renamed.ui?.list).toEqual({ columns: ['ref', 'rush'], defaultSort: [{ field: 'rush', dir: 'desc' }] })
    const ref = replaceField(renamed, 'ref', { ...base.fields[0], key: 'number' })
    expect(ref.titleField).toBe('number')

    const items = base.fields[3]
    const lines = replaceField(base, 'items', { ...items, key: 'rows' })
    expect(lines.fields[4]).toMatchObject({ lines: 'rows' })

    const qty = replaceLineField(base, 'items', 'qty', { key: 'count', type: 'number', label: '数量' })
    const amount = (qty.fields[3] as { fields: unknown[] }).fields[2]
    expect(amount).toMatchObject({ expression: { 'dec*': [{ var: 'count' }, { var: 'price' }] } })
    const sum = replaceLineField(base, 'items', 'amount', { key: 'line_total', type: 'formula', label: '金额',
      result: 'money', expression: { 'dec*': [{ var: 'qty' }, { var: 'price' }] } })
    expect(sum.fields[4]).toMatchObject({ field: 'line_total' })
    expect(() => checkFormDefinition(sum)).not.toThrow()
  })

  it('carries a renamed key into uniques and agreements', () => {
    const linked: FormDefinition = {
      ...base,
      fields: [...base.fields, { key: 'order', type: 'link', form: 'order', label: '原订单' }],
      uniques: [['ref', 'urgent']],
      agreements: [{ key: 'agreement_1', paths: ['ref', 'order.ref'], message: '单号须与原订单一致' }],
    }
    const ref = replaceField(linked, 'ref', { ...base.fields[0], key: 'number' })
    expect(ref.uniques).toEqual([['number', 'urgent']])
    expect(ref.agreements?.[0].paths).toEqual(['number', 'order.ref'])
    const order = replaceField(ref, 'order', { key: 'source', type: 'link', form: 'order', label: '原订单' })
    expect(order.agreements?.[0].paths).toEqual(['number', 'source.ref'])
    expect(() => checkFormDefinition(order, { forms: ['order'] })).not.toThrow()
    expect('agreements' in replaceField(base, 'ref', { ...base.fields[0], key: 'number' })).toBe(false)
  })

  it('carries a renamed or removed field into what pickers show beside the title', () => {
    const shown = { ...base, ui: { ...base.ui, picker: { fields: ['urgent', 'reason'] } } }
    const urgent = base.fields.find((field) => field.key === 'urgent')!
    expect(replaceField(shown, 'urgent', { ...urgent, key: 'rush' }).ui?.picker).toEqual({ fields: ['rush', 'reason'] })
    expect(removeField(shown, 'urgent').ui?.picker).toEqual({ fields: ['reason'] })
    expect(removeField(removeField(shown, 'urgent'), 'reason').ui).not.toHaveProperty('picker')
  })

  it('removes fields from every place, and sections into their neighbour', () => {
    const gone = removeField(base, 'urgent')
    expect(gone.ui?.list).toEqual({ columns: ['ref'], defaultSort: [] })
    expect(keys(gone)).toEqual([['ref', 'reason'], ['items', 'total']])
    expect(removeField(base, 'ref').titleField).toBeUndefined()
    const three = addSection(base, '其他')
    expect(keys(three)).toEqual([['ref', 'urgent', 'reason'], ['items', 'total'], []])
    expect(keys(removeSection(base, 1))).toEqual([['ref', 'urgent', 'reason', 'items', 'total']])
    expect(removeSection(removeSection(base, 1), 0).ui?.sections).toHaveLength(1)
  })
})
