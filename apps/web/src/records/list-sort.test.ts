import { describe, expect, it } from 'vitest'
import { columnSortOrder, formatSort, parseSort } from './list-sort.js'

describe('list sort', () => {
  it('reads and writes the sort parameter', () => {
    const specs = parseSort('-amount, number,,-')
    expect(specs).toEqual([
      { field: 'amount', dir: 'desc' },
      { field: 'number', dir: 'asc' },
    ])
    expect(formatSort(specs)).toBe('-amount,number')
    expect(parseSort(undefined)).toEqual([])
  })

  it('shows the first key’s order on its column only', () => {
    const specs = parseSort('-amount,number')
    expect(columnSortOrder(specs, 'amount')).toBe('descend')
    expect(columnSortOrder(specs, 'number')).toBeNull()
    expect(columnSortOrder(parseSort('number'), 'number')).toBe('ascend')
  })
})
