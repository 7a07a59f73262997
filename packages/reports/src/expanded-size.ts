import { isRecord } from './shape.js'

/**
 * The most nodes a report's expressions may come to with each `{ "ref" }`
 * written out as its let: the template's largest comes to under 500. Each
 * use of a let repeats its expression in the statement, so lets used many
 * times in lets used many times multiply (64 uses of a let of 64 uses of a
 * let of 64 uses: a quarter of a million copies) and would take seconds,
 * and gigabytes, to write out before the statement's length could be
 * measured.
 */
export const MAX_EXPANDED_NODES = 20_000

/**
 * The number of JSON objects and arrays of a spec outside its `let`, each
 * `{ "ref": name }` counted as the size of that let's expression (its own
 * refs counted the same way, each let sized once). A ref to a let being
 * sized (a cycle, refused elsewhere) or to no let counts as one node. Counting stops
 * growing past twice `cap`, so the answer stays a finite number.
 */
export function expandedSize(spec: Record<string, unknown>, cap = MAX_EXPANDED_NODES): number {
  const lets = isRecord(spec.let) ? spec.let : {}
  const sized = new Map<string, number>()
  const sizing = new Set<string>()
  const limit = cap * 2
  const sizeOf = (node: unknown): number => {
    if (Array.isArray(node)) return node.reduce((sum: number, item) => Math.min(limit, sum + sizeOf(item)), 1)
    // A plain value is no node of its own: an `in` list's thousand items are values of the
    // statement (their count is checked on its own), not text it repeats.
    if (!isRecord(node)) return 0
    const name = node.ref
    if (typeof name === 'string' && Object.keys(node).length === 1 && Object.hasOwn(lets, name)) {
      const known = sized.get(name)
      if (known !== undefined) return known
      if (sizing.has(name)) return 1
      sizing.add(name)
      const size = sizeOf(lets[name])
      sizing.delete(name)
      sized.set(name, size)
      return size
    }
    return Object.values(node).reduce((sum: number, value) => Math.min(limit, sum + sizeOf(value)), 1)
  }
  let total = 1
  for (const [key, value] of Object.entries(spec)) {
    if (key !== 'let') total = Math.min(limit, total + sizeOf(value))
  }
  return total
}
