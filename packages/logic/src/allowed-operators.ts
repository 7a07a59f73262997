/** The operators of json-logic itself that rules may use. */
export const STANDARD_OPERATORS = [
  'var', 'missing', 'missing_some',
  'if', '?:', 'or', 'and', '!', '!!',
  '==', '===', '!=', '!==', '<', '<=', '>', '>=',
  'max', 'min', '+', '-', '*', '/', '%',
  'in', 'cat', 'substr', 'merge',
  'map', 'filter', 'reduce', 'all', 'none', 'some',
] as const

/** Our own operators: exact decimals, calendar dates and text helpers. */
export const EXTENDED_OPERATORS = [
  'dec+', 'dec-', 'dec*', 'dec/', 'dec_round', 'dec_sum',
  'dec==', 'dec<', 'dec<=', 'dec>', 'dec>=',
  'date', 'date<', 'date<=', 'date>', 'date>=', 'date==',
  'days_between', 'add_days', 'today',
  'trim', 'upper', 'lower', 'blank',
] as const

/**
 * Every operator a rule may use. Anything else (`method`, `log`,
 * `constructor`, dotted names…) is refused before a rule runs or is stored.
 */
export const ALLOWED_OPERATORS: readonly string[] = [...STANDARD_OPERATORS, ...EXTENDED_OPERATORS]

const allowed: ReadonlySet<string> = new Set(ALLOWED_OPERATORS)

export function isAllowedOperator(name: string): boolean {
  return allowed.has(name)
}

/**
 * Operators whose second argument runs once per array element, with the
 * element (or, for reduce, `{ current, accumulator }`) as its data.
 */
export const SCOPED_OPERATORS: ReadonlySet<string> = new Set([
  'map', 'filter', 'reduce', 'all', 'none', 'some',
])
