import type { FormDefinition } from '@tessera/core'
import { describe, expect, it } from 'vitest'
import { listColumns, listFields } from './list-columns.js'

const claim: FormDefinition = {
  key: 'claim',
  label: { 'zh-CN': '费用报销', en: 'Expense claim' },
  titleField: 'number',
  fields: [
    { key: 'number', type: 'text', label: '单号' },
    {
      key: 'items', type: 'lines', label: '费用明细',
      fields: [{ key: 'amount', type: 'money', label: '金额' }],
    },
    { key: 'scan', type: 'attachment', label: '扫描件' },
    { key: 'total', type: 'money', label: '合计' },
    { key: 'project', type: 'link', form: 'project', label: '项目' },
    { key: 'project_code', type: 'lookup', link: 'project', field: 'code', label: '项目编号' },
  ],
}

describe('list columns', () => {
  it('leaves line items out of the default columns, whose cells could not show them', () => {
    expect(listFields(claim).map((field) => field.key)).toEqual(['number', 'scan', 'total', 'project', 'project_code'])
  })

  it('offers no sort on attachments, line items or lookups, which the server cannot order by', () => {
    const columns = listColumns({ app: 'a', definition: claim, locale: 'zh-CN', sort: [], keys: ['number', 'items', 'scan', 'total', 'project_code'] })
    expect(columns.map((column) => [column.key, Boolean((column as { sorter?: unknown }).sorter)])).toEqual([
      ['number', true], ['items', false], ['scan', false], ['total', true], ['project_code', false],
    ])
  })
})
