import { SCOPED_OPERATORS } from './allowed-operators.js'

/**
 * The data paths a rule reads from its own data: the text of every `var`
 * and the paths `missing` and `missing_some` ask for. Paths inside the
 * bodies of map/filter/reduce/all/none/some read array elements and are
 * left out; the array itself is listed. Paths computed at run time (a
 * `var` of an expression) cannot be known and are left out too.
 *
 * @example
 * logicVars({ 'dec*': [{ var: 'qty' }, { var: 'price' }] }) // ['qty', 'price']
 */
export function logicVars(rule: unknown): string[] {
  const found = new Set<string>()
  visit(rule, found)
  return [...found]
}

function visit(node: unknown, found: Set<string>): void {
  if (Array.isArray(node)) {
    node.forEach((item) => visit(item, found))
    return
  }
  if (typeof node !== 'object' || node === null) return

  const entries = Object.entries(node)
  if (entries.length !== 1) return
  const [operator, raw] = entries[0]
  const args = Array.isArray(raw) ? raw : [raw]

  if (operator === 'var') {
    if (typeof args[0] === 'string' || typeof args[0] === 'number') found.add(String(args[0]))
    args.slice(1).forEach((arg) => visit(arg, found))
    return
  }
  if (operator === 'missing') {
    const keys = Array.isArray(args[0]) ? args[0] : args
    keys.forEach((key) => (typeof key === 'string' ? found.add(key) : visit(key, found)))
    return
  }
  if (operator === 'missing_some' && Array.isArray(args[1])) {
    args[1].forEach((key) => typeof key === 'string' && found.add(key))
    return
  }

  args.forEach((arg, index) => {
    if (SCOPED_OPERATORS.has(operator) && index === 1) return
    visit(arg, found)
  })
}
