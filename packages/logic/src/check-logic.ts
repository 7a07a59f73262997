import { TesseraError, isDecimalString, isIsoDate, type FieldIssue } from '@tessera/core'
import { isAllowedOperator, SCOPED_OPERATORS } from './allowed-operators.js'
import { isDateFormat } from './parse-date.js'
import { forbiddenSegment } from './var-path.js'

/**
 * A json-logic rule, as stored in metadata: plain JSON where an object with
 * exactly one key is an operation and everything else is a literal.
 *
 * @example
 * { "and": [{ "dec>": [{ "var": "amount" }, "0"] }, { "!": { "blank": { "var": "number" } } }] }
 */
export type Logic = unknown

export interface CheckLogicOptions {
  /**
   * Says whether a data path exists (for example a field of the form the
   * rule runs on). Only paths read from the rule's own data are asked;
   * paths inside map/filter/reduce/all/none/some bodies read array
   * elements and are not.
   */
  vars?: (path: string) => boolean
  /**
   * Also refuse values written into exact operators (`dec>`, `dec+`…)
   * that are no number, and into date comparisons that are no
   * YYYY-MM-DD date: in stored logic (a form's conditions) such a value
   * would only fail when run, and a condition that fails keeps its field
   * shown. Off, they fail when evaluated (logic.error).
   */
  literals?: boolean
}

interface Walk {
  options: CheckLogicOptions
  issues: FieldIssue[]
}

/**
 * Checks a rule before it is stored or run: only allowed operators, no
 * path into the prototype chain, and (with `vars`) only known data paths.
 * Throws TesseraError('metadata.invalid') whose issues name each problem by
 * its path inside the rule, such as `$.and[1].<[0].var`.
 */
export function checkLogic(rule: unknown, options: CheckLogicOptions = {}): void {
  const walk: Walk = { options, issues: [] }
  visit(walk, rule, '$', false)
  if (walk.issues.length === 0) return

  const [first] = walk.issues
  const more = walk.issues.length > 1 ? ` (and ${walk.issues.length - 1} more)` : ''
  throw new TesseraError(
    'metadata.invalid',
    `json-logic rule is invalid at ${first.field}: ${first.message}${more}`,
    { details: { path: first.field }, issues: walk.issues },
  )
}

function visit(walk: Walk, node: unknown, path: string, scoped: boolean): void {
  if (node === null || typeof node === 'string' || typeof node === 'boolean') return

  if (typeof node === 'number') {
    if (!Number.isFinite(node)) report(walk, path, 'value', `${node} is not a JSON number`)
    return
  }

  if (Array.isArray(node)) {
    node.forEach((item, index) => visit(walk, item, `${path}[${index}]`, scoped))
    return
  }

  if (typeof node !== 'object' || !isPlainObject(node)) {
    report(walk, path, 'value', `a ${typeof node} is not JSON; rules are plain JSON`)
    return
  }

  visitOperation(walk, node, path, scoped)
}

function visitOperation(
  walk: Walk,
  node: Record<string, unknown>,
  path: string,
  scoped: boolean,
): void {
  const keys = Object.keys(node)
  if (keys.length !== 1) {
    const found = keys.map((key) => JSON.stringify(key)).join(', ') || 'none'
    report(walk, path, 'shape', `an object must have exactly one key, its operator; found ${found}`)
    return
  }

  const operator = keys[0]
  if (!isAllowedOperator(operator)) {
    report(walk, path, 'operator', `operator ${JSON.stringify(operator)} is not allowed`)
    return
  }

  const raw = node[operator]
  const args = Array.isArray(raw) ? raw : [raw]
  const base = `${path}.${operator}`
  const argPath = (index: number) => (Array.isArray(raw) ? `${base}[${index}]` : base)

  checkLiterals(walk, operator, args, argPath, scoped)

  args.forEach((arg, index) => {
    // The body of map/filter/… reads each element, not the rule's data.
    const inBody = SCOPED_OPERATORS.has(operator) && index === 1
    visit(walk, arg, argPath(index), scoped || inBody)
  })
}

/** Checks the literal arguments whose meaning is known before running. */
function checkLiterals(
  walk: Walk,
  operator: string,
  args: unknown[],
  argPath: (index: number) => string,
  scoped: boolean,
): void {
  switch (operator) {
    case 'var':
      checkDataPath(walk, args[0], argPath(0), scoped)
      return

    case 'missing': {
      const keys = Array.isArray(args[0]) ? args[0] : args
      const pathOf = Array.isArray(args[0])
        ? (index: number) => `${argPath(0)}[${index}]`
        : argPath
      keys.forEach((key, index) => checkDataPath(walk, key, pathOf(index), scoped))
      return
    }

    case 'missing_some':
      if (Array.isArray(args[1])) {
        args[1].forEach((key, index) => {
          checkDataPath(walk, key, `${argPath(1)}[${index}]`, scoped)
        })
      }
      return

    case 'dec_sum':
      if (typeof args[1] === 'string') checkSegments(walk, args[1], argPath(1))
      return

    case 'dec_round':
      if (typeof args[1] === 'number' && !isScale(args[1])) {
        const problem = `scale must be a whole number from 0 to 20, got ${args[1]}`
        report(walk, argPath(1), 'value', problem)
      }
      return

    case 'date':
      if (typeof args[1] === 'string' && !isDateFormat(args[1])) {
        report(walk, argPath(1), 'value', `unknown date format ${JSON.stringify(args[1])}`)
      }
      return
  }
  // A value written into an exact comparison or sum must be a number: "abc" or "1e400" would only
  // fail when run, and a condition that fails keeps its field shown (it would seem to hold).
  if (!walk.options.literals) return
  if (DECIMAL_OPERATORS.has(operator)) {
    args.forEach((arg, index) => {
      if (isLiteral(arg) && !isDecimalLiteral(arg)) {
        report(walk, argPath(index), 'value', `${operator} compares numbers; ${JSON.stringify(arg)} is no number (write it as 1234.5)`)
      }
    })
  }
  if (DATE_COMPARISONS.has(operator)) {
    args.forEach((arg, index) => {
      if (isLiteral(arg) && !(typeof arg === 'string' && isIsoDate(arg))) {
        report(walk, argPath(index), 'value', `${operator} compares dates; ${JSON.stringify(arg)} is no date (write it as YYYY-MM-DD)`)
      }
    })
  }
}

const DECIMAL_OPERATORS: ReadonlySet<string> = new Set(['dec+', 'dec-', 'dec*', 'dec/', 'dec==', 'dec<', 'dec<=', 'dec>', 'dec>='])
const DATE_COMPARISONS: ReadonlySet<string> = new Set(['date==', 'date<', 'date<=', 'date>', 'date>='])

/** A value written as it is: a text, number or yes/no (null is "empty", allowed anywhere). */
function isLiteral(arg: unknown): arg is string | number | boolean {
  return typeof arg === 'string' || typeof arg === 'number' || typeof arg === 'boolean'
}

function isDecimalLiteral(arg: string | number | boolean): boolean {
  // Blank text is empty, as null is.
  return typeof arg === 'number' ? Number.isFinite(arg) : arg === '' || isDecimalString(arg)
}

function checkDataPath(walk: Walk, value: unknown, path: string, scoped: boolean): void {
  if (typeof value !== 'string' && typeof value !== 'number') return

  const text = String(value)
  if (!checkSegments(walk, text, path)) return

  const { vars } = walk.options
  if (vars && !scoped && text !== '' && !vars(text)) {
    report(walk, path, 'var', `data path ${JSON.stringify(text)} does not exist`)
  }
}

function checkSegments(walk: Walk, text: string, path: string): boolean {
  const bad = forbiddenSegment(text)
  if (bad === undefined) return true

  report(walk, path, 'var', `data path ${JSON.stringify(text)} uses the forbidden segment "${bad}"`)
  return false
}

export function isScale(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0 && (value as number) <= 20
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto = Object.getPrototypeOf(value)
  return proto === Object.prototype || proto === null
}

function report(walk: Walk, path: string, rule: string, message: string): void {
  walk.issues.push({ field: path, rule, message })
}
