import { type RawBuilder, sql } from 'kysely'

import { isIsoDate } from '@tessera/core'

import { type Operand, asDate, harmonize } from './coerce.js'
import { compileExpr, isLiteral } from './compile-expr.js'
import { at, show } from './issue-list.js'
import type { Scope } from './scope.js'
import type { ReportOperator } from './spec.js'
import {
  BOOLEAN,
  DATE,
  DECIMAL,
  INTEGER,
  INVALID,
  type Typed,
  type ValueKind,
  combineNumbers,
  describe,
  fits,
  money,
  moneyScaleOf,
} from './value-type.js'

/**
 * Most operands an operator that takes "any number" takes: each becomes a
 * level of the SQL expression, and a database parses only so many.
 */
const MANY = 64

/** Operand counts: [min, max]. */
const ARITY: Record<ReportOperator, [number, number]> = {
  '+': [2, MANY],
  '-': [1, 2],
  '*': [2, MANY],
  '/': [2, 2],
  '==': [2, 2],
  '!=': [2, 2],
  '<': [2, 3],
  '<=': [2, 3],
  '>': [2, 2],
  '>=': [2, 2],
  and: [1, MANY],
  or: [1, MANY],
  if: [2, MANY + 1],
  coalesce: [1, MANY],
  days_between: [2, 2],
  add_days: [2, 2],
}

const OPERATORS = Object.keys(ARITY) as ReportOperator[]

/** SQL spelling of comparison and logic operators (constants, never spec text). */
const SQL_OPERATOR: Partial<Record<ReportOperator, string>> = {
  '+': '+',
  '*': '*',
  '==': '=',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
  and: 'and',
  or: 'or',
}

function isOperator(name: string): name is ReportOperator {
  return (OPERATORS as string[]).includes(name)
}

/** Every operator besides var, param, ref and rollup. */
export async function compileOperator(
  name: string,
  operand: unknown,
  scope: Scope,
  path: string,
): Promise<Typed> {
  const { issues } = scope.context
  if (name === 'in') return compileIn(operand, scope, path)
  if (name === '!') return compileNot(operand, scope, path)

  if (!isOperator(name)) {
    issues.add(path, 'unknown_operator', {
      zh: `不支持的运算符 ${show(name)}`,
      en: `unknown operator ${show(name)}`,
    }, { expected: [...OPERATORS, 'in', '!', 'var', 'param', 'ref', 'rollup'], received: name })
    return invalid()
  }
  if (!Array.isArray(operand)) {
    issues.add(path, 'operands', {
      zh: `运算符 ${name} 的操作数须为数组`,
      en: `operator "${name}" takes an array of operands, got ${show(operand)}`,
    }, { received: operand })
    return invalid()
  }

  const [min, max] = ARITY[name]
  if (operand.length < min || operand.length > max) {
    const range = min === max ? `${min}` : `${min}–${max}`
    issues.add(path, 'arity', {
      zh: `运算符 ${name} 需要 ${range} 个操作数，收到 ${operand.length} 个`,
      en: `operator "${name}" takes ${range} operands, got ${operand.length}`,
    }, { expected: range, received: operand.length })
    return invalid()
  }

  const operands: Operand[] = []
  for (const [index, item] of operand.entries()) {
    const itemPath = at(path, index)
    operands.push({ typed: await compileExpr(item, scope, itemPath), path: itemPath })
  }
  return apply(name, operands, scope)
}

function apply(name: ReportOperator, operands: Operand[], scope: Scope): Typed {
  switch (name) {
    case '+':
    case '*':
      return arithmetic(name, operands, scope)
    case '-':
      return subtract(operands, scope)
    case '/':
      return divide(operands, scope)
    case '==':
    case '!=':
      return equality(name, operands, scope)
    case '<':
    case '<=':
    case '>':
    case '>=':
      return ordering(name, operands, scope)
    case 'and':
    case 'or':
      return logic(name, operands, scope)
    case 'if':
      return conditional(operands, scope)
    case 'coalesce': {
      const { items, type } = harmonize(operands, scope)
      return { sql: sql`coalesce(${sql.join(items.map((item) => item.sql))})`, type }
    }
    case 'days_between': {
      const [from, to] = operands.map((item) => asDate(item, scope))
      if (from.type.kind === 'invalid' || to.type.kind === 'invalid') return invalid()
      return { sql: sql`(${to.sql} - ${from.sql})`, type: INTEGER }
    }
    case 'add_days': {
      const date = asDate(operands[0], scope)
      const days = expectKind(operands[1], 'number', scope)
      if (date.type.kind === 'invalid' || !days) return invalid()
      // A literal count of days must give a date a database holds, or every run would fail.
      const literal = operands[1].typed.literal?.value
      if (typeof literal === 'number' && !(Math.abs(literal) <= MAX_DAYS_ADDED)) {
        scope.context.issues.add(operands[1].path, 'range', {
          zh: `加减的天数须在 ±${MAX_DAYS_ADDED} 以内，收到 ${literal}`,
          en: `the days added must lie within ±${MAX_DAYS_ADDED}, got ${literal}`,
        }, { expected: { min: -MAX_DAYS_ADDED, max: MAX_DAYS_ADDED }, received: literal })
        return invalid()
      }
      return { sql: sql`(${date.sql} + cast(${operands[1].typed.sql} as integer))`, type: DATE }
    }
  }
}

/** About 2,700 years either way: any real date plus this stays a date. */
const MAX_DAYS_ADDED = 1_000_000

function invalid(): Typed {
  return { sql: sql`null`, type: INVALID }
}

/** Adds an issue unless the operand has (or may have) the kind. */
function expectKind(operand: Operand, kind: ValueKind, scope: Scope): boolean {
  if (fits(operand.typed.type, kind)) return true
  const got = describe(operand.typed.type)
  scope.context.issues.add(operand.path, 'type', {
    zh: `此处需要 ${kind}，收到 ${got}`,
    en: `expected ${kind} here, got ${got}`,
  }, { expected: kind, received: got })
  return false
}

function allOfKind(operands: Operand[], kind: ValueKind, scope: Scope): boolean {
  let ok = true
  for (const operand of operands) ok = expectKind(operand, kind, scope) && ok
  return ok
}

function arithmetic(name: '+' | '*', operands: Operand[], scope: Scope): Typed {
  if (!allOfKind(operands, 'number', scope)) return invalid()
  const separator = sql.raw(` ${SQL_OPERATOR[name]} `)
  const parts = operands.map((operand) => operand.typed.sql)
  return {
    sql: balanced(parts, separator),
    type: combineNumbers(operands.map((operand) => operand.typed.type)),
  }
}

/**
 * `a + b + c + d` as `((a + b) + (c + d))`: the same sum (exact numerics
 * associate), nested as deep as the logarithm of the operands rather than
 * their number — a database parses expressions only so deep.
 */
function balanced(parts: Array<RawBuilder<unknown>>, separator: RawBuilder<unknown>): RawBuilder<unknown> {
  if (parts.length <= 2) return sql`(${sql.join(parts, separator)})`
  const half = Math.ceil(parts.length / 2)
  return sql`(${balanced(parts.slice(0, half), separator)}${separator}${balanced(parts.slice(half), separator)})`
}

function subtract(operands: Operand[], scope: Scope): Typed {
  if (!allOfKind(operands, 'number', scope)) return invalid()
  const type = combineNumbers(operands.map((operand) => operand.typed.type))
  const [left, right] = operands.map((operand) => operand.typed.sql)
  if (right === undefined) return { sql: sql`(- ${left})`, type }
  return { sql: sql`(${left} - ${right})`, type }
}

/** Division is always decimal (bigint / bigint would truncate) and x / 0 is null. */
function divide(operands: Operand[], scope: Scope): Typed {
  if (!allOfKind(operands, 'number', scope)) return invalid()
  const [left, right] = operands.map((operand) => operand.typed)
  const scale = moneyScaleOf(left.type)
  const keepsMoney = scale !== undefined && moneyScaleOf(right.type) === undefined
  const type = keepsMoney ? money(scale) : DECIMAL
  return { sql: sql`(cast(${left.sql} as numeric) / nullif(${right.sql}, 0))`, type }
}

/** `{ "==": [x, null] }` asks whether x is empty; other comparisons keep SQL nulls. */
function equality(name: '==' | '!=', operands: Operand[], scope: Scope): Typed {
  const nullAt = operands.findIndex((operand) => operand.typed.literal?.value === null)
  if (nullAt >= 0) {
    const other = operands[1 - nullAt].typed
    const test = name === '==' ? sql`is null` : sql`is not null`
    return { sql: sql`(${other.sql} ${test})`, type: BOOLEAN }
  }

  const { items, type } = harmonize(operands, scope)
  const [left, right] = items
  const operator = sql.raw(SQL_OPERATOR[name] ?? '=')
  const result = type.kind === 'invalid' ? INVALID : BOOLEAN
  return { sql: sql`(${left.sql} ${operator} ${right.sql})`, type: result }
}

/** `{ "<=": [a, b, c] }` is a between: a <= b and b <= c. */
function ordering(name: '<' | '<=' | '>' | '>=', operands: Operand[], scope: Scope): Typed {
  const { items, type } = harmonize(operands, scope)
  if (type.kind === 'boolean') {
    scope.context.issues.add(operands[0].path, 'type', {
      zh: `运算符 ${name} 不能比较布尔值`,
      en: `operator "${name}" cannot order booleans`,
    })
    return invalid()
  }
  if (type.kind === 'invalid') return invalid()

  const operator = sql.raw(SQL_OPERATOR[name] ?? '=')
  const pairs: Array<RawBuilder<unknown>> = []
  for (let index = 0; index + 1 < items.length; index += 1) {
    pairs.push(sql`${items[index].sql} ${operator} ${items[index + 1].sql}`)
  }
  return { sql: sql`(${sql.join(pairs, sql` and `)})`, type: BOOLEAN }
}

function logic(name: 'and' | 'or', operands: Operand[], scope: Scope): Typed {
  if (!allOfKind(operands, 'boolean', scope)) return invalid()
  const separator = sql.raw(` ${SQL_OPERATOR[name]} `)
  return {
    sql: sql`(${sql.join(operands.map((operand) => operand.typed.sql), separator)})`,
    type: BOOLEAN,
  }
}

/** `if` [c1, v1, c2, v2, …, else?] → CASE; without an else the value is null. */
function conditional(operands: Operand[], scope: Scope): Typed {
  const conditions: Operand[] = []
  const values: Operand[] = []
  operands.forEach((operand, index) => {
    const isElse = index === operands.length - 1 && index % 2 === 0
    if (index % 2 === 0 && !isElse) conditions.push(operand)
    else values.push(operand)
  })

  const conditionsOk = allOfKind(conditions, 'boolean', scope)
  const { items, type } = harmonize(values, scope)
  if (!conditionsOk) return invalid()

  const branches = conditions.map(
    (condition, index) => sql`when ${condition.typed.sql} then ${items[index].sql}`,
  )
  const hasElse = items.length > conditions.length
  const otherwise = hasElse ? sql` else ${items[items.length - 1].sql}` : sql``
  return { sql: sql`(case ${sql.join(branches, sql` `)}${otherwise} end)`, type }
}

async function compileNot(operand: unknown, scope: Scope, path: string): Promise<Typed> {
  const single = Array.isArray(operand) && operand.length === 1
  const inner: unknown = single ? operand[0] : operand
  const innerPath = single ? at(path, 0) : path

  const typed = await compileExpr(inner, scope, innerPath)
  if (!expectKind({ typed, path: innerPath }, 'boolean', scope)) return invalid()
  return { sql: sql`(not ${typed.sql})`, type: BOOLEAN }
}

/** `{ "in": [x, [a, b]] }`: the list must be literals of x's type. */
/** The most items an `in` list may hold. */
const MAX_IN_LIST = 1000

async function compileIn(operand: unknown, scope: Scope, path: string): Promise<Typed> {
  const { issues } = scope.context
  if (!Array.isArray(operand) || operand.length !== 2 || !Array.isArray(operand[1])) {
    issues.add(path, 'operands', {
      zh: 'in 的操作数须为 [表达式, [字面量, …]]',
      en: 'in takes [expression, [literal, …]]: the list must be an array literal',
    }, { received: operand })
    return invalid()
  }

  const subject = await compileExpr(operand[0], scope, at(path, 0))
  const list: unknown[] = operand[1]
  const listPath = at(path, 1)
  const kind = subject.type.kind
  if (kind === 'invalid') return invalid()
  if (kind !== 'number' && kind !== 'text' && kind !== 'date') {
    issues.add(at(path, 0), 'type', {
      zh: `in 只能用于数字、文本或日期，收到 ${describe(subject.type)}`,
      en: `in works on numbers, texts and dates, got ${describe(subject.type)}`,
    })
    return invalid()
  }

  if (list.length > MAX_IN_LIST) {
    // Each item is a value of the statement, which holds at most 65,535 of them.
    issues.add(listPath, 'max_items', {
      zh: `in 列表最多 ${MAX_IN_LIST} 项，收到 ${list.length} 项；更长的名单请改用字段条件（如按区域或标记字段筛选）`,
      en: `an in list holds at most ${MAX_IN_LIST} items, got ${list.length}; filter a longer list by a field instead (a region, a flag)`,
    }, { expected: { max: MAX_IN_LIST }, received: list.length })
    return invalid()
  }
  const items: Array<RawBuilder<unknown>> = []
  for (const [index, value] of list.entries()) {
    const item = listItem(value, kind, scope, at(listPath, index))
    if (item) items.push(item)
  }
  if (items.length !== list.length) return invalid()
  if (items.length === 0) return { sql: sql`false`, type: BOOLEAN }
  return { sql: sql`(${subject.sql} in (${sql.join(items)}))`, type: BOOLEAN }
}

function listItem(
  value: unknown,
  kind: 'number' | 'text' | 'date',
  scope: Scope,
  path: string,
): RawBuilder<unknown> | undefined {
  if (kind === 'number' && typeof value === 'number' && Number.isFinite(value)) {
    return sql`${value}::numeric`
  }
  if (kind === 'text' && typeof value === 'string') return sql`${value}::text`
  if (kind === 'date' && isIsoDate(value)) return sql`${value}::date`

  const what = isLiteral(value) ? show(value) : 'an expression'
  scope.context.issues.add(path, 'type', {
    zh: `in 列表的元素须为 ${kind} 字面量，收到 ${what}`,
    en: `items of an in list must be ${kind} literals, got ${what}`,
  }, { expected: kind, received: value })
  return undefined
}
