/**
 * Walks over JSON documents from outside (metadata specs, request bodies)
 * without recursion, so that no nesting, however deep, overflows the stack
 * of the walk itself. Paths read as `fields[1].expression`.
 */

/** `path` one step further: `a.b` for a key, `a[2]` for an index. */
export function pathStep(path: string, step: string | number): string {
  if (typeof step === 'number') return `${path}[${step}]`
  return path === '' ? step : `${path}.${step}`
}

/**
 * Where `value` nests objects or arrays more than `max` levels deep (the
 * value itself is level 0), named by the first `steps` steps of the path
 * (the part of a document, not every level of an expression inside it);
 * undefined when it does not.
 *
 * @example
 * nestedDeeperThan({ where: { '!': { '!': { '!': {} } } } }, 2, 1) // → 'where'
 */
export function nestedDeeperThan(value: unknown, max: number, steps = Number.POSITIVE_INFINITY): string | undefined {
  const stack: Array<{ value: unknown; depth: number; path: string }> = [{ value, depth: 0, path: '' }]
  while (stack.length > 0) {
    const item = stack.pop()!
    if (!isContainer(item.value)) continue
    if (item.depth > max) return item.path
    for (const [step, child] of entriesOf(item.value)) {
      const path = item.depth >= steps ? item.path : pathStep(item.path, step)
      stack.push({ value: child, depth: item.depth + 1, path })
    }
  }
  return undefined
}

/** NUL, or half of a surrogate pair without its other half: what no PostgreSQL text can hold. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/** True when a text holds NUL or half of a surrogate pair, which no database text can. */
export function isUnstorableText(text: string): boolean {
  return UNSTORABLE.test(text)
}

/**
 * The path of the first key or text in `value` that no database text can
 * hold ('' for a text at the top), or undefined. Only plain objects and
 * arrays are walked (not streams, buffers or other instances).
 */
export function unstorableTextPath(value: unknown): string | undefined {
  const stack: Array<{ value: unknown; path: string }> = [{ value, path: '' }]
  while (stack.length > 0) {
    const item = stack.pop()!
    if (typeof item.value === 'string') {
      if (isUnstorableText(item.value)) return item.path
      continue
    }
    if (!isContainer(item.value)) continue
    for (const [step, child] of entriesOf(item.value)) {
      if (typeof step === 'string' && isUnstorableText(step)) return pathStep(item.path, JSON.stringify(step).slice(1, -1))
      stack.push({ value: child, path: pathStep(item.path, step) })
    }
  }
  return undefined
}

function isContainer(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false
  return Array.isArray(value) || Object.getPrototypeOf(value) === Object.prototype || Object.getPrototypeOf(value) === null
}

function entriesOf(value: object): Array<readonly [string | number, unknown]> {
  return Array.isArray(value) ? value.map((item, index) => [index, item] as const) : Object.entries(value)
}
