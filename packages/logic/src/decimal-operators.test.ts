import { describe, expect, it } from 'vitest'
import { evaluate } from './evaluate.js'
import { failure } from './test-helpers.js'

const run = (rule: unknown, data: unknown = {}) => evaluate(rule, data)

describe('decimal arithmetic', () => {
  it('adds, subtracts, multiplies and divides exactly, returning decimal text', () => {
    expect(run({ 'dec+': ['0.233', '0.232', '0.233'] })).toBe('0.698')
    expect(run({ 'dec+': [] })).toBe('0')
    expect(run({ 'dec-': ['10.00', '0.01'] })).toBe('9.99')
    expect(run({ 'dec-': ['2.5'] })).toBe('-2.5')
    expect(run({ 'dec*': ['19.99', 3] })).toBe('59.97')
    expect(run({ 'dec/': [10, 4] })).toBe('2.5')
    expect(run({ 'dec-': ['1.5', '1.5'] })).toBe('0')
  })

  it('never answers in exponent notation', () => {
    expect(run({ 'dec*': ['0.0000001', '0.0000001'] })).toBe('0.00000000000001')
    expect(run({ 'dec*': ['100000000000', '100000000000'] })).toBe('10000000000000000000000')
  })

  it('returns null when an operand is null, missing or blank text', () => {
    expect(run({ 'dec+': [1, { var: 'x' }] })).toBeNull()
    expect(run({ 'dec*': [1, null] })).toBeNull()
    expect(run({ 'dec-': ['  ', 1] })).toBeNull()
  })

  it('refuses operands that are not decimals, naming the operator', () => {
    for (const bad of ['1e5', '12,50', 'abc', true, [1], { a: 1 }]) {
      const error = failure(() => run({ 'dec+': [1, { var: 'x' }] }, { x: bad }))
      expect([error.code, error.details.operator]).toEqual(['logic.error', 'dec+'])
    }
  })

  it('refuses division by zero', () => {
    const error = failure(() => run({ 'dec/': ['10', '0.00'] }))
    expect(error.message).toBe('dec/: division by zero ("10" / "0.00")')
  })

  it('checks operand counts', () => {
    expect(failure(() => run({ 'dec/': [1] })).details.operator).toBe('dec/')
    expect(failure(() => run({ 'dec-': [1, 2, 3] })).details.operator).toBe('dec-')
    expect(failure(() => run({ 'dec*': [] })).details.operator).toBe('dec*')
  })
})

describe('dec_round', () => {
  it('rounds half up (away from zero) to a fixed number of places', () => {
    expect(run({ dec_round: ['2.345', 2] })).toBe('2.35')
    expect(run({ dec_round: ['-2.345', 2] })).toBe('-2.35')
    expect(run({ dec_round: ['2.5', 0] })).toBe('3')
    expect(run({ dec_round: [1.1, 2] })).toBe('1.10')
    expect(run({ dec_round: [{ 'dec/': [10, 3] }, 2] })).toBe('3.33')
  })

  it('prints a value that rounds to zero without a minus sign', () => {
    expect(run({ dec_round: ['-0.001', 2] })).toBe('0.00')
  })

  it('passes null through and refuses a bad scale', () => {
    expect(run({ dec_round: [{ var: 'x' }, 2] })).toBeNull()
    expect(failure(() => run({ dec_round: [1, { var: 's' }] }, { s: -1 })).details.operator)
      .toBe('dec_round')
  })
})

describe('decimal comparisons', () => {
  it('compare exactly, whatever the trailing zeros', () => {
    expect(run({ 'dec==': ['1.10', 1.1] })).toBe(true)
    expect(run({ 'dec==': [{ 'dec+': [0.1, 0.2] }, '0.3'] })).toBe(true)
    expect(run({ 'dec<': ['99999999999999999.99', '100000000000000000'] })).toBe(true)
    expect(run({ 'dec<=': ['2', '2.00'] })).toBe(true)
    expect(run({ 'dec>': ['-1', '-2'] })).toBe(true)
    expect(run({ 'dec>=': ['1.99', 2] })).toBe(false)
  })

  it('support the between form for dec< and dec<=', () => {
    expect(run({ 'dec<=': [0, '0.5', 1] })).toBe(true)
    expect(run({ 'dec<': [0, '1', 1] })).toBe(false)
  })

  it('are false when an operand is null', () => {
    for (const operator of ['dec==', 'dec<', 'dec<=', 'dec>', 'dec>=']) {
      expect(run({ [operator]: [{ var: 'x' }, 0] })).toBe(false)
    }
    expect(run({ 'dec==': [null, null] })).toBe(false)
  })
})

describe('dec_sum', () => {
  it('sums an array of numbers and decimal text, skipping empty values', () => {
    expect(run({ dec_sum: [{ var: 'xs' }] }, { xs: [0.1, '0.2', null, '', 0.3] })).toBe('0.6')
    expect(run({ dec_sum: [[]] })).toBe('0')
  })

  it('sums objects by a dotted path', () => {
    const data = {
      lines: [
        { allocation: { amount: '100.10' } },
        { allocation: { amount: '0.20' } },
        { allocation: {} },
      ],
    }
    expect(run({ dec_sum: [{ var: 'lines' }, 'allocation.amount'] }, data)).toBe('100.3')
  })

  it('returns null for a missing array and refuses anything else', () => {
    expect(run({ dec_sum: [{ var: 'lines' }] })).toBeNull()
    expect(failure(() => run({ dec_sum: ['1.00'] })).details.operator).toBe('dec_sum')
    expect(failure(() => run({ dec_sum: [{ var: 'xs' }] }, { xs: ['x'] })).details.operator)
      .toBe('dec_sum')
  })

  it('refuses a computed path into the prototype chain', () => {
    const rule = { dec_sum: [{ var: 'xs' }, { cat: ['__proto__', ''] }] }
    expect(failure(() => run(rule, { xs: [{}] })).details.operator).toBe('dec_sum')
  })
})
