import { describe, expect, it } from 'vitest'
import { evaluate } from './evaluate.js'
import { failure } from './test-helpers.js'

describe('comparison operators', () => {
  it('are false when any operand is null or missing', () => {
    for (const operator of ['<', '<=', '>', '>=']) {
      expect(evaluate({ [operator]: [null, 2] }, {})).toBe(false)
      expect(evaluate({ [operator]: [2, { var: 'x' }] }, {})).toBe(false)
    }
    expect(evaluate({ '<': [1, null, 3] }, {})).toBe(false)
  })

  it('compare present values as json-logic does, including the between form', () => {
    expect(evaluate({ '<': [1, 2] }, {})).toBe(true)
    expect(evaluate({ '>=': [2, 2] }, {})).toBe(true)
    expect(evaluate({ '<': [1, 2, 3] }, {})).toBe(true)
    expect(evaluate({ '<': [1, 3, 3] }, {})).toBe(false)
    expect(evaluate({ '<=': [1, 3, 3] }, {})).toBe(true)
  })
})

describe('equality', () => {
  it('lets null equal only null or missing', () => {
    expect(evaluate({ '==': [null, { var: 'x' }] }, {})).toBe(true)
    expect(evaluate({ '==': [null, ''] }, {})).toBe(false)
    expect(evaluate({ '==': [null, false] }, {})).toBe(false)
  })

  it('compares scalars loosely and arrays never', () => {
    expect(evaluate({ '==': [1, '1'] }, {})).toBe(true)
    expect(evaluate({ '===': [1, '1'] }, {})).toBe(false)
    expect(evaluate({ '==': [[1], [1]] }, {})).toBe(false)
    expect(evaluate({ '!=': ['a', 'b'] }, {})).toBe(true)
  })
})

describe('arithmetic', () => {
  it('returns null when an operand is null, as SQL does', () => {
    for (const operator of ['+', '-', '*', '/', '%', 'min', 'max']) {
      expect(evaluate({ [operator]: [{ var: 'x' }, 2] }, { x: null })).toBeNull()
    }
  })

  it('computes with numbers and numeric text', () => {
    expect(evaluate({ '+': [1, '2', 3.5] }, {})).toBe(6.5)
    expect(evaluate({ '-': [5] }, {})).toBe(-5)
    expect(evaluate({ '-': [5, '2'] }, {})).toBe(3)
    expect(evaluate({ '*': [2, 3, 4] }, {})).toBe(24)
    expect(evaluate({ '/': [9, 3] }, {})).toBe(3)
    expect(evaluate({ '%': [9, 4] }, {})).toBe(1)
    expect(evaluate({ max: [1, '7', 3] }, {})).toBe(7)
    expect(evaluate({ min: [] }, {})).toBeNull()
  })

  it('refuses text that is not a number instead of producing NaN', () => {
    const error = failure(() => evaluate({ '*': ['12abc', 2] }, {}))
    expect(error.message).toBe('*: expected a number, got "12abc"')
    expect(failure(() => evaluate({ '%': [1, 0] }, {})).details.operator).toBe('%')
  })
})

describe('var and missing', () => {
  it('reads nested paths, array indexes and defaults', () => {
    const data = { customer: { rating: 'A' }, lines: [{ amount: '1.00' }] }
    expect(evaluate({ var: 'customer.rating' }, data)).toBe('A')
    expect(evaluate({ var: 'lines.0.amount' }, data)).toBe('1.00')
    expect(evaluate({ var: ['customer.name', 'n/a'] }, data)).toBe('n/a')
    expect(evaluate({ var: '' }, data)).toBe(data)
  })

  it('lists missing and empty values', () => {
    const data = { a: 1, b: '', c: null }
    expect(evaluate({ missing: ['a', 'b', 'c', 'd'] }, data)).toEqual(['b', 'c', 'd'])
    expect(evaluate({ missing_some: [1, ['a', 'b']] }, data)).toEqual([])
    expect(evaluate({ missing_some: [2, ['a', 'b']] }, data)).toEqual(['b'])
  })
})

describe('control and array operators', () => {
  it('behave as in json-logic', () => {
    const data = { lines: [{ n: 1 }, { n: 2 }, { n: 3 }] }
    expect(evaluate({ if: [{ var: 'no' }, 'a', { '!!': [1] }, 'b', 'c'] }, data)).toBe('b')
    expect(evaluate({ '?:': [true, 1, 2] }, data)).toBe(1)
    expect(evaluate({ map: [{ var: 'lines' }, { var: 'n' }] }, data)).toEqual([1, 2, 3])
    expect(evaluate({ filter: [{ var: 'lines' }, { '>': [{ var: 'n' }, 1] }] }, data))
      .toEqual([{ n: 2 }, { n: 3 }])
    expect(evaluate({ all: [{ var: 'lines' }, { '>': [{ var: 'n' }, 0] }] }, data)).toBe(true)
    expect(evaluate({ none: [{ var: 'lines' }, { '>': [{ var: 'n' }, 2] }] }, data)).toBe(false)
    expect(evaluate({ merge: [[1], 2, [3]] }, data)).toEqual([1, 2, 3])
    expect(evaluate({ cat: ['INV-', 7] }, data)).toBe('INV-7')
    expect(evaluate({ substr: ['settlement', 0, 6] }, data)).toBe('settle')
  })
})
