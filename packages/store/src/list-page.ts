import { sql, type RawBuilder } from 'kysely'
import type { Executor } from './database.js'
import {
  badCursor,
  CURSOR,
  cursorColumns,
  cursorOf,
  decodeCursor,
  orderItems,
  stretchesAfter,
  type SortKey,
} from './list-cursor.js'

export interface PageInput {
  keys: SortKey[]
  /** The rows the actor may read, aliased `t`. */
  source: RawBuilder<unknown>
  /** `where …` over `t` (filter, search, trusted conditions), or empty. */
  where: RawBuilder<unknown>
  page: number
  pageSize: number
  after?: string
  before?: string
  /** Select list and FROM items (link titles joined) over a base aliased `t`. */
  from(base?: RawBuilder<unknown>): Promise<{ select: RawBuilder<unknown>; items: RawBuilder<unknown> }>
}

export interface PageRows {
  rows: Record<string, unknown>[]
  /** Cursor for the page after this one; null on the last page. */
  next: string | null
  /** Cursor for the page before this one; null on the first page. */
  prev: string | null
}

/**
 * Reads one page of a list. With a cursor (`after` or `before`) or on
 * page 1 it seeks: each stretch of the order is read `where <past the
 * cursor> order by … limit`, so the cost does not grow with the depth.
 * A `page` above 1 without a cursor falls back to OFFSET, which reads and
 * drops every row before the page.
 */
export async function readListPage(db: Executor, input: PageInput): Promise<PageRows> {
  const { keys, pageSize } = input
  if (input.after !== undefined && input.before !== undefined) {
    badCursor('before', ['either after or before, not both', 'after 与 before 二选一，不能同时给出'], input.before)
  }
  const reversed = input.before !== undefined
  const token = input.after ?? input.before
  const param = reversed ? 'before' : 'after'
  const cursor = token === undefined ? undefined : decodeCursor(token, keys, param)
  const run = async (query: RawBuilder<Record<string, unknown>>) => {
    try {
      return (await query.execute(db)).rows
    } catch (error) {
      // A cursor whose values do not parse as its columns' types.
      const code = (error as { code?: unknown }).code
      if (token && typeof code === 'string' && code.startsWith('22')) {
        badCursor(param, CURSOR, token)
      }
      throw error
    }
  }

  if (!cursor && input.page > 1) {
    const from = await input.from()
    const rows = await run(sql<Record<string, unknown>>`
      select ${sql.join([from.select, ...cursorColumns(keys)])}
      from ${from.items} ${input.where} order by ${orderItems(keys)}
      limit ${pageSize + 1} offset ${(input.page - 1) * pageSize}`)
    const more = rows.length > pageSize
    const shown = rows.slice(0, pageSize)
    return {
      rows: shown,
      next: more ? cursorOf(keys, shown[shown.length - 1]) : null,
      prev: shown.length ? cursorOf(keys, shown[0]) : null,
    }
  }

  const filtered = sql`(select t.* from ${input.source} ${input.where}) as t`
  const branches = stretchesAfter(keys, cursor, reversed).map((stretch) => sql`(
    select t.* from ${filtered} where ${stretch.where}
    order by ${stretch.order} limit ${pageSize + 1})`)
  const base = sql`(select * from (${sql.join(branches, sql` union all `)}) as u
    limit ${pageSize + 1}) as t`
  const from = await input.from(base)
  const rows = await run(sql<Record<string, unknown>>`
    select ${sql.join([from.select, ...cursorColumns(keys)])}
    from ${from.items} order by ${orderItems(keys, reversed)}`)

  const more = rows.length > pageSize
  const shown = rows.slice(0, pageSize)
  if (reversed) shown.reverse()
  const first = shown[0]
  const last = shown[shown.length - 1]
  if (reversed) {
    return {
      rows: shown,
      next: last ? cursorOf(keys, last) : null,
      prev: more ? cursorOf(keys, first) : null,
    }
  }
  return {
    rows: shown,
    next: more ? cursorOf(keys, last) : null,
    prev: cursor && first ? cursorOf(keys, first) : null,
  }
}
