/**
 * The text of a json-logic formula as the formula box shows it, the
 * inverse of parseFormula: { "dec*": [{ "var": "qty" }, { "var": "price" }] }
 * → "qty * price". Returns undefined for logic the box cannot write (an
 * operator it does not offer); the builder then keeps it as it is.
 */
export function formatFormula(logic: unknown): string | undefined {
  try {
    return print(logic, 0)
  } catch {
    return undefined
  }
}

const DECIMAL = /^-?\d+(\.\d+)?$/

const BINARY: Record<string, { text: string; level: number }> = {
  or: { text: 'or', level: 1 },
  and: { text: 'and', level: 2 },
  '==': { text: '==', level: 4 }, '===': { text: '==', level: 4 },
  '!=': { text: '!=', level: 4 }, '!==': { text: '!=', level: 4 },
  '<': { text: '<', level: 4 }, '<=': { text: '<=', level: 4 },
  '>': { text: '>', level: 4 }, '>=': { text: '>=', level: 4 },
  'dec+': { text: '+', level: 5 }, 'dec-': { text: '-', level: 5 },
  'dec*': { text: '*', level: 6 }, 'dec/': { text: '/', level: 6 },
}

const CALLS: Record<string, string> = {
  dec_round: 'round', days_between: 'days_between', add_days: 'add_days', today: 'today',
  date: 'date', if: 'if', cat: 'concat', upper: 'upper', lower: 'lower', trim: 'trim', blank: 'blank',
}

class Unprintable extends Error {}

function print(logic: unknown, min: number): string {
  if (logic === null) return 'null'
  if (typeof logic === 'number') {
    if (!Number.isFinite(logic) || logic < 0) throw new Unprintable()
    return String(logic)
  }
  if (typeof logic === 'boolean') return String(logic)
  if (typeof logic === 'string') return DECIMAL.test(logic) && !logic.startsWith('-') ? logic : quote(logic)
  if (Array.isArray(logic) || typeof logic !== 'object') throw new Unprintable()

  const entries = Object.entries(logic)
  if (entries.length !== 1) throw new Unprintable()
  const [op, raw] = entries[0]
  const args = Array.isArray(raw) ? raw : [raw]

  if (op === 'var') {
    const path = args[0]
    if (typeof path !== 'string' || path === '' || args.length > 1) throw new Unprintable()
    return path
  }
  if (op === 'dec_sum') {
    const [items, path] = args as [{ var?: unknown }, unknown]
    if (typeof items?.var !== 'string' || typeof path !== 'string') throw new Unprintable()
    return `sum(${items.var}.${path})`
  }
  if (op === '!') {
    const inner = negated(args)
    const equal = inner && typeof inner === 'object' ? Object.entries(inner) : []
    if (equal.length === 1 && /^(dec|date)?==$/.test(equal[0][0]) && Array.isArray(equal[0][1])
      && equal[0][1].length === 2) {
      const [a, b] = equal[0][1] as unknown[]
      return wrap(`${print(a, 4)} != ${print(b, 5)}`, 4, min)
    }
    return wrap(`not ${print(inner, 3)}`, 3, min)
  }
  if (op === 'dec-' && args.length === 1) return wrap(`-${print(args[0], 7)}`, 7, min)

  const comparison = /^(dec|date)(==|<|<=|>|>=)$/.exec(op)
  const binary = comparison ? { text: comparison[2], level: 4 } : BINARY[op]
  if (binary && args.length >= 2) {
    if (binary.level === 4 && args.length !== 2) throw new Unprintable()
    const parts = args.map((arg, index) => print(arg, index === 0 ? binary.level : binary.level + 1))
    return wrap(parts.join(` ${binary.text} `), binary.level, min)
  }
  const name = CALLS[op]
  if (!name) throw new Unprintable()
  return `${name}(${args.map((arg) => print(arg, 0)).join(', ')})`
}

/** `not (a == b)` reads better as `a != b`. */
function negated(args: unknown[]): unknown {
  if (args.length !== 1) throw new Unprintable()
  return args[0]
}

function wrap(text: string, level: number, min: number): string {
  return level < min ? `(${text})` : text
}

function quote(text: string): string {
  if (!text.includes('"')) return `"${text}"`
  if (!text.includes("'")) return `'${text}'`
  throw new Unprintable()
}
