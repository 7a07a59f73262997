import { describe, expect, it } from 'vitest'
import type { FormDefinition } from '@tessera/core'
import { formatFieldValue } from '../format/display-value.js'
import { departmentTree } from './department-select.js'
import { initialFormValues } from './form-values.js'

const visit: FormDefinition = {
  key: 'visit',
  label: '拜访',
  fields: [
    { key: 'owner', type: 'member', label: '负责人', default: '$me' },
    { key: 'helpers', type: 'member', multiple: true, label: '陪同人', default: '$me' },
    { key: 'team', type: 'department', label: '部门', default: '$me' },
    { key: 'other', type: 'member', label: '其他' },
    { key: 'files', type: 'attachment', multiple: true, label: '附件' },
  ],
}
const [owner, helpers, team, , files] = visit.fields

describe('member, department and attachment fields in the web app', () => {
  it('show names from the record titles, ids without them, and file names', () => {
    expect(formatFieldValue(owner, 7, 'zh-CN', '王芳')).toBe('王芳')
    expect(formatFieldValue(helpers, [7, 9], 'zh-CN')).toBe('#7、#9')
    expect(formatFieldValue(team, 3, 'en', 'Sales')).toBe('Sales')
    expect(formatFieldValue(files, [{ id: 1, name: 'a.pdf' }, { id: 2, name: 'b.png' }], 'en')).toBe('a.pdf, b.png')
    expect(formatFieldValue(files, null, 'en')).toBe('')
  })

  it('start a new record with "$me" filled in, and leave a stored record as it is', () => {
    expect(initialFormValues(visit, undefined, { id: 5, departmentId: 2 })).toEqual({ owner: 5, helpers: [5], team: 2 })
    expect(initialFormValues(visit, undefined, { id: 5 })).toEqual({ owner: 5, helpers: [5] })
    const stored = { id: 1, version: 1, createdAt: '', createdBy: '1', updatedAt: '', updatedBy: '1', values: { owner: 8 } }
    expect(initialFormValues(visit, stored, { id: 5, departmentId: 2 })).toEqual({ owner: 8 })
  })

  it('build the department tree from the flat list, parents first', () => {
    const tree = departmentTree([
      { id: 1, name: '总部', parentId: null, path: '/1/' },
      { id: 2, name: '华东', parentId: 1, path: '/1/2/' },
      { id: 3, name: '销售部', parentId: 2, path: '/1/2/3/' },
      { id: 4, name: '分公司', parentId: null, path: '/4/' },
    ])
    expect(tree.map((node) => node.title)).toEqual(['总部', '分公司'])
    expect(tree[0].children[0].children[0]).toMatchObject({ value: 3, title: '销售部' })
  })
})
