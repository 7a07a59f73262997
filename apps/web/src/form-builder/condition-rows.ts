import type { LogicVar, ValueKind } from './value-kinds.js'

/** How a row compares its field. */
export type ConditionOp =
  | 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le' | 'empty' | 'filled' | 'contains' | 'true' | 'false'

/** One row of the condition editor: field, operator, value. */
export interface ConditionRow {
  field: string
  op: ConditionOp
  /** Typed text: a number, a date "YYYY-MM-DD", an option value or text. */
  value: string
  /**
   * Another field to compare with instead of `value` (a due date not before
   * the invoice date); only for the comparisons that take a value.
   */
  other?: string
}

export interface ConditionState {
  /** all: every row must hold; any: one is enough. */
  mode: 'all' | 'any'
  rows: ConditionRow[]
}

/** The operators that make sense for a kind of value, in the order offered. */
export function operatorsFor(kind: ValueKind): ConditionOp[] {
  switch (kind) {
    case 'number':
    case 'date':
      return ['eq', 'ne', 'gt', 'ge', 'lt', 'le', 'empty', 'filled']
    case 'boolean':
      return ['true', 'false', 'empty']
    case 'list':
      return ['contains', 'empty', 'filled']
    default:
      return ['eq', 'ne', 'empty', 'filled']
  }
}

/** Whether an operator takes a value. */
export function takesValue(op: ConditionOp): boolean {
  return !['empty', 'filled', 'true', 'false'].includes(op)
}

const ORDER: Record<string, string> = { gt: '>', ge: '>=', lt: '<', le: '<=' }

/** The operators that compare a field with a value, or with another field. */
const COMPARED: readonly ConditionOp[] = ['eq', 'ne', 'gt', 'ge', 'lt', 'le']

/** Whether a row of this operator may compare with another field. */
export function comparesFields(op: ConditionOp): boolean {
  return COMPARED.includes(op)
}

/** The json-logic of one row (undefined while it names no known field). */
function rowLogic(row: ConditionRow, vars: readonly LogicVar[]): unknown {
  const known = vars.find((v) => v.key === row.field)
  if (!known) return undefined
  const field = { var: row.field }
  const prefix = known.kind === 'number' ? 'dec' : known.kind === 'date' ? 'date' : ''
  if (row.other !== undefined && COMPARED.includes(row.op)) {
    if (!vars.some((v) => v.key === row.other)) return undefined
    const other = { var: row.other }
    if (row.op === 'eq' || row.op === 'ne') {
      const equal = { [`${prefix}==`]: [field, other] }
      return row.op === 'eq' ? equal : { '!': [equal] }
    }
    return { [`${prefix}${ORDER[row.op]}`]: [field, other] }
  }
  const value = row.value.trim()
  switch (row.op) {
    case 'empty':
      return { blank: [field] }
    case 'filled':
      return { '!': [{ blank: [field] }] }
    case 'true':
    case 'false':
      return { '==': [field, row.op === 'true'] }
    case 'contains':
      return { in: [value, field] }
    case 'eq':
    case 'ne': {
      const equal = { [`${prefix}==`]: [field, value] }
      return row.op === 'eq' ? equal : { '!': [equal] }
    }
    default:
      return { [`${prefix || ''}${ORDER[row.op]}`]: [field, value] }
  }
}

/**
 * The json-logic of the rows: one row alone, several joined by `and`
 * (all) or `or` (any); undefined without rows.
 *
 * @example
 * conditionLogic({ mode: 'all', rows: [{ field: 'amount', op: 'gt', value: '10000' }] }, vars)
 * // { "dec>": [{ "var": "amount" }, "10000"] }
 */
export function conditionLogic(state: ConditionState, vars: readonly LogicVar[]): unknown {
  const parts = state.rows.map((row) => rowLogic(row, vars)).filter((logic) => logic !== undefined)
  if (parts.length === 0) return undefined
  if (parts.length === 1) return parts[0]
  return { [state.mode === 'all' ? 'and' : 'or']: parts }
}

/**
 * The rows a condition was built from, or undefined when it was written
 * some other way (the editor then offers to replace it).
 */
export function conditionRows(logic: unknown, vars: readonly LogicVar[]): ConditionState | undefined {
  if (logic === undefined || logic === null) return { mode: 'all', rows: [] }
  const single = readRow(logic, vars)
  if (single) return { mode: 'all', rows: [single] }
  const [op, args] = only(logic) ?? []
  if ((op !== 'and' && op !== 'or') || !Array.isArray(args)) return undefined
  const rows = args.map((part) => readRow(part, vars))
  if (rows.some((row) => row === undefined)) return undefined
  return { mode: op === 'and' ? 'all' : 'any', rows: rows as ConditionRow[] }
}

function readRow(logic: unknown, vars: readonly LogicVar[]): ConditionRow | undefined {
  const candidates: ConditionRow[] = []
  const [op, args] = only(logic) ?? []
  const list = Array.isArray(args) ? args : [args]
  const fieldOf = (value: unknown) => (only(value)?.[0] === 'var' ? only(value)![1] : undefined)

  if (op === 'blank' || op === '!') {
    const inner = op === '!' ? only(list[0]) : undefined
    const key = op === 'blank' ? fieldOf(list[0]) : inner?.[0] === 'blank' ? fieldOf(asList(inner[1])[0]) : undefined
    if (typeof key === 'string') candidates.push({ field: key, op: op === 'blank' ? 'empty' : 'filled', value: '' })
    if (op === '!' && inner) {
      const equal = readRow(list[0], vars)
      if (equal?.op === 'eq') candidates.push({ ...equal, op: 'ne' })
    }
  } else if (op === 'in' && typeof list[0] === 'string') {
    const key = fieldOf(list[1])
    if (typeof key === 'string') candidates.push({ field: key, op: 'contains', value: list[0] })
  } else if (typeof op === 'string' && list.length === 2) {
    const key = fieldOf(list[0])
    const match = /^(dec|date)?(==|<=|>=|<|>)$/.exec(op)
    if (typeof key === 'string' && match) {
      const value = list[1]
      const other = fieldOf(value)
      const name = Object.entries(ORDER).find(([, symbol]) => symbol === match[2])?.[0] ?? 'eq'
      if (typeof other === 'string') {
        candidates.push({ field: key, op: name as ConditionOp, value: '', other })
      } else if (typeof value === 'boolean' && match[2] === '==') {
        candidates.push({ field: key, op: value ? 'true' : 'false', value: '' })
      } else if (typeof value === 'string' || typeof value === 'number') {
        candidates.push({ field: key, op: name as ConditionOp, value: String(value) })
      }
    }
  }
  // A row counts only if building it again gives the same logic.
  return candidates.find((row) => JSON.stringify(rowLogic(row, vars)) === JSON.stringify(normalize(logic)))
}

/** `{ "!": x }` and `{ "!": [x] }` are the same; rows build the second. */
function normalize(logic: unknown): unknown {
  const [op, args] = only(logic) ?? []
  if ((op === '!' || op === 'blank') && !Array.isArray(args)) return { [op]: [normalize(args)] }
  if (op === '!') return { '!': asList(args).map(normalize) }
  return logic
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value]
}

function only(value: unknown): [string, unknown] | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined
  const entries = Object.entries(value)
  return entries.length === 1 ? entries[0] : undefined
}
