/**
 * Paths into data are dotted, as json-logic's `var` takes them:
 * "customer.rating", "items.0.amount". Segments that lead into JavaScript's
 * prototype machinery are refused, and only own properties are followed, so
 * a path can never reach `Function` through `constructor.constructor`.
 */
export const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
])

/** The first forbidden segment of a path, if it has one. */
export function forbiddenSegment(path: string): string | undefined {
  return path.split('.').find((segment) => FORBIDDEN_SEGMENTS.has(segment))
}

/**
 * Reads a dotted path; `undefined` when any step is missing. The caller
 * must have rejected forbidden segments first.
 */
export function readPath(data: unknown, path: string): unknown {
  if (path === '') return data

  let current = data
  for (const segment of path.split('.')) {
    if (current === null || current === undefined) return undefined

    const box = Object(current) as Record<string, unknown>
    if (!Object.hasOwn(box, segment)) return undefined
    current = box[segment]
  }
  return current
}
