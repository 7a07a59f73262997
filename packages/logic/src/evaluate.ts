import { isTesseraError } from '@tessera/core'
import { checkLogic, type Logic } from './check-logic.js'
import { DATE_OPERATORS } from './date-operators.js'
import { DECIMAL_OPERATORS } from './decimal-operators.js'
import { withOptions, type EvaluateOptions } from './evaluation-context.js'
import { jsonLogic } from './json-logic.js'
import { describe, logicError } from './logic-error.js'
import type { Operator } from './operator.js'
import { STANDARD_OPERATOR_OVERRIDES } from './standard-operators.js'
import { TEXT_OPERATORS } from './text-operators.js'

const OPERATORS = {
  ...STANDARD_OPERATOR_OVERRIDES,
  ...DECIMAL_OPERATORS,
  ...DATE_OPERATORS,
  ...TEXT_OPERATORS,
}

for (const [name, operator] of Object.entries(OPERATORS)) {
  jsonLogic.add_operation(name, guarded(name, operator))
}
// checkLogic already refuses `log`; removing it keeps a rule that slipped
// past the check from writing to the console.
jsonLogic.rm_operation('log')

// Rules are immutable metadata, so a rule object checked once stays good.
const checked = new WeakSet<object>()

/**
 * Runs a json-logic rule against data with our operators (see
 * allowed-operators.ts). The rule is checked first (once per rule object).
 * Throws TesseraError('metadata.invalid') for a rule that fails the check
 * and TesseraError('logic.error') naming the operator for anything that
 * fails while running, including results that are NaN or infinite.
 *
 * @example
 * evaluate({ 'dec+': [{ var: 'a' }, '0.2'] }, { a: 0.1 }) // "0.3"
 * evaluate({ today: [] }, {}, { today: '2025-06-30' })    // "2025-06-30"
 */
export function evaluate(rule: Logic, data: unknown, options: EvaluateOptions = {}): unknown {
  ensureChecked(rule)

  const result = withOptions(options, () => {
    try {
      return jsonLogic.apply(rule as Parameters<typeof jsonLogic.apply>[0], data)
    } catch (error) {
      if (isTesseraError(error)) throw error
      throw logicError(topOperator(rule), messageOf(error), error)
    }
  })

  assertFinite(topOperator(rule), result)
  return result
}

function ensureChecked(rule: Logic): void {
  if (typeof rule !== 'object' || rule === null) {
    checkLogic(rule)
    return
  }
  if (checked.has(rule)) return

  checkLogic(rule)
  checked.add(rule)
}

/** Names the operator in errors and NaN/Infinity results it produced. */
function guarded(name: string, operator: Operator): Operator {
  return function (this: unknown, ...args: unknown[]) {
    let result: unknown
    try {
      result = operator.apply(this, args)
    } catch (error) {
      if (isTesseraError(error)) throw error
      throw logicError(name, messageOf(error), error)
    }
    assertFinite(name, result)
    return result
  }
}

function assertFinite(operator: string, value: unknown): void {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw logicError(operator, `the result is ${value}, not a number JSON can carry`)
  }
  if (Array.isArray(value)) value.forEach((item) => assertFinite(operator, item))
}

function topOperator(rule: Logic): string {
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) return 'rule'
  return Object.keys(rule)[0] ?? 'rule'
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : `threw ${describe(error)}`
}
