import { sql } from 'kysely'
import type { Actor, PublishedForm, RecordData } from '@tessera/core'
import type { AuditRow } from './audit/audit-log.js'
import type { Executor } from './database.js'
import { addPeopleTitles } from './people-titles.js'
import type { RecordQuery } from './record-query.js'

/**
 * Gives a record's history names where it holds ids: each row's actor by
 * display name, and the link, member and department values of `before`
 * and `after` by the titles and names a reader of the record would see
 * (a linked record out of the reader's reach stays "#id"). A few queries
 * for the whole history, whatever its length.
 */
export async function nameHistory(
  db: Executor,
  query: RecordQuery,
  actor: Actor,
  form: PublishedForm,
  rows: AuditRow[],
): Promise<void> {
  const sides = rows.map((row) => ({ before: asRecord(row.before), after: asRecord(row.after) }))
  const records = sides.flatMap((side) => [side.before, side.after])
  await addPeopleTitles(db, form, records)
  await query.addLinkTitles(db, actor, form, records)
  const names = await actorNames(db, rows.map((row) => row.actor))
  rows.forEach((row, index) => {
    row.titles = { before: sides[index].before.titles ?? {}, after: sides[index].after.titles ?? {} }
    const name = names.get(row.actor)
    if (name !== undefined) row.actorName = name
  })
}

/** Audit values as a record to hang titles on (values are never changed). */
function asRecord(values: unknown): RecordData {
  const plain = values !== null && typeof values === 'object' && !Array.isArray(values)
    ? values as Record<string, unknown>
    : {}
  return { id: 0, version: 0, values: plain, titles: {} } as RecordData
}

/** Display names of the actors that are users (ids written as digits). */
export async function actorNames(db: Executor, actors: string[]): Promise<Map<string, string>> {
  const ids = [...new Set(actors.filter((one) => /^[1-9][0-9]{0,15}$/.test(one)))]
  if (ids.length === 0) return new Map()
  const { rows } = await sql<{ id: string; name: string }>`
    select id::text as id, display_name as name from tessera.account
    where id in (${sql.join(ids.map(Number))})`.execute(db)
  return new Map(rows.map((row) => [row.id, row.name]))
}
