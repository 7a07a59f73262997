import { isDeepStrictEqual } from 'node:util'
import type { LinesField, PublishedForm } from '@tessera/core'

/**
 * What an imported row changes in the stored record its key matched, as an
 * update would: the fields the file gave, every formula (computed again from
 * the stored values), and any other field the form's logic moved (a hidden
 * field emptied). Files fill neither attachments nor, unless given, line
 * items, so those are only written when given.
 */
export function changes(
  form: PublishedForm,
  stored: Record<string, unknown>,
  given: Record<string, unknown>,
  full: Record<string, unknown>,
): Record<string, unknown> {
  const values: Record<string, unknown> = {}
  for (const field of form.definition.fields) {
    const key = field.key
    if (!(key in full)) continue
    const moved = !isDeepStrictEqual(full[key] ?? null, stored[key] ?? null) &&
      field.type !== 'attachment' && field.type !== 'lines'
    if (key in given || field.type === 'formula' || moved) values[key] = full[key]
  }
  return values
}

/**
 * Whether `full` (a stored record as a row's change leaves it) differs from
 * `stored` in any field: line items compared as sameLines does, the rest
 * as values.
 */
export function changesStored(form: PublishedForm, stored: Record<string, unknown>, full: Record<string, unknown>): boolean {
  return form.definition.fields.some((field) => {
    if (!(field.key in full)) return false
    if (field.type === 'lines') return !sameLines(field, stored[field.key], full[field.key])
    return !isDeepStrictEqual(full[field.key] ?? null, stored[field.key] ?? null)
  })
}

/**
 * Changes to stored records written in one statement need the same fields
 * in every row: a field one row changes is written, unchanged, for the
 * others too (from the whole record as its change leaves it, `full`).
 */
export function changedColumns<T extends { values: Record<string, unknown>; rows: ReadonlyArray<{ full?: Record<string, unknown> }> }>(
  merged: readonly T[],
): T[] {
  const keys = new Set(merged.flatMap((m) => Object.keys(m.values)))
  return merged.map((m) => {
    const full = m.rows[0].full ?? {}
    const values = { ...m.values }
    for (const key of keys) if (!(key in values)) values[key] = full[key] ?? null
    return { ...m, values }
  })
}

/** Whether two lists of a lines field hold the same lines, field by field (a missing cell as empty). */
export function sameLines(field: LinesField, a: unknown, b: unknown): boolean {
  const rows = (list: unknown) => (Array.isArray(list) ? list : []).map((line) =>
    field.fields.map((one) => (line as Record<string, unknown> | null)?.[one.key] ?? null))
  return isDeepStrictEqual(rows(a), rows(b))
}
