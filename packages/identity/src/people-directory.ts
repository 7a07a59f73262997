import { sql } from 'kysely'
import type { Executor } from '@tessera/store'

/**
 * What any signed-in user may see of the other users, for member pickers
 * and for showing who a record names: id, display name and department.
 * No username, e-mail, roles or sign-in data.
 */
export interface PersonEntry {
  id: number
  name: string
  department: { id: number; name: string } | null
  /** Only in answers by id: a disabled user still named on records. */
  disabled?: true
}

export interface PeopleQuery {
  /** Part of a display name, case-insensitive. */
  q?: string
  /** These users (enabled or not), instead of a search. */
  ids?: number[]
  limit?: number
}

export const MAX_PEOPLE = 50

/**
 * Enabled users whose display name contains `q` (usernames are not
 * searched: they would be guessable through it), by name,
 * at most `limit` (20 by default, MAX_PEOPLE at most); or the users `ids`
 * name, disabled ones marked.
 */
export async function listPeople(db: Executor, query: PeopleQuery = {}): Promise<PersonEntry[]> {
  const limit = Math.min(Math.max(query.limit ?? 20, 1), MAX_PEOPLE)
  const ids = query.ids?.filter((id) => Number.isSafeInteger(id) && id > 0) ?? []
  const q = query.q?.trim()
  const where = query.ids
    ? (ids.length === 0 ? sql`false` : sql`a.id in (${sql.join(ids)})`)
    : q
      ? sql`not a.disabled and a.display_name ilike ${pattern(q)}`
      : sql`not a.disabled`
  const { rows } = await sql<{
    id: number; name: string; disabled: boolean; department_id: number | null; department: string | null
  }>`
    select a.id, a.display_name as name, a.disabled, d.id as department_id, d.name as department
    from tessera.account a left join tessera.department d on d.id = a.department_id
    where ${where}
    order by a.display_name, a.id
    limit ${query.ids ? MAX_PEOPLE : limit}`.execute(db)
  return rows.map((row) => ({
    id: Number(row.id),
    name: row.name,
    department: row.department_id === null ? null : { id: Number(row.department_id), name: row.department! },
    ...(row.disabled ? { disabled: true as const } : {}),
  }))
}

/** Users whose display name or username is exactly `name` (case-insensitive), enabled ones only. */
export async function findPeopleByName(db: Executor, name: string): Promise<number[]> {
  const { rows } = await sql<{ id: number }>`
    select id from tessera.account
    where not disabled and (display_name = ${name} or username = lower(${name}))
    order by id`.execute(db)
  return rows.map((row) => Number(row.id))
}

function pattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}
