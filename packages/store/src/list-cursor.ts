import { sql, type RawBuilder } from 'kysely'
import { isSortableField, localize, TesseraError, type PublishedForm, type SortSpec } from '@tessera/core'

/**
 * One key of a list's order: a column of the list's alias `t`, its
 * direction, and whether it can hold nulls (every field can; id cannot).
 * Nulls sort last in either direction.
 */
export interface SortKey {
  column: string
  dir: 'asc' | 'desc'
  nullable: boolean
}

/**
 * Where a page starts: the sort key values of the row next to it (as the
 * database prints them) and that row's id, plus the sort it belongs to.
 */
export interface ListCursor {
  sort: string
  values: (string | null)[]
  id: number
}

const SYSTEM_SORTS: Record<string, string> = {
  id: 'id',
  createdAt: '_created_at',
  updatedAt: '_updated_at',
}

/**
 * The keys a list is ordered by: the requested ones, then the id
 * descending as the tie-breaker, so every row has one place.
 */
export function sortKeys(form: PublishedForm, sort: readonly SortSpec[]): SortKey[] {
  const keys: SortKey[] = []
  for (const [i, spec] of sort.entries()) {
    const field = form.definition.fields.find((f) => f.key === spec.field)
    const column = SYSTEM_SORTS[spec.field] ?? (field && isSortableField(field) ? field.column : undefined)
    if (!column) {
      const en = field ? `"${localize(field.label, 'en')}" (${spec.field})` : `"${spec.field}"`
      const zh = field ? localize(field.label, 'zh-CN') : spec.field
      const why = !field
        ? { en: `form "${form.key}" has no such field`, zh: `表单「${localize(form.definition.label, 'zh-CN')}」没有这个字段` }
        : field.type === 'lookup'
          ? { en: 'a lookup shows the linked record\'s value, which this form does not keep in order', zh: '引用字段显示关联记录的值，本表单不能据以排序' }
          : { en: 'line items and attachments hold several things each, so they put no records in order', zh: '明细与附件各含多项，不能据以排序' }
      const message = `sort[${i}]: cannot sort by ${en}: ${why.en}`
      throw new TesseraError('request.invalid', message, {
        details: { field: spec.field },
        messages: { 'zh-CN': `不能按「${zh}」排序：${why.zh}`, en: message },
      })
    }
    const dir = spec.dir === 'desc' ? 'desc' : 'asc'
    keys.push({ column, dir, nullable: column !== 'id' })
    if (column === 'id') return keys
  }
  keys.push({ column: 'id', dir: 'desc', nullable: false })
  return keys
}

/** The text identifying a sort in a cursor: "-amount,id". */
export function sortSignature(keys: readonly SortKey[]): string {
  return keys.map((k) => (k.dir === 'desc' ? '-' : '') + k.column).join(',')
}

/** `order by` items over alias `t`, nulls last (or first when `reversed`). */
export function orderItems(keys: readonly SortKey[], reversed = false): RawBuilder<unknown> {
  return sql.join(keys.map((key) => {
    const dir = effectiveDir(key, reversed)
    const nulls = key.nullable ? sql.raw(reversed ? ' nulls first' : ' nulls last') : sql``
    return sql`${sql.ref(`t.${key.column}`)} ${sql.raw(dir)}${nulls}`
  }))
}

/** Each key's value as text, selected as `__cursor_<i>` for the next cursor. */
export function cursorColumns(keys: readonly SortKey[]): RawBuilder<unknown>[] {
  return keys.slice(0, -1).map((key, i) =>
    sql`${sql.ref(`t.${key.column}`)}::text as ${sql.id(`__cursor_${i}`)}`)
}

/** The cursor of a row selected with cursorColumns. */
export function cursorOf(keys: readonly SortKey[], row: Record<string, unknown>): string {
  const values = keys.slice(0, -1).map((_, i) => (row[`__cursor_${i}`] as string | null) ?? null)
  return encodeCursor({ sort: sortSignature(keys), values, id: row.id as number })
}

export function encodeCursor(cursor: ListCursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.values, cursor.id])).toString('base64url')
}

/** Reads a cursor from a request, refusing one made for another sort. */
export function decodeCursor(token: string, keys: readonly SortKey[], param: string): ListCursor {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'))
  } catch {
    parsed = undefined
  }
  const [sort, values, id] = Array.isArray(parsed) ? parsed : []
  const fits = typeof sort === 'string' && Array.isArray(values) &&
    values.length === keys.length - 1 &&
    values.every((v) => v === null || typeof v === 'string') &&
    Number.isSafeInteger(id)
  if (!fits) badCursor(param, CURSOR, token)
  if (sort !== sortSignature(keys)) {
    badCursor(param, [
      `a cursor of the list sorted as "${sortSignature(keys)}"; the sort changed`,
      `按「${sortSignature(keys)}」排序的列表给出的游标：排序已变，请从第一页重新翻`,
    ], token)
  }
  return { sort, values, id }
}

/** What a cursor parameter takes, in both languages. */
export const CURSOR: [en: string, zh: string] = ['a cursor from the `next` or `prev` of a list page', '列表页的 next 或 prev 给出的游标']

export function badCursor(param: string, [expected, expectedZh]: [en: string, zh: string], received: string): never {
  const shown = received.slice(0, 60)
  const en = `${param}: expected ${expected}, got "${shown}"`
  throw new TesseraError('request.invalid', en, {
    details: { field: param, expected, received: shown },
    messages: { en, 'zh-CN': `${param}：应为${expectedZh}，收到「${shown}」` },
  })
}

/**
 * One stretch of the ordered list that an index can walk in order: the
 * rows whose first key is not null, or those where it is null. A page
 * reads the stretch its cursor lies in (past the cursor), then the next
 * stretch from its start, each `order by … limit`, so with an index on the
 * first key no query sorts or skips more rows than it returns.
 */
export interface Stretch {
  where: RawBuilder<boolean>
  order: RawBuilder<unknown>
}

/**
 * The stretches after `cursor` (or from the start without one), reading
 * forward, or backward (`reversed`) for a previous page.
 */
export function stretchesAfter(
  keys: readonly SortKey[],
  cursor: ListCursor | undefined,
  reversed: boolean,
): Stretch[] {
  const [first, ...rest] = keys
  const values = cursor ? [...cursor.values, String(cursor.id)] : undefined
  if (!first.nullable) {
    return [{ where: values ? after(keys, values, reversed) : TRUE, order: plainOrder(keys, reversed) }]
  }

  const ref = sql.ref(`t.${first.column}`)
  const filled: Stretch = {
    where: sql<boolean>`${ref} is not null`,
    order: plainOrder(keys, reversed),
  }
  const empty: Stretch = { where: sql<boolean>`${ref} is null`, order: orderItems(rest, reversed) }
  const ordered = reversed ? [empty, filled] : [filled, empty]
  if (!values) return ordered

  const [value, ...others] = values
  if (value === null) {
    const inEmpty = { ...empty, where: sql<boolean>`${empty.where} and ${after(rest, others, reversed)}` }
    return reversed ? [inEmpty, filled] : [inEmpty]
  }
  const op = effectiveDir(first, reversed) === 'asc' ? '>=' : '<='
  // The bound on the first key alone is what an index scan can start from.
  const bound = sql<boolean>`${ref} ${sql.raw(op)} ${value}`
  const inFilled = {
    ...filled,
    where: sql<boolean>`${filled.where} and ${bound} and ${after(keys, values, reversed, true)}`,
  }
  return reversed ? [inFilled] : [inFilled, empty]
}

const TRUE = sql<boolean>`true`

/**
 * Rows strictly after `values` in the order of `keys`: for some i, the
 * keys before i equal their values and key i comes after its value.
 * `firstFilled`: the first key is known not null here.
 */
function after(
  keys: readonly SortKey[],
  values: readonly (string | null)[],
  reversed: boolean,
  firstFilled = false,
): RawBuilder<boolean> {
  const options: RawBuilder<boolean>[] = []
  for (let i = 0; i < keys.length; i++) {
    const equal = keys.slice(0, i).map((key, j) => equals(key, values[j]))
    const beyond = comesAfter(keys[i], values[i], reversed, firstFilled && i === 0)
    if (!beyond) continue
    options.push(sql<boolean>`(${sql.join([...equal, beyond], sql` and `)})`)
  }
  return options.length ? sql<boolean>`(${sql.join(options, sql` or `)})` : sql<boolean>`false`
}

function equals(key: SortKey, value: string | null): RawBuilder<boolean> {
  const ref = sql.ref(`t.${key.column}`)
  return value === null ? sql<boolean>`${ref} is null` : sql<boolean>`${ref} = ${value}`
}

/** Key after value; undefined when nothing can be (after a last null). */
function comesAfter(key: SortKey, value: string | null, reversed: boolean, filled: boolean) {
  const ref = sql.ref(`t.${key.column}`)
  const nullsLast = !reversed
  if (value === null) return nullsLast || !key.nullable ? undefined : sql<boolean>`${ref} is not null`
  const op = effectiveDir(key, reversed) === 'asc' ? '>' : '<'
  const beyond = sql<boolean>`${ref} ${sql.raw(op)} ${value}`
  if (!key.nullable || !nullsLast || filled) return beyond
  return sql<boolean>`(${beyond} or ${ref} is null)`
}

/**
 * The order within the stretch of filled first keys, with the first key
 * in the default null order of its direction, so that a plain index on it
 * (scanned forward or backward) gives the order without a sort.
 */
function plainOrder(keys: readonly SortKey[], reversed: boolean): RawBuilder<unknown> {
  const [first, ...rest] = keys
  const head = sql`${sql.ref(`t.${first.column}`)} ${sql.raw(effectiveDir(first, reversed))}`
  return rest.length ? sql`${head}, ${orderItems(rest, reversed)}` : head
}

function effectiveDir(key: SortKey, reversed: boolean): 'asc' | 'desc' {
  if (!reversed) return key.dir
  return key.dir === 'asc' ? 'desc' : 'asc'
}
