import { describe, expect, it } from 'vitest'
import type { FormDefinition } from '@tessera/core'
import { withoutFields } from '../src/app-overview.js'

describe('withoutFields', () => {
  it('takes a hidden field out of the title, sections, list and what pickers show', () => {
    const definition: FormDefinition = {
      key: 'customer', label: '客户', titleField: 'name',
      fields: [
        { key: 'name', type: 'text', label: '名称' },
        { key: 'credit_limit', type: 'money', label: '信用额度' },
      ],
      ui: {
        sections: [{ fields: ['name', 'credit_limit'] }],
        list: { columns: ['name', 'credit_limit'], defaultSort: [{ field: 'credit_limit', dir: 'desc' }] },
        picker: { fields: ['credit_limit', 'name'] },
      },
    }
    const shown = withoutFields(definition, new Set(['credit_limit']))
    expect(JSON.stringify(shown)).not.toContain('credit_limit')
    expect(shown.ui?.picker).toEqual({ fields: ['name'] })
  })
})
