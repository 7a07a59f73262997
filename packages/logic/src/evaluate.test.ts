import { describe, expect, it } from 'vitest'
import { evaluate } from './evaluate.js'
import { failure } from './test-helpers.js'

describe('evaluate', () => {
  it('runs a rule mixing standard and extended operators', () => {
    const total = { dec_sum: [{ var: 'lines' }, 'amount'] }
    const rule = {
      if: [
        { 'dec>': [total, { var: 'limit' }] },
        { cat: ['over by ', { 'dec-': [total, { var: 'limit' }] }] },
        'ok',
      ],
    }
    const data = { limit: '100.00', lines: [{ amount: '60.10' }, { amount: '40.05' }] }
    expect(evaluate(rule, data)).toBe('over by 0.15')
  })

  it('checks a fresh rule object every time', () => {
    const make = () => ({ '+': [1, { var: 'a.__proto__' }] })
    expect(failure(() => evaluate(make(), {})).code).toBe('metadata.invalid')
    expect(failure(() => evaluate(make(), {})).code).toBe('metadata.invalid')
  })

  it('checks a rule object once and trusts it afterwards (rules are immutable)', () => {
    const rule: { '+': unknown[] } = { '+': [1, 2] }
    expect(evaluate(rule, {})).toBe(3)

    // Mutating a checked rule skips the check; json-logic-js itself still
    // refuses the unknown operator, which surfaces as a logic error.
    rule['+'] = [1, { method: ['x', 'trim'] }]
    expect(failure(() => evaluate(rule, {})).code).toBe('logic.error')
  })

  it('evaluates literals and arrays of rules', () => {
    expect(evaluate(7, {})).toBe(7)
    expect(evaluate([{ var: 'a' }, { var: 'b' }], { a: 1, b: 2 })).toEqual([1, 2])
  })

  it('restores the options of an outer evaluation after an inner one', () => {
    const inner = () => evaluate({ today: [] }, {}, { today: '2020-01-01' })
    const data = {
      get nested() {
        return inner()
      },
    }
    const rule = { cat: [{ var: 'nested' }, '/', { today: [] }] }
    expect(evaluate(rule, data, { today: '2025-06-30' })).toBe('2020-01-01/2025-06-30')
  })

  it('wraps errors thrown from data access into logic errors', () => {
    const data = {
      get broken(): unknown {
        throw new RangeError('boom')
      },
    }
    const error = failure(() => evaluate({ var: 'broken' }, data))
    expect([error.code, error.details.operator, error.message]).toEqual([
      'logic.error',
      'var',
      'var: boom',
    ])
    expect(error.status).toBe(400)
  })
})
