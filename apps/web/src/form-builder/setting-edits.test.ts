import { describe, expect, it } from 'vitest'
import { DEFAULT_ATTACHMENT_MAX_SIZE, type FormDefinition } from '@tessera/core'
import { checkFormDefinition } from '@tessera/forms'
import {
  bytesOf, isStored, isUniqueable, joinPath, megabytes, nextKey, renamePaths, splitPath, stepItem, withList,
} from './setting-edits.js'

const visit: FormDefinition = {
  key: 'visit',
  label: '客户拜访',
  fields: [
    { key: 'name', type: 'text', label: '名称' },
    { key: 'customer', type: 'link', form: 'customer', label: '客户' },
    { key: 'day', type: 'date', label: '日期' },
    { key: 'files', type: 'attachment', label: '附件', multiple: true },
    { key: 'owners', type: 'member', label: '负责人', multiple: true },
    { key: 'items', type: 'lines', label: '明细', fields: [{ key: 'note', type: 'text', label: '备注' }] },
  ],
}

describe('setting edits', () => {
  it('shows sizes in megabytes and stores whole bytes', () => {
    expect(megabytes(DEFAULT_ATTACHMENT_MAX_SIZE)).toBe(10)
    expect(bytesOf(1)).toBe(1_048_576)
    expect(bytesOf(0.5)).toBe(524_288)
    expect(megabytes(bytesOf(2.25))).toBe(2.25)
    expect(bytesOf(0)).toBe(1)
  })

  it('moves an item one step, and leaves the list as it is at its ends', () => {
    expect(stepItem(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b'])
    expect(stepItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c'])
    expect(stepItem(['a', 'b'], 0, -1)).toEqual(['a', 'b'])
    expect(stepItem(['a', 'b'], 1, 1)).toEqual(['a', 'b'])
  })

  it('gives the first free key', () => {
    expect(nextKey('agreement', [])).toBe('agreement_1')
    expect(nextKey('agreement', ['agreement_2', 'x'])).toBe('agreement_3')
    expect(nextKey('agreement', ['agreement_1'], 1)).toBe('agreement_2')
  })

  it('sets the list and drops it again when emptied, keeping the sections', () => {
    const listed = withList(visit, { columns: ['day', 'name'], defaultSort: [{ field: 'day', dir: 'desc' }] })
    expect(listed.ui).toEqual({ list: { columns: ['day', 'name'], defaultSort: [{ field: 'day', dir: 'desc' }] } })
    expect(() => checkFormDefinition(listed, { forms: ['customer'] })).not.toThrow()
    const unsorted = withList(listed, { defaultSort: [] })
    expect(unsorted.ui).toEqual({ list: { columns: ['day', 'name'] } })
    expect('ui' in withList(unsorted, { columns: [] })).toBe(false)
    const sections = { ...visit, ui: { sections: [{ fields: ['name'] }] } }
    expect(withList(sections, { columns: [] }).ui).toEqual({ sections: [{ fields: ['name'] }] })
  })

  it('offers for uniques and sorts only fields with one plain column', () => {
    expect(visit.fields.filter(isUniqueable).map((f) => f.key)).toEqual(['name', 'customer', 'day'])
    expect(visit.fields.filter(isStored).map((f) => f.key)).toEqual(['name', 'customer', 'day', 'files', 'owners'])
  })

  it('splits and joins agreement paths, and carries a renamed field into them', () => {
    expect(splitPath('customer')).toEqual({ head: 'customer' })
    expect(splitPath('order.customer')).toEqual({ head: 'order', tail: 'customer' })
    expect(joinPath('order', undefined)).toBe('order')
    expect(joinPath('order', 'customer')).toBe('order.customer')
    expect(renamePaths(['customer', 'order.customer', 'customers'], 'customer', 'client'))
      .toEqual(['client', 'order.customer', 'customers'])
    expect(renamePaths(['order.customer'], 'order', 'sales_order')).toEqual(['sales_order.customer'])
  })
})
