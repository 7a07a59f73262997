import { describe, expect, it } from 'vitest'
import { changedFields } from './changed-fields.js'

describe('changedFields', () => {
  it('lists only the fields whose values differ, in form order', () => {
    const before = { number: 'A-1', amount: '10.00', due: '2026-01-31', note: null }
    const after = { number: 'A-1', amount: '12.00', due: '2026-02-28', note: null }
    expect(changedFields(before, after, ['number', 'due', 'amount'])).toEqual([
      { key: 'due', before: '2026-01-31', after: '2026-02-28' },
      { key: 'amount', before: '10.00', after: '12.00' },
    ])
  })

  it('shows a creation as the values set and a deletion as the values removed', () => {
    expect(changedFields(null, { number: 'A-1', note: null })).toEqual([
      { key: 'number', before: null, after: 'A-1' },
    ])
    expect(changedFields({ number: 'A-1' }, null)).toEqual([{ key: 'number', before: 'A-1', after: null }])
  })

  it('puts fields unknown to the form last, alphabetically', () => {
    expect(changedFields({}, { z: 1, a: 2, amount: 3 }, ['amount']).map((c) => c.key)).toEqual(['amount', 'a', 'z'])
  })

  it('treats anything but an object as no values', () => {
    expect(changedFields('text', [1, 2])).toEqual([])
  })
})
