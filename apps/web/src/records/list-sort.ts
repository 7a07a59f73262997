import type { SortSpec } from '@tessera/core'

/**
 * The `sort` parameter of a record list: comma-separated field keys, a
 * leading "-" for descending. parseSort("-amount,number") →
 * [{ field: "amount", dir: "desc" }, { field: "number", dir: "asc" }].
 */
export function parseSort(text: string | undefined): SortSpec[] {
  if (!text) return []
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '' && part !== '-')
    .map(
      (part): SortSpec =>
        part.startsWith('-') ? { field: part.slice(1), dir: 'desc' } : { field: part, dir: 'asc' },
    )
}

export function formatSort(specs: readonly SortSpec[]): string {
  return specs.map((spec) => (spec.dir === 'desc' ? '-' : '') + spec.field).join(',')
}

/** antd's sort order of a column under the current sort; only the first key shows. */
export function columnSortOrder(
  specs: readonly SortSpec[],
  field: string,
): 'ascend' | 'descend' | null {
  const first = specs[0]
  if (!first || first.field !== field) return null
  return first.dir === 'desc' ? 'descend' : 'ascend'
}
