import { sql } from 'kysely'
import {
  localize,
  type Actor,
  type AttachmentField,
  type AttachmentRef,
  type FieldDefinition,
  type FieldIssue,
  type Locale,
  type PublishedForm,
} from '@tessera/core'
import { acceptsFile, formatMessage, maxFileSize, type MessageKey } from '@tessera/forms'
import type { Executor } from '../database.js'
import { invalidValues } from './record-logic.js'

/**
 * Members, departments and attachments of a write: `$me` defaults filled
 * in on create, every newly named user (existing and enabled), department
 * and file checked, and attachment values rebuilt from the files' own rows
 * (so a client cannot rename a file or change its size by sending other
 * text). Ids a record already held are not checked again: a user disabled
 * since stays on the records that name them.
 */

/**
 * The values of a create with its defaults filled where no value (or null)
 * was sent — `default: "$me"` members and departments, `default: "today"`
 * dates, and a select's `default` option where the field is not sent at
 * all — and the keys it filled. Anything but a plain object is given
 * back unchanged, for validation to refuse.
 */
export function withCreateDefaults(
  form: PublishedForm,
  values: unknown,
  actor: Actor,
  /** The company's today (a date defaulting to today is left empty without it). */
  today: string | undefined,
  /** `options`: a select's default only (imports: a file's missing date or owner is no one's today or self). */
  which: 'all' | 'options' = 'all',
): { values: unknown; filled: string[] } {
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return { values, filled: [] }
  const result: Record<string, unknown> = { ...values }
  const filled: string[] = []
  for (const field of form.definition.fields) {
    if (which === 'options' && field.type !== 'select') continue
    if (field.type === 'date' && field.default === 'today' && today !== undefined && (result[field.key] ?? null) === null) {
      result[field.key] = today
      filled.push(field.key)
      continue
    }
    if (field.type === 'select' && field.default !== undefined && !Object.hasOwn(result, field.key)) {
      // Only when the field is not sent at all: a null sent clears it on purpose.
      result[field.key] = field.default
      filled.push(field.key)
      continue
    }
    if (field.type !== 'member' && field.type !== 'department') continue
    if (field.default !== '$me' || (result[field.key] ?? null) !== null) continue
    const id = field.type === 'member' ? actorUserId(actor) : actor.department?.id
    if (id === undefined) continue
    result[field.key] = field.multiple ? [id] : id
    filled.push(field.key)
  }
  return { values: result, filled }
}

/**
 * The fields sent with the very value their default would give them (a
 * form showing a read-only field's default sends it back): no more a write
 * of the field than leaving it out, for the field permission check.
 */
export function sentAsDefault(
  form: PublishedForm,
  values: Record<string, unknown>,
  actor: Actor,
  today: string | undefined,
): string[] {
  const defaults = withCreateDefaults(form, {}, actor, today).values as Record<string, unknown>
  return Object.keys(defaults).filter((key) =>
    Object.hasOwn(values, key) && JSON.stringify(values[key]) === JSON.stringify(defaults[key]))
}

/** The values without `keys` (those a default filled, for the field permission check). */
export function omitKeys(values: Record<string, unknown>, keys: readonly string[]) {
  if (keys.length === 0) return values
  return Object.fromEntries(Object.entries(values).filter(([key]) => !keys.includes(key)))
}

/** The actor's user id as a number, when the actor is a user (not "system" or "cli"). */
export function actorUserId(actor: Actor): number | undefined {
  return /^[1-9][0-9]{0,15}$/.test(actor.id) ? Number(actor.id) : undefined
}

/**
 * Checks the references among `values` (the fields present) and returns
 * the values with attachment lists rebuilt; throws validation.failed with
 * one issue per field naming the first unknown id.
 */
export async function resolveReferences(
  db: Executor,
  form: PublishedForm,
  values: Record<string, unknown>,
  actor: Actor,
  locale: Locale,
  stored?: Record<string, unknown>,
): Promise<Record<string, unknown>> {
  const result = { ...values }
  const issues: FieldIssue[] = []
  for (const field of form.definition.fields) {
    if (!Object.hasOwn(values, field.key) || values[field.key] === null) continue
    const before = new Set(idsOf(field, stored?.[field.key]))
    const fresh = idsOf(field, values[field.key]).filter((id) => !before.has(id))
    if (field.type === 'member' || field.type === 'department') {
      const missing = await missingPeople(db, field.type, fresh)
      if (missing !== undefined) issues.push(issue(field, `${field.type}.unknown`, missing, locale))
    }
    if (field.type === 'attachment') {
      const files = await attachmentRows(db, idsOf(field, values[field.key]))
      const problem = attachmentProblem(field, files, fresh, actor)
      if (problem) issues.push(issue(field, problem.message, problem.id, locale))
      else {
        result[field.key] = idsOf(field, values[field.key]).map((id) => {
          const { createdBy: _by, ...ref } = files.get(id)!
          return ref
        })
      }
    }
  }
  if (issues.length > 0) throw invalidValues(form, issues, locale)
  return result
}

/** The ids a member, department or attachment value names (none for other fields). */
export function idsOf(field: FieldDefinition, value: unknown): number[] {
  if (value === null || value === undefined) return []
  if (field.type === 'member' || field.type === 'department') {
    return (Array.isArray(value) ? value : [value]).filter((id): id is number => typeof id === 'number')
  }
  if (field.type === 'attachment' && Array.isArray(value)) {
    return value
      .map((item) => (typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined))
      .filter((id): id is number => typeof id === 'number')
  }
  return []
}

/** The first id that names no enabled user (or no department), if any. */
async function missingPeople(db: Executor, type: 'member' | 'department', ids: number[]) {
  if (ids.length === 0) return undefined
  const { rows } = type === 'member'
    ? await sql<{ id: number }>`select id from tessera.account
        where id in (${sql.join(ids)}) and not disabled`.execute(db)
    : await sql<{ id: number }>`select id from tessera.department
        where id in (${sql.join(ids)})`.execute(db)
  const found = new Set(rows.map((row) => Number(row.id)))
  return ids.find((id) => !found.has(id))
}

interface FileRow extends AttachmentRef {
  createdBy: string
}

/** The stored files among `ids`, by id. */
export async function attachmentRows(db: Executor, ids: number[]): Promise<Map<number, FileRow>> {
  if (ids.length === 0) return new Map()
  const { rows } = await sql<{ id: number; name: string; mime_type: string; size: number; created_by: string }>`
    select id, name, mime_type, size, created_by from tessera.attachment
    where id in (${sql.join(ids)})`.execute(db)
  return new Map(rows.map((row) => [Number(row.id), {
    id: Number(row.id), name: row.name, size: Number(row.size), type: row.mime_type, createdBy: row.created_by,
  }]))
}

/**
 * Files newly attached must exist, have been uploaded by the actor (a file
 * id seen elsewhere must not let someone read it through their own record)
 * and fit the field, which the upload checked against the field it named.
 */
function attachmentProblem(
  field: AttachmentField,
  files: Map<number, FileRow>,
  fresh: number[],
  actor: Actor,
): { message: MessageKey; id: number } | undefined {
  for (const id of fresh) {
    const file = files.get(id)
    if (!file || (file.createdBy !== actor.id && !actor.admin)) return { message: 'attachment.unknown', id }
    if (file.size > maxFileSize(field) || !acceptsFile(field, file.name, file.type)) {
      return { message: 'attachment.rejected', id }
    }
  }
  return undefined
}

function issue(field: FieldDefinition, message: MessageKey, id: number, locale: Locale): FieldIssue {
  const label = localize(field.label, locale)
  return {
    field: field.key,
    rule: 'reference',
    message: formatMessage(message, locale, { label, detail: String(id) }),
    received: id,
  }
}
