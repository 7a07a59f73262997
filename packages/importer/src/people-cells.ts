import { sql } from 'kysely'
import type { DepartmentField, MemberField, PublishedForm } from '@tessera/core'
import type { Executor } from '@tessera/store'

/** What an import row holds for resolution, and how to fail it. */
export interface PeopleRow {
  values: Record<string, unknown>
  fail(field: string, value: unknown, message: string): void
}

type PersonField = MemberField | DepartmentField

const SEPARATORS = /[,，、;；]/

/**
 * Turns what a spreadsheet holds for member and department fields into
 * ids, for a batch of rows with one query per field: a member by user id,
 * display name or username; a department by id, name, or path of names
 * ("总部/华东/销售部", or its end "华东/销售部"), which a name shared by
 * two departments needs. Several may be given in one cell, separated by , ， 、 or ;.
 * Only enabled users are found. A cell naming no one, or a name two users
 * (or departments) share, fails its row with a message that says so.
 */
export async function resolvePeopleCells(db: Executor, form: PublishedForm, rows: PeopleRow[]) {
  const fields = form.definition.fields.filter(
    (f): f is PersonField => f.type === 'member' || f.type === 'department',
  )
  for (const field of fields) {
    const texts = new Set<string>()
    for (const row of rows) for (const part of partsOf(row.values[field.key])) texts.add(part)
    if (texts.size === 0) continue
    const found = field.type === 'member' ? await users(db, [...texts]) : await departments(db, [...texts])

    for (const row of rows) {
      const value = row.values[field.key]
      const parts = partsOf(value)
      if (parts.length === 0) continue
      const ids: number[] = []
      for (const part of parts) {
        const matches = found.get(part) ?? []
        if (matches.length === 1) ids.push(matches[0])
        else row.fail(field.key, value, problem(field, part, matches.length))
      }
      row.values[field.key] = field.multiple ? [...new Set(ids)] : (ids[0] ?? null)
    }
  }
}

function partsOf(value: unknown): string[] {
  if (value === null || value === undefined) return []
  const list = Array.isArray(value) ? value : String(value).split(SEPARATORS)
  return list.map((part) => String(part).trim()).filter((part) => part !== '')
}

/** Each text → the enabled users it names (by id, display name or username). */
async function users(db: Executor, texts: string[]): Promise<Map<string, number[]>> {
  const { rows } = await sql<{ id: number; username: string; name: string }>`
    select id, username, display_name as name from tessera.account
    where not disabled and (display_name in (${sql.join(texts)})
      or username in (${sql.join(texts.map((t) => t.toLowerCase()))})
      or id::text in (${sql.join(texts)}))`.execute(db)
  const found = new Map<string, number[]>()
  for (const text of texts) {
    const ids = rows
      .filter((row) => String(row.id) === text || row.name === text || row.username === text.toLowerCase())
      .map((row) => Number(row.id))
    found.set(text, [...new Set(ids)])
  }
  return found
}

/** Each text → the departments it names (by id, name, or "/"-separated path of names). */
async function departments(db: Executor, texts: string[]): Promise<Map<string, number[]>> {
  const { rows } = await sql<{ id: number; name: string; path: string }>`
    select id, name, path from tessera.department`.execute(db)
  const byId = new Map(rows.map((row) => [Number(row.id), row]))
  const namePath = (path: string) => path.split('/').filter(Boolean)
    .map((id) => byId.get(Number(id))?.name ?? '').join('/')
  const found = new Map<string, number[]>()
  for (const text of texts) {
    const wanted = text.split('/').map((part) => part.trim()).filter(Boolean).join('/')
    const ids = rows
      .filter((row) => {
        if (String(row.id) === text || row.name === text) return true
        // A path may start anywhere above: "华东/销售部" for "总部/华东/销售部".
        const path = namePath(row.path)
        return wanted.includes('/') && (path === wanted || path.endsWith(`/${wanted}`))
      })
      .map((row) => Number(row.id))
    found.set(text, [...new Set(ids)])
  }
  return found
}

function problem(field: PersonField, text: string, matches: number): string {
  const what = field.type === 'member' ? 'enabled user' : 'department'
  if (matches === 0) return `no ${what} is called ${JSON.stringify(text)}`
  const hint = field.type === 'member' ? 'give the username or id instead' : 'give its path, such as "总部/销售部", or its id'
  return `${matches} ${what}s are called ${JSON.stringify(text)}; ${hint}`
}
