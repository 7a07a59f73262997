import { describe, expect, it } from 'vitest'
import { evaluate } from './evaluate.js'
import { jsonLogic } from './json-logic.js'
import { failure } from './test-helpers.js'

// The cases of LIBRARY-NOTES §1.1 that apply to json-logic-js, pinned so an
// upgrade or a changed operator cannot bring them back unnoticed.

describe('json-logic pitfalls (LIBRARY-NOTES §1.1)', () => {
  it('adds 0.1 and 0.2 exactly with dec+', () => {
    expect(jsonLogic.apply({ '+': [0.1, 0.2] })).not.toBe(0.3)
    expect(evaluate({ 'dec+': [0.1, 0.2] }, {})).toBe('0.3')
  })

  it('sums ten 0.1 amounts with reduce and dec+ to exactly 1', () => {
    const rule = {
      reduce: [
        { var: 'items' },
        { 'dec+': [{ var: 'current' }, { var: 'accumulator' }] },
        0,
      ],
    }
    const items = Array.from({ length: 10 }, () => 0.1)
    expect(evaluate(rule, { items })).toBe('1')
  })

  it('multiplies 3 × 1.1 exactly with dec*', () => {
    expect(evaluate({ 'dec*': [{ var: 'qty' }, { var: 'price' }] }, { qty: 3, price: 1.1 }))
      .toBe('3.3')
  })

  it('does not treat a missing var as 0 in <', () => {
    expect(evaluate({ '<': [{ var: 'temp' }, 15] }, {})).toBe(false)
  })

  it('does not treat null as 0 in the between form of <=', () => {
    expect(evaluate({ '<=': [0, { var: 'x' }, 1] }, { x: null })).toBe(false)
  })

  it('keeps null == 0 false', () => {
    expect(evaluate({ '==': [null, 0] }, {})).toBe(false)
    expect(evaluate({ '!=': [{ var: 'missing' }, 0] }, {})).toBe(true)
  })

  it('does not let == compare arrays loosely ([] == "" is false)', () => {
    expect(evaluate({ '==': [[], ''] }, {})).toBe(false)
  })

  it('tests membership in an array literal with in, and substrings in text', () => {
    expect(evaluate({ in: [{ var: 'rating' }, ['C', 'D']] }, { rating: 'C' })).toBe(true)
    expect(evaluate({ in: [{ var: 'rating' }, ['C', 'D']] }, { rating: 'CD' })).toBe(false)
    expect(evaluate({ in: [{ var: 'rating' }, 'CD'] }, { rating: 'C' })).toBe(true)
  })

  it('compares dates as dates: 2025-10-02 is not before 2025-09-30', () => {
    expect(evaluate({ 'date<': ['2025-10-02', '2025-09-30'] }, {})).toBe(false)
    expect(evaluate({ 'date<': ['2025-09-30', '2025-10-02'] }, {})).toBe(true)
  })

  it('refuses a date that is not zero-padded instead of comparing text', () => {
    const error = failure(() => evaluate({ 'date<': ['2025-10-02', '2025-9-30'] }, {}))
    expect(error.code).toBe('logic.error')
    expect(error.message).toContain('date<')
  })

  it('turns NaN and Infinity into logic errors naming the operator', () => {
    const nan = failure(() => evaluate({ '+': [{ var: 'a' }, 1] }, { a: 'abc' }))
    expect([nan.code, nan.details.operator]).toEqual(['logic.error', '+'])

    const infinity = failure(() => evaluate({ '/': [1, 0] }, {}))
    expect([infinity.code, infinity.details.operator]).toEqual(['logic.error', '/'])

    const overflow = failure(() => evaluate({ '*': [1e308, 10] }, {}))
    expect([overflow.code, overflow.details.operator]).toEqual(['logic.error', '*'])
  })

  it('refuses the method operator', () => {
    const rule = { method: ['abc', 'toUpperCase'] }
    expect(failure(() => evaluate(rule, {})).code).toBe('metadata.invalid')
  })

  it('refuses the var path constructor.constructor', () => {
    const error = failure(() => evaluate({ var: 'constructor.constructor' }, {}))
    expect(error.code).toBe('metadata.invalid')
  })

  it('refuses a computed var path into the prototype chain at run time', () => {
    const rule = { var: { cat: ['constructor', '.constructor'] } }
    const error = failure(() => evaluate(rule, {}))
    expect([error.code, error.details.operator]).toEqual(['logic.error', 'var'])
  })

  it('refuses operators named after Object.prototype members', () => {
    expect(failure(() => evaluate({ constructor: ['return 1'] }, {})).code)
      .toBe('metadata.invalid')
    expect(failure(() => evaluate({ toString: [] }, {})).code).toBe('metadata.invalid')
  })

  it('does not reach inherited properties through var', () => {
    expect(evaluate({ var: 'toString' }, {})).toBeNull()
    expect(evaluate({ var: 'items.length' }, { items: [1, 2] })).toBe(2)
  })
})
