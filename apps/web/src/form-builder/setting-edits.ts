import type { FieldDefinition, FormDefinition, FormUi, SortSpec } from '@tessera/core'

/** Bytes in the megabyte the builder shows sizes in (the upload hint's too). */
const MEGABYTE = 1024 * 1024

/** A size in bytes as megabytes, to two decimals: 10485760 → 10. */
export function megabytes(bytes: number): number {
  return Math.round((bytes / MEGABYTE) * 100) / 100
}

/** Megabytes as typed, in whole bytes (at least one): 0.5 → 524288. */
export function bytesOf(megabytes: number): number {
  return Math.max(1, Math.round(megabytes * MEGABYTE))
}

/** A copy of a list with the item at `index` moved one place up or down. */
export function stepItem<T>(list: readonly T[], index: number, step: -1 | 1): T[] {
  const target = index + step
  if (index < 0 || index >= list.length || target < 0 || target >= list.length) return [...list]
  const next = [...list]
  const [item] = next.splice(index, 1)
  next.splice(target, 0, item)
  return next
}

/** The first `prefix_n` not taken, counting from one past the list's length. */
export function nextKey(prefix: string, taken: readonly string[], from = taken.length + 1): string {
  const used = new Set(taken)
  let n = from
  while (used.has(`${prefix}_${n}`)) n += 1
  return `${prefix}_${n}`
}

/**
 * The definition with new list columns or default sort. An empty list is
 * dropped, and so is an emptied `ui.list`, so a form whose list is left
 * alone keeps no trace of it.
 */
/** The fields link pickers show beside each title (`ui.picker.fields`); none drops the setting. */
export function withPickerFields(definition: FormDefinition, fields: string[]): FormDefinition {
  const ui: FormUi = { ...definition.ui }
  if (fields.length > 0) ui.picker = { ...ui.picker, fields }
  else delete ui.picker
  const next: FormDefinition = { ...definition, ui }
  if (Object.keys(ui).length === 0) delete next.ui
  return next
}

export function withList(
  definition: FormDefinition,
  changes: { columns?: string[]; defaultSort?: SortSpec[] },
): FormDefinition {
  const list: { columns?: string[]; defaultSort?: SortSpec[] } = { ...definition.ui?.list, ...changes }
  if (!list.columns?.length) delete list.columns
  if (!list.defaultSort?.length) delete list.defaultSort
  const ui: FormUi = { ...definition.ui, list }
  if (Object.keys(list).length === 0) delete ui.list
  const next: FormDefinition = { ...definition, ui }
  if (Object.keys(ui).length === 0) delete next.ui
  return next
}

/** Fields with a column of their own, which a sort or a unique index can use. */
export function isStored(field: FieldDefinition): boolean {
  return field.type !== 'lines' && field.type !== 'lookup'
}

/** Fields that may stand in a set unique together: one plain value in one column. */
export function isUniqueable(field: FieldDefinition): boolean {
  if (!isStored(field) || field.type === 'attachment' || field.type === 'multiselect') return false
  return !('multiple' in field && field.multiple)
}

/** An agreement's path split into its field of this form and, through a link, the linked record's field. */
export function splitPath(path: string): { head: string; tail?: string } {
  const dot = path.indexOf('.')
  return dot < 0 ? { head: path } : { head: path.slice(0, dot), tail: path.slice(dot + 1) }
}

export function joinPath(head: string, tail: string | undefined): string {
  return tail ? `${head}.${tail}` : head
}

/**
 * Agreement paths with a renamed field of this form carried into them:
 * `customer` and `customer.region` both follow `customer` → `client`.
 */
export function renamePaths(paths: readonly string[], from: string, to: string): string[] {
  return paths.map((path) => {
    const { head, tail } = splitPath(path)
    return head === from ? joinPath(to, tail) : path
  })
}
