import { sql } from 'kysely'

import { compileOperator } from './compile-operator.js'
import { compileRollup } from './compile-rollup.js'
import { compileVar } from './compile-var.js'
import { at, show } from './issue-list.js'
import type { Period } from './period.js'
import type { Scope } from './scope.js'
import { isRecord, own } from './shape.js'
import type { ReportLiteral } from './spec.js'
import {
  BOOLEAN,
  DATE,
  DECIMAL,
  INTEGER,
  INVALID,
  NULL,
  TEXT,
  type Typed,
} from './value-type.js'

/**
 * Compiles one expression of a spec to SQL in a scope. Problems are added
 * to the context's issues with their path in the spec, and the walk goes on
 * with an `invalid` placeholder so that one check reports everything.
 */
export async function compileExpr(raw: unknown, scope: Scope, path: string): Promise<Typed> {
  const { issues } = scope.context
  if (isLiteral(raw)) return compileLiteral(raw, scope, path)

  // A text in both languages, read in the run's: { "zh-CN": "期初余额", "en": "Opening balance" }.
  if (isBilingual(raw)) return compileLiteral(raw[scope.context.locale], scope, path)

  if (!isRecord(raw)) {
    issues.add(path, 'expression', {
      zh: '数组只能作为 in 的第二个操作数',
      en: 'an array is only allowed as the second operand of "in"',
    }, { received: raw })
    return { sql: sql`null`, type: INVALID }
  }

  const names = Object.keys(raw)
  if (names.length !== 1) {
    issues.add(path, 'expression', {
      zh: `表达式须为只有一个运算符的对象，收到 ${show(names)}`,
      en: `an expression must be an object with exactly one operator, got keys ${show(names)}`,
    }, { received: names })
    return { sql: sql`null`, type: INVALID }
  }

  const [name] = names
  const operand = raw[name]
  const here = at(path, name)
  switch (name) {
    case 'var':
      return compileVar(operand, scope, here)
    case 'param':
      return compileParam(operand, scope, here)
    case 'ref':
      return compileRef(operand, scope, here)
    case 'rollup':
      return compileRollup(operand, scope, here)
    default:
      return compileOperator(name, operand, scope, here)
  }
}

function isBilingual(value: unknown): value is { 'zh-CN': string; en: string } {
  if (!isRecord(value)) return false
  const keys = Object.keys(value)
  return keys.length === 2 && typeof value['zh-CN'] === 'string' && typeof value.en === 'string'
}

export function isLiteral(value: unknown): value is ReportLiteral {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean'
  )
}

/** Literals become parameters, typed so that Postgres never guesses. */
function compileLiteral(value: ReportLiteral, scope: Scope, path: string): Typed {
  const literal = { value }
  if (value === null) return { sql: sql`null`, type: NULL, literal }
  if (typeof value === 'string') return { sql: sql`${value}::text`, type: TEXT, literal }
  if (typeof value === 'boolean') return { sql: sql`${value}::boolean`, type: BOOLEAN, literal }

  if (!Number.isFinite(value)) {
    scope.context.issues.add(path, 'type', {
      zh: '数字须为有限值',
      en: 'a number must be finite',
    }, { received: String(value) })
    return { sql: sql`null`, type: INVALID }
  }
  const type = Number.isInteger(value) ? INTEGER : DECIMAL
  return { sql: sql`${value}::numeric`, type, literal }
}

function compileParam(raw: unknown, scope: Scope, path: string): Typed {
  const { issues, params } = scope.context
  const [name, part, ...rest] = typeof raw === 'string' ? raw.split('.') : []
  const bound = name === undefined ? undefined : params.get(name)
  if (!bound) {
    issues.add(path, 'unknown_param', {
      zh: `未声明的参数 ${show(raw)}`,
      en: `param ${show(raw)} is not declared in params`,
    }, { expected: [...params.keys()], received: raw })
    return { sql: sql`null`, type: INVALID }
  }

  const { value, spec } = bound
  const isPeriod = spec.type === 'period'
  const partOk = isPeriod ? (part === 'from' || part === 'to') && rest.length === 0 : part === undefined
  if (!partOk) {
    issues.add(path, 'param_part', {
      zh: isPeriod
        ? `期间参数须读作 ${name}.from 或 ${name}.to，收到 ${show(raw)}`
        : `参数 ${name} 不是期间，不能读取 ${show(raw)}`,
      en: isPeriod
        ? `a period param is read as "${name}.from" or "${name}.to", got ${show(raw)}`
        : `param "${name}" is not a period, so ${show(raw)} names nothing`,
    }, { received: raw })
    return { sql: sql`null`, type: INVALID }
  }

  switch (spec.type) {
    case 'date':
      return { sql: sql`${value}::date`, type: DATE }
    case 'number':
      return { sql: sql`${value}::numeric`, type: DECIMAL }
    case 'text':
      return { sql: sql`${value}::text`, type: TEXT }
    case 'period': {
      const period = value as Period | null
      const date = period === null ? null : part === 'from' ? period.from : period.to
      return { sql: sql`${date}::date`, type: DATE }
    }
  }
}

/**
 * `{ "ref": "open" }` inlines a let, compiled once: its joins and rollups
 * are added to the source scope the first time only.
 */
async function compileRef(raw: unknown, scope: Scope, path: string): Promise<Typed> {
  const { issues, lets } = scope.context
  if (!scope.allowsLets) {
    issues.add(path, 'ref_scope', {
      zh: 'rollup 和 union 各表单的取值中不能引用 let（let 属于报表的行）',
      en: 'a ref cannot be used inside a rollup or a union form\'s values: lets belong to the report\'s rows',
    }, { received: raw })
    return { sql: sql`null`, type: INVALID }
  }

  const expr = typeof raw === 'string' ? own(lets.raw, raw) : undefined
  if (typeof raw !== 'string' || expr === undefined) {
    issues.add(path, 'unknown_ref', {
      zh: `未定义的 let ${show(raw)}`,
      en: `ref ${show(raw)} names no let`,
    }, { expected: Object.keys(lets.raw), received: raw })
    return { sql: sql`null`, type: INVALID }
  }

  const done = lets.compiled.get(raw)
  if (done) return done

  if (lets.stack.includes(raw)) {
    const cycle = [...lets.stack.slice(lets.stack.indexOf(raw)), raw].join(' → ')
    issues.add(path, 'cycle', {
      zh: `let 循环引用：${cycle}`,
      en: `lets refer to each other in a cycle: ${cycle}`,
    }, { received: cycle })
    return { sql: sql`null`, type: INVALID }
  }

  // A chain of lets is an expression nested as deep: it stops where the spec's nesting does.
  if (lets.stack.length >= MAX_LET_CHAIN) {
    issues.add(path, 'depth', {
      zh: `let 引用链超过 ${MAX_LET_CHAIN} 层：${[...lets.stack.slice(0, 3), '…', raw].join(' → ')}`,
      en: `lets refer through more than ${MAX_LET_CHAIN} levels: ${[...lets.stack.slice(0, 3), '…', raw].join(' → ')}`,
    }, { expected: `at most ${MAX_LET_CHAIN} levels` })
    return { sql: sql`null`, type: INVALID }
  }
  lets.stack.push(raw)
  const typed = await compileExpr(expr, scope, at('let', raw))
  lets.stack.pop()
  lets.compiled.set(raw, typed)
  return typed
}

/** How many lets deep one may refer through another (a → b → c …). */
const MAX_LET_CHAIN = 32
