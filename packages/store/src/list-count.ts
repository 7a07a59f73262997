import { sql, type RawBuilder } from 'kysely'
import type { PublishedForm } from '@tessera/core'
import type { Executor } from './database.js'

/** Lists count matching rows exactly up to this many by default. */
export const EXACT_COUNT_UP_TO = 10_000

/**
 * How many rows a list has. `exact` when at most `upTo` rows match;
 * otherwise `estimate` (the planner's row count of the whole table, when
 * nothing narrows the list) or `atLeast` (`upTo`, when something does).
 * Counting stops after `upTo + 1` rows, so a huge table costs no more
 * than a small one.
 */
export interface ListTotal {
  total: number
  totalExact: boolean
  totalKind: 'exact' | 'estimate' | 'atLeast'
}

export async function countList(
  db: Executor,
  form: PublishedForm,
  source: RawBuilder<unknown>,
  where: RawBuilder<unknown>,
  whole: boolean,
  upTo: number,
): Promise<ListTotal> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from (
      select 1 from ${source} ${where} limit ${upTo + 1}
    ) as counted`.execute(db)
  const counted = rows[0].n
  if (counted <= upTo) return { total: counted, totalExact: true, totalKind: 'exact' }
  if (!whole) return { total: upTo, totalExact: false, totalKind: 'atLeast' }

  const estimate = await estimatedRows(db, form)
  if (estimate === undefined) return { total: upTo, totalExact: false, totalKind: 'atLeast' }
  return { total: Math.max(estimate, upTo + 1), totalExact: false, totalKind: 'estimate' }
}

/** The planner's row count of a form's table; undefined before its first analyze. */
async function estimatedRows(db: Executor, form: PublishedForm): Promise<number | undefined> {
  const { rows } = await sql<{ n: number | null }>`
    select c.reltuples::float8 as n from pg_class c
    join pg_namespace s on s.oid = c.relnamespace
    where s.nspname = ${form.table.schema} and c.relname = ${form.table.name}`.execute(db)
  const n = rows[0]?.n
  return n !== null && n !== undefined && n >= 0 ? Math.round(n) : undefined
}
