import { describe, expect, it } from 'vitest'
import { logicVars } from './logic-vars.js'

describe('logicVars', () => {
  it('lists the paths a rule reads, once each', () => {
    expect(logicVars({ 'dec*': [{ var: 'qty' }, { var: 'price' }, { var: 'qty' }] }))
      .toEqual(['qty', 'price'])
    expect(logicVars({ if: [{ missing: ['a', 'b'] }, { var: ['c', 0] }, { missing_some: [1, ['d']] }] }))
      .toEqual(['a', 'b', 'c', 'd'])
  })

  it('lists the array of map/filter/reduce but not the element paths of their bodies', () => {
    const rule = { reduce: [{ var: 'lines' }, { 'dec+': [{ var: 'current.amount' }, { var: 'accumulator' }] }, 0] }
    expect(logicVars(rule)).toEqual(['lines'])
    expect(logicVars({ dec_sum: [{ var: 'lines' }, 'amount'] })).toEqual(['lines'])
  })

  it('finds nothing in literals', () => {
    expect(logicVars(42)).toEqual([])
    expect(logicVars(['var', 'x'])).toEqual([])
    expect(logicVars(null)).toEqual([])
  })
})
