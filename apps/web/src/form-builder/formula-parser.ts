import type { LogicVar, ValueKind } from './value-kinds.js'

/**
 * Formulas as people write them, `price * quantity`, turned into the
 * json-logic the engine runs, with exact decimal and calendar-date
 * operators chosen from the kinds of the values:
 *
 *   net * tax_rate                → { "dec*": [{ "var": "net" }, { "var": "tax_rate" }] }
 *   round(net / 3, 2)             → { "dec_round": [{ "dec/": [...] }, 2] }
 *   due_date > invoice_date       → { "date>": [...] }
 *   sum(items.amount)             → { "dec_sum": [{ "var": "items" }, "amount"] }
 *   if(urgent, price * 2, price)  → { "if": [...] }
 *
 * Operators: + - * / (numbers; date + n adds days, date - date counts
 * them), == != < <= > >=, and or not; parentheses; "text" or 'text'.
 */

export type FormulaErrorCode =
  | 'empty' | 'unexpected' | 'unterminated' | 'unknownField' | 'unknownFunction'
  | 'argCount' | 'needLines' | 'needInteger' | 'trailing'

export interface FormulaError {
  code: FormulaErrorCode
  /** Where in the text, counting from 0. */
  position: number
  /** The name or token concerned, for the message. */
  name?: string
}

export type FormulaResult =
  | { ok: true; logic: unknown; kind: ValueKind }
  | { ok: false; error: FormulaError }

interface Token {
  type: 'number' | 'string' | 'name' | 'op' | 'end'
  text: string
  position: number
}

interface Node {
  logic: unknown
  kind: ValueKind
}

class SyntaxProblem extends Error {
  constructor(readonly problem: FormulaError) {
    super(problem.code)
  }
}

const WIDE: Record<string, string> = { '（': '(', '）': ')', '，': ',', '＋': '+', '－': '-', '×': '*', '÷': '/' }
const OPERATORS = ['<=', '>=', '==', '!=', '<>', '&&', '||', '+', '-', '*', '/', '(', ')', ',', '<', '>', '=', '!']

function tokenize(source: string): Token[] {
  const text = [...source].map((ch) => WIDE[ch] ?? ch).join('')
  const tokens: Token[] = []
  let at = 0
  while (at < text.length) {
    const rest = text.slice(at)
    const space = /^\s+/.exec(rest)
    if (space) {
      at += space[0].length
      continue
    }
    const number = /^\d+(\.\d+)?/.exec(rest)
    const name = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?/.exec(rest)
    if (number || name) {
      const found = (number ?? name)!
      tokens.push({ type: number ? 'number' : 'name', text: found[0], position: at })
      at += found[0].length
      continue
    }
    if (rest[0] === '"' || rest[0] === "'") {
      const close = rest.indexOf(rest[0], 1)
      if (close < 0) throw new SyntaxProblem({ code: 'unterminated', position: at })
      tokens.push({ type: 'string', text: rest.slice(1, close), position: at })
      at += close + 1
      continue
    }
    const op = OPERATORS.find((candidate) => rest.startsWith(candidate))
    if (!op) throw new SyntaxProblem({ code: 'unexpected', position: at, name: rest[0] })
    tokens.push({ type: 'op', text: op, position: at })
    at += op.length
  }
  tokens.push({ type: 'end', text: '', position: text.length })
  return tokens
}

const NUMERIC = new Set<ValueKind>(['number', 'unknown'])

/** Parses a formula over the given fields. Never throws. */
export function parseFormula(source: string, vars: readonly LogicVar[]): FormulaResult {
  try {
    if (source.trim() === '') throw new SyntaxProblem({ code: 'empty', position: 0 })
    const parser = new Parser(tokenize(source), vars)
    const node = parser.expression()
    parser.expectEnd()
    return { ok: true, logic: node.logic, kind: node.kind }
  } catch (error) {
    if (error instanceof SyntaxProblem) return { ok: false, error: error.problem }
    throw error
  }
}

class Parser {
  #at = 0
  constructor(readonly tokens: Token[], readonly vars: readonly LogicVar[]) {}

  get #token(): Token {
    return this.tokens[this.#at]
  }

  #take(...texts: string[]): Token | undefined {
    const token = this.#token
    const word = token.type === 'name' ? token.text.toLowerCase() : token.text
    if ((token.type === 'op' || token.type === 'name') && texts.includes(word)) {
      this.#at += 1
      return token
    }
    return undefined
  }

  #expect(text: string): void {
    if (!this.#take(text)) this.#fail('unexpected')
  }

  #fail(code: FormulaErrorCode, name?: string, token = this.#token): never {
    throw new SyntaxProblem({ code, position: token.position, name: name ?? (token.text || undefined) })
  }

  expectEnd(): void {
    if (this.#token.type !== 'end') this.#fail('trailing')
  }

  expression(): Node {
    let left = this.#and()
    while (this.#take('or', '||')) left = { logic: { or: [left.logic, this.#and().logic] }, kind: 'boolean' }
    return left
  }

  #and(): Node {
    let left = this.#not()
    while (this.#take('and', '&&')) left = { logic: { and: [left.logic, this.#not().logic] }, kind: 'boolean' }
    return left
  }

  #not(): Node {
    if (this.#take('not', '!')) return { logic: { '!': [this.#not().logic] }, kind: 'boolean' }
    return this.#comparison()
  }

  #comparison(): Node {
    const left = this.#additive()
    const op = this.#take('==', '=', '!=', '<>', '<', '<=', '>', '>=')
    if (!op) return left
    const right = this.#additive()
    return { logic: compare(op.text, left, right), kind: 'boolean' }
  }

  #additive(): Node {
    let left = this.#multiplicative()
    for (;;) {
      const op = this.#take('+', '-')
      if (!op) return left
      left = arithmetic(op.text, left, this.#multiplicative())
    }
  }

  #multiplicative(): Node {
    let left = this.#unary()
    for (;;) {
      const op = this.#take('*', '/')
      if (!op) return left
      left = { logic: { [`dec${op.text}`]: [left.logic, this.#unary().logic] }, kind: 'number' }
    }
  }

  #unary(): Node {
    if (this.#take('-')) return { logic: { 'dec-': [this.#unary().logic] }, kind: 'number' }
    return this.#primary()
  }

  #primary(): Node {
    const token = this.#token
    if (token.type === 'number') {
      this.#at += 1
      return { logic: /^\d+$/.test(token.text) ? Number(token.text) : token.text, kind: 'number' }
    }
    if (token.type === 'string') {
      this.#at += 1
      return { logic: token.text, kind: 'text' }
    }
    if (this.#take('(')) {
      const inner = this.expression()
      this.#expect(')')
      return inner
    }
    if (token.type !== 'name') this.#fail(token.type === 'end' ? 'empty' : 'unexpected')
    this.#at += 1
    const word = token.text.toLowerCase()
    if (word === 'true' || word === 'false') return { logic: word === 'true', kind: 'boolean' }
    if (word === 'null') return { logic: null, kind: 'unknown' }
    if (this.#take('(')) return this.#call(token)
    const found = this.vars.find((v) => v.key === token.text)
    if (!found || found.kind === 'lines') this.#fail('unknownField', token.text, token)
    return { logic: { var: found.key }, kind: found.kind }
  }

  #call(name: Token): Node {
    const fn = FUNCTIONS[name.text.toLowerCase()]
    if (!fn) this.#fail('unknownFunction', name.text, name)
    if (fn.lines) return this.#sum(name)
    const args: Node[] = []
    if (!this.#take(')')) {
      do args.push(this.expression())
      while (this.#take(','))
      this.#expect(')')
    }
    const [min, max] = fn.arity
    if (args.length < min || args.length > max) this.#fail('argCount', name.text, name)
    if (fn.integerArg !== undefined && !Number.isInteger(args[fn.integerArg]?.logic)) {
      this.#fail('needInteger', name.text, name)
    }
    return fn.build(args)
  }

  /** sum(items.amount): the decimal sum of one line field over the rows. */
  #sum(name: Token): Node {
    const path = this.#token
    const [lines, field] = path.text.split('.')
    const owner = this.vars.find((v) => v.key === lines && v.kind === 'lines')
    if (path.type !== 'name' || !owner || !field || !owner.lines?.some((l) => l.key === field)) {
      this.#fail('needLines', name.text, path)
    }
    this.#at += 1
    this.#expect(')')
    return { logic: { dec_sum: [{ var: lines }, field] }, kind: 'number' }
  }
}

interface FunctionSpec {
  arity: [number, number]
  integerArg?: number
  lines?: boolean
  build(args: Node[]): Node
}

const call = (op: string, kind: ValueKind) => (args: Node[]): Node =>
  ({ logic: { [op]: args.map((a) => a.logic) }, kind })

/** The functions a formula may call, by the name it is written with. */
export const FUNCTIONS: Record<string, FunctionSpec> = {
  round: { arity: [2, 2], integerArg: 1, build: call('dec_round', 'number') },
  sum: { arity: [1, 1], lines: true, build: call('dec_sum', 'number') },
  days_between: { arity: [2, 2], build: call('days_between', 'number') },
  add_days: { arity: [2, 2], build: call('add_days', 'date') },
  today: { arity: [0, 0], build: call('today', 'date') },
  date: { arity: [1, 1], build: call('date', 'date') },
  if: { arity: [3, 3], build: (args) => ({ logic: { if: args.map((a) => a.logic) }, kind: args[1].kind }) },
  concat: { arity: [1, 20], build: call('cat', 'text') },
  upper: { arity: [1, 1], build: call('upper', 'text') },
  lower: { arity: [1, 1], build: call('lower', 'text') },
  trim: { arity: [1, 1], build: call('trim', 'text') },
  blank: { arity: [1, 1], build: call('blank', 'boolean') },
}

function arithmetic(op: string, left: Node, right: Node): Node {
  if (left.kind === 'date' && op === '+' && NUMERIC.has(right.kind)) {
    return { logic: { add_days: [left.logic, right.logic] }, kind: 'date' }
  }
  if (left.kind === 'date' && right.kind === 'date' && op === '-') {
    return { logic: { days_between: [right.logic, left.logic] }, kind: 'number' }
  }
  if (op === '+' && (left.kind === 'text' || right.kind === 'text')) {
    return { logic: { cat: [left.logic, right.logic] }, kind: 'text' }
  }
  return { logic: { [`dec${op}`]: [left.logic, right.logic] }, kind: 'number' }
}

function compare(op: string, left: Node, right: Node): unknown {
  const symbol = op === '=' ? '==' : op === '<>' ? '!=' : op
  const negate = symbol === '!='
  const base = negate ? '==' : symbol
  const isDate = left.kind === 'date' || right.kind === 'date'
  const isNumber = !isDate && [left.kind, right.kind].some((k) => k === 'number')
    && [left.kind, right.kind].every((k) => NUMERIC.has(k))
  const prefix = isDate ? 'date' : isNumber ? 'dec' : ''
  if (!prefix) return { [symbol]: [left.logic, right.logic] }
  const logic = { [prefix + base]: [left.logic, right.logic] }
  return negate ? { '!': [logic] } : logic
}
