import { describe, isNil, logicError } from './logic-error.js'
import type { OperatorTable } from './operator.js'
import { forbiddenSegment, readPath } from './var-path.js'

/**
 * Replacements for json-logic-js operators whose stock behaviour is unsafe
 * for business data.
 *
 * - `<`, `<=`, `>`, `>=` (and the between form of `<` and `<=`) are false
 *   when any operand is null or missing: a missing amount is not 0.
 * - `==` / `!=`: null and missing equal only each other (`null == 0` is
 *   false); two other scalars compare as in json-logic (`"1" == 1` is
 *   true); an array or object is never `==` to anything (`[] == ""` is
 *   false). `===` / `!==` stay strict.
 * - `+`, `-`, `*`, `/`, `%`, `min`, `max` return null when an operand is
 *   null, as SQL does; operands must be numbers or numeric text; division
 *   by zero and results that are not finite are errors, never NaN.
 *   For money use the `dec…` operators.
 * - `var` follows own properties only and refuses prototype segments,
 *   also for paths computed at run time.
 * - `missing` / `missing_some` read paths the same way as `var`.
 * - `in` tests membership in an array, or a substring in a text.
 */
export const STANDARD_OPERATOR_OVERRIDES: OperatorTable = {
  var: function (this: unknown, path: unknown, fallback: unknown) {
    const notFound = fallback === undefined ? null : fallback
    if (path === undefined || path === null || path === '') return this

    const text = String(path)
    const bad = forbiddenSegment(text)
    if (bad !== undefined) {
      throw logicError('var', `data path ${describe(text)} uses the forbidden segment "${bad}"`)
    }

    const value = readPath(this, text)
    return value === undefined ? notFound : value
  },

  missing: function (this: unknown, ...args: unknown[]) {
    const keys = Array.isArray(args[0]) ? args[0] : args
    return missingKeys(this, keys)
  },
  missing_some: function (this: unknown, need: unknown, keys: unknown) {
    if (typeof need !== 'number' || !Array.isArray(keys)) {
      throw logicError('missing_some', `expected [count, [paths]], got ${describe([need, keys])}`)
    }
    const missing = missingKeys(this, keys)
    return keys.length - missing.length >= need ? [] : missing
  },

  '==': (a, b) => looseEquals(a, b),
  '!=': (a, b) => !looseEquals(a, b),

  '<': (...args) => ordered(args, (x, y) => x < y),
  '<=': (...args) => ordered(args, (x, y) => x <= y),
  '>': (a, b) => ordered([a, b], (x, y) => x > y),
  '>=': (a, b) => ordered([a, b], (x, y) => x >= y),

  '+': (...args) => {
    if (args.some(isNil)) return null
    return args.reduce<number>((sum, arg) => sum + toNumber('+', arg), 0)
  },
  '-': (...args) => {
    if (args.some(isNil)) return null
    const [a, b] = args.map((arg) => toNumber('-', arg))
    return args.length === 1 ? -a : a - b
  },
  '*': (...args) => {
    if (args.length === 0) throw logicError('*', 'needs at least one operand')
    if (args.some(isNil)) return null
    return args.reduce<number>((product, arg) => product * toNumber('*', arg), 1)
  },
  '/': (a, b) => {
    if (isNil(a) || isNil(b)) return null
    const divisor = toNumber('/', b)
    if (divisor === 0) throw logicError('/', `division by zero (${describe(a)} / ${describe(b)})`)
    return toNumber('/', a) / divisor
  },
  '%': (a, b) => {
    if (isNil(a) || isNil(b)) return null
    const divisor = toNumber('%', b)
    if (divisor === 0) throw logicError('%', `division by zero (${describe(a)} % ${describe(b)})`)
    return toNumber('%', a) % divisor
  },
  min: (...args) => extreme('min', args),
  max: (...args) => extreme('max', args),

  in: (needle, haystack) => {
    if (Array.isArray(haystack)) return haystack.includes(needle)
    if (typeof haystack === 'string' && !isNil(needle)) return haystack.includes(String(needle))
    return false
  },
}

function missingKeys(data: unknown, keys: unknown[]): unknown[] {
  const read = STANDARD_OPERATOR_OVERRIDES.var
  return keys.filter((key) => {
    const value = read.call(data, key)
    return value === null || value === ''
  })
}

function looseEquals(a: unknown, b: unknown): boolean {
  if (isNil(a) || isNil(b)) return isNil(a) && isNil(b)
  if (typeof a === 'object' || typeof b === 'object') return false
  // Deliberately loose between scalars, as json-logic specifies.
  return a == b
}

type Scalar = string | number | boolean

function ordered(args: unknown[], test: (x: Scalar, y: Scalar) => boolean): boolean {
  if (args.some(isNil)) return false

  const values = args as Scalar[]
  for (let index = 1; index < values.length; index += 1) {
    if (!test(values[index - 1], values[index])) return false
  }
  return true
}

const NUMERIC_TEXT = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/

function toNumber(operator: string, value: unknown): number {
  if (typeof value === 'number') return value
  if (typeof value === 'string' && NUMERIC_TEXT.test(value)) return Number(value)
  throw logicError(operator, `expected a number, got ${describe(value)}`)
}

function extreme(operator: 'min' | 'max', args: unknown[]): number | null {
  if (args.length === 0 || args.some(isNil)) return null
  const numbers = args.map((arg) => toNumber(operator, arg))
  return operator === 'min' ? Math.min(...numbers) : Math.max(...numbers)
}
