import { describe, expect, it } from 'vitest'
import { checkLogic } from './check-logic.js'
import { failure } from './test-helpers.js'

describe('checkLogic', () => {
  it('accepts a rule made of allowed operators and literals', () => {
    const rule = {
      and: [
        { 'dec>': [{ var: 'amount' }, '0'] },
        { '!': { blank: { var: 'number' } } },
        { in: [{ var: 'status' }, ['open', 'partial']] },
      ],
    }
    expect(() => checkLogic(rule)).not.toThrow()
    expect(() => checkLogic('plain text')).not.toThrow()
    expect(() => checkLogic(null)).not.toThrow()
  })

  it('names the path of a refused operator inside the rule', () => {
    const rule = { and: [{ '==': [1, 1] }, { or: [true, { method: ['x', 'trim'] }] }] }
    const error = failure(() => checkLogic(rule))
    expect(error.code).toBe('metadata.invalid')
    expect(error.issues).toEqual([
      { field: '$.and[1].or[1]', rule: 'operator', message: 'operator "method" is not allowed' },
    ])
    expect(error.message).toContain('$.and[1].or[1]')
  })

  it('refuses log, dotted operator names and prototype names', () => {
    for (const operator of ['log', 'dec.plus', '__proto__', 'hasOwnProperty', 'prototype']) {
      const rule = JSON.parse(`{"${operator}": [1]}`)
      expect(failure(() => checkLogic(rule)).issues[0].rule).toBe('operator')
    }
  })

  it('refuses var, missing and dec_sum paths with prototype segments', () => {
    const rules = [
      { var: '__proto__.polluted' },
      { var: ['a.prototype', 0] },
      { missing: ['ok', 'constructor'] },
      { missing_some: [1, ['ok', 'x.__proto__']] },
      { dec_sum: [{ var: 'lines' }, 'constructor.name'] },
    ]
    const paths = rules.map((rule) => failure(() => checkLogic(rule)).issues[0].field)
    expect(paths).toEqual([
      '$.var',
      '$.var[0]',
      '$.missing[1]',
      '$.missing_some[1][1]',
      '$.dec_sum[1]',
    ])
  })

  it('asks vars about paths of the rule data, not of map/filter/reduce bodies', () => {
    const asked: string[] = []
    const vars = (path: string) => {
      asked.push(path)
      return path !== 'nope'
    }
    const rule = {
      and: [
        { var: 'customer.rating' },
        { missing: ['amount'] },
        { some: [{ var: 'lines' }, { 'dec>': [{ var: 'amount' }, 0] }] },
        { reduce: [{ var: 'lines' }, { 'dec+': [{ var: 'current' }, { var: 'accumulator' }] }, 0] },
      ],
    }
    checkLogic(rule, { vars })
    expect(asked).toEqual(['customer.rating', 'amount', 'lines', 'lines'])

    const error = failure(() => checkLogic({ '==': [{ var: 'nope' }, 1] }, { vars }))
    expect(error.issues).toEqual([
      { field: '$.==[0].var', rule: 'var', message: 'data path "nope" does not exist' },
    ])
  })

  it('lists every problem, not just the first', () => {
    const rule = {
      and: [{ eval: ['x'] }, { var: 'a.constructor' }, { date: ['1/2/2025', 'DD.MM.YYYY'] }],
    }
    const error = failure(() => checkLogic(rule))
    expect(error.issues.map((issue) => issue.field)).toEqual([
      '$.and[0]',
      '$.and[1].var',
      '$.and[2].date[1]',
    ])
    expect(error.message).toContain('(and 2 more)')
  })

  it('refuses objects that are not one-key operations, and values that are not JSON', () => {
    expect(failure(() => checkLogic({ a: 1, b: 2 })).issues[0].rule).toBe('shape')
    expect(failure(() => checkLogic({})).issues[0].rule).toBe('shape')
    expect(failure(() => checkLogic({ '+': [1, Number.NaN] })).issues[0].field).toBe('$.+[1]')
    expect(failure(() => checkLogic({ '+': [1, () => 2] })).issues[0].rule).toBe('value')
    expect(failure(() => checkLogic({ cat: [new Date(0)] })).issues[0].rule).toBe('value')
  })

  it('checks literal arguments of dec_round and date', () => {
    expect(failure(() => checkLogic({ dec_round: [{ var: 'x' }, 2.5] })).issues[0].field)
      .toBe('$.dec_round[1]')
    expect(() => checkLogic({ date: [{ var: 'x' }, 'D/M/YYYY'] })).not.toThrow()
  })
})
