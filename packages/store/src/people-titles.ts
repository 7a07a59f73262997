import { sql } from 'kysely'
import type { PublishedForm, RecordData } from '@tessera/core'
import type { Executor } from './database.js'

/** How the names of several members or departments are joined in a title. */
export const TITLE_SEPARATOR = '、'

/**
 * Puts the names of the users and departments that member and department
 * fields hold into the records' `titles`, as link fields have their linked
 * record's title there: a display name for one, the names joined with
 * "、" for a list (in the order of the ids). Two queries for a whole page.
 * Names of users are no secret among signed-in users (GET /api/people
 * lists them too); fields hidden from the reader are not in `values` and
 * get no title.
 */
export async function addPeopleTitles(
  db: Executor,
  form: PublishedForm,
  records: readonly RecordData[],
): Promise<void> {
  const fields = form.definition.fields.filter((f) => f.type === 'member' || f.type === 'department')
  if (fields.length === 0 || records.length === 0) return

  const wanted = { member: new Set<number>(), department: new Set<number>() }
  for (const record of records) {
    for (const field of fields) {
      for (const id of listOf(record.values[field.key])) wanted[field.type as 'member'].add(id)
    }
  }
  const names = {
    member: await namesOf(db, 'member', [...wanted.member]),
    department: await namesOf(db, 'department', [...wanted.department]),
  }

  for (const record of records) {
    record.titles ??= {}
    for (const field of fields) {
      const ids = listOf(record.values[field.key])
      if (!(field.key in record.values)) continue
      const known = names[field.type as 'member']
      record.titles[field.key] = ids.length === 0
        ? null
        : ids.map((id) => known.get(id) ?? `#${id}`).join(TITLE_SEPARATOR)
    }
  }
}

/** The ids a member, department or link value holds: one, a list, or none. */
export function listOf(value: unknown): number[] {
  if (typeof value === 'number') return [value]
  return Array.isArray(value) ? value.filter((id): id is number => typeof id === 'number') : []
}

async function namesOf(db: Executor, type: 'member' | 'department', ids: number[]) {
  if (ids.length === 0) return new Map<number, string>()
  const { rows } = type === 'member'
    ? await sql<{ id: number; name: string }>`select id, display_name as name from tessera.account
        where id in (${sql.join(ids)})`.execute(db)
    : await sql<{ id: number; name: string }>`select id, name from tessera.department
        where id in (${sql.join(ids)})`.execute(db)
  return new Map(rows.map((row) => [Number(row.id), row.name]))
}
