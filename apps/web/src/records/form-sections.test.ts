import type { FormDefinition } from '@tessera/core'
import { describe, expect, it } from 'vitest'
import { resolveSections } from './form-sections.js'

const fields: FormDefinition['fields'] = [
  { key: 'number', type: 'text', label: '发票号' },
  { key: 'amount', type: 'money', label: '金额' },
  { key: 'due_date', type: 'date', label: '到期日' },
  { key: 'memo', type: 'text', label: '备注', multiline: true },
]

function keys(definition: FormDefinition) {
  return resolveSections(definition, 'en', 'Other').map((section) => ({
    title: section.title,
    columns: section.columns,
    fields: section.fields.map((field) => field.key),
  }))
}

describe('resolveSections', () => {
  it('makes one untitled section of a form without sections', () => {
    expect(keys({ key: 'f', label: 'f', fields })).toEqual([
      { title: undefined, columns: 2, fields: ['number', 'amount', 'due_date', 'memo'] },
    ])
  })

  it('follows ui.sections and gathers the unnamed fields last', () => {
    const definition: FormDefinition = {
      key: 'f',
      label: 'f',
      fields,
      ui: {
        sections: [
          {
            title: { 'zh-CN': '基本', en: 'Basics' },
            columns: 3,
            fields: ['amount', 'ghost', 'number'],
          },
          { title: '重复', fields: ['number'] },
        ],
      },
    }
    expect(keys(definition)).toEqual([
      { title: 'Basics', columns: 3, fields: ['amount', 'number'] },
      { title: 'Other', columns: 2, fields: ['due_date', 'memo'] },
    ])
  })
})
