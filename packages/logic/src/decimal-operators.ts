import { Dec, isDecimalString } from '@tessera/core'
import { isScale } from './check-logic.js'
import { describe, expectOperands, isNil, logicError } from './logic-error.js'
import type { OperatorTable } from './operator.js'
import { forbiddenSegment, readPath } from './var-path.js'

/**
 * Exact decimal arithmetic for money. Operands are numbers or decimal text
 * ("12.5", "-3"); null, missing and blank text mean "no value".
 * Arithmetic returns decimal text in plain notation ("0.3", never "3e-1")
 * and null when an operand has no value; comparisons are then false.
 *
 * @example
 * { "dec+": [0.1, 0.2] }                             // "0.3"
 * { "dec_round": [{ "dec/": [10, 3] }, 2] }          // "3.33"
 * { "dec_sum": [{ "var": "lines" }, "amount"] }      // sum of lines[i].amount
 */
export const DECIMAL_OPERATORS: OperatorTable = {
  'dec+': (...args) => arithmetic('dec+', args, (values) => {
    return values.reduce((sum, value) => sum.plus(value), new Dec(0))
  }),

  'dec-': (...args) => {
    expectOperands('dec-', args, 1, 2)
    return arithmetic('dec-', args, ([a, b]) => (b === undefined ? a.neg() : a.minus(b)))
  },

  'dec*': (...args) => {
    if (args.length === 0) throw logicError('dec*', 'needs at least one operand')
    return arithmetic('dec*', args, (values) => {
      return values.reduce((product, value) => product.times(value), new Dec(1))
    })
  },

  'dec/': (...args) => {
    expectOperands('dec/', args, 2)
    return arithmetic('dec/', args, ([a, b]) => {
      if (!b.isZero()) return a.div(b)
      const [dividend, divisor] = args.map(describe)
      throw logicError('dec/', `division by zero (${dividend} / ${divisor})`)
    })
  },

  dec_round: (value, scale) => {
    if (!isScale(scale)) {
      const problem = `scale must be a whole number from 0 to 20, got ${describe(scale)}`
      throw logicError('dec_round', problem)
    }
    const decimal = toDecimal('dec_round', value)
    if (decimal === null) return null

    const rounded = decimal.toDecimalPlaces(scale, Dec.ROUND_HALF_UP)
    // "-0.001" rounds to zero, which must not print as "-0.00".
    return (rounded.isZero() ? rounded.abs() : rounded).toFixed(scale)
  },

  dec_sum: (items, path) => {
    if (isNil(items)) return null
    if (!Array.isArray(items)) {
      throw logicError('dec_sum', `expected an array, got ${describe(items)}`)
    }
    if (path !== undefined && typeof path !== 'string') {
      throw logicError('dec_sum', `the path must be text, got ${describe(path)}`)
    }
    const bad = path === undefined ? undefined : forbiddenSegment(path)
    if (bad !== undefined) throw logicError('dec_sum', `path uses the forbidden segment "${bad}"`)

    let total = new Dec(0)
    for (const item of items) {
      const value = toDecimal('dec_sum', path === undefined ? item : readPath(item, path))
      if (value !== null) total = total.plus(value)
    }
    return plain(total)
  },

  'dec==': (...args) => comparison('dec==', args, 2, (order) => order === 0),
  'dec<': (...args) => comparison('dec<', args, 3, (order) => order < 0),
  'dec<=': (...args) => comparison('dec<=', args, 3, (order) => order <= 0),
  'dec>': (...args) => comparison('dec>', args, 2, (order) => order > 0),
  'dec>=': (...args) => comparison('dec>=', args, 2, (order) => order >= 0),
}

function arithmetic(
  operator: string,
  args: unknown[],
  compute: (values: Dec[]) => Dec,
): string | null {
  const values = args.map((arg) => toDecimal(operator, arg))
  if (values.some((value) => value === null)) return null
  return plain(compute(values as Dec[]))
}

/** `dec<` and `dec<=` also take the between form [low, value, high]. */
function comparison(
  operator: string,
  args: unknown[],
  maxCount: number,
  test: (order: number) => boolean,
): boolean {
  expectOperands(operator, args, 2, maxCount)
  const values = args.map((arg) => toDecimal(operator, arg))
  if (values.some((value) => value === null)) return false

  for (let index = 1; index < values.length; index += 1) {
    if (!test((values[index - 1] as Dec).comparedTo(values[index] as Dec))) return false
  }
  return true
}

function toDecimal(operator: string, value: unknown): Dec | null {
  if (isNil(value)) return null
  if (typeof value === 'string' && value.trim() === '') return null
  if (typeof value === 'number' && Number.isFinite(value)) return new Dec(value)
  if (isDecimalString(value)) return new Dec(value)

  throw logicError(
    operator,
    `expected a number or decimal text such as "12.50", got ${describe(value)}`,
  )
}

function plain(value: Dec): string {
  return value.isZero() ? '0' : value.toFixed()
}
