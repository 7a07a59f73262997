import { describe, expect, it } from 'vitest'
import { evaluate } from './evaluate.js'
import { failure } from './test-helpers.js'

describe('text helpers', () => {
  it('trim, upper and lower text and pass null through', () => {
    expect(evaluate({ upper: { trim: { var: 'code' } } }, { code: ' ab1 ' })).toBe('AB1')
    expect(evaluate({ lower: ['MiXeD'] }, {})).toBe('mixed')
    expect(evaluate({ trim: [42] }, {})).toBe('42')
    expect(evaluate({ trim: { var: 'none' } }, {})).toBeNull()
    expect(failure(() => evaluate({ upper: [[1]] }, {})).details.operator).toBe('upper')
  })

  it('blank is true only for null, missing, empty and whitespace text', () => {
    const values = [null, '', '  \t', 'x', 0, false, []]
    const results = values.map((value) => evaluate({ blank: { var: 'v' } }, { v: value }))
    expect(results).toEqual([true, true, true, false, false, false, false])
    expect(evaluate({ blank: { var: 'absent' } }, {})).toBe(true)
  })
})
