import type { FieldDefinition } from '@tessera/core'
import { sql, type RawBuilder } from 'kysely'
import { isIsoDate, TesseraError } from '@tessera/core'
import type { Executor } from '../database.js'
import { PREPARE } from '../prepared-statements.js'

/** Where a change came from, as the server saw the request. */
export interface AuditOrigin {
  ip?: string
  userAgent?: string
}

/**
 * One line of the audit trail. `before` and `after` hold a record's field
 * values (or a role document) as they were and became; `context` holds the
 * origin (`ip`, `userAgent`) and whatever the action adds (a filter, a
 * row count).
 *
 * @example
 * { actor: '17', action: 'record.update', app: 'customer-settlement',
 *   form: 'invoice', recordId: 42, before: { amount: '100.00' },
 *   after: { amount: '90.00' }, context: { ip: '10.0.0.8' } }
 */
export interface AuditEntry {
  actor: string
  action: string
  app?: string
  form?: string
  recordId?: number
  before?: unknown
  after?: unknown
  context?: Record<string, unknown>
}

/** An audit row as searches return it. */
export interface AuditRow {
  id: number
  at: string
  actor: string
  action: string
  app: string | null
  form: string | null
  recordId: number | null
  before: unknown
  after: unknown
  context: Record<string, unknown> | null
  /** The actor's display name, when the actor is a user (record history only). */
  actorName?: string
  /**
   * Names for the ids in `before` and `after` (record history only): linked
   * records' titles as the reader may read them ("#id" otherwise), users'
   * and departments' names, by field key.
   */
  titles?: { before: Record<string, string | null>; after: Record<string, string | null> }
  /** Fields the form no longer has, as last published, for the values of theirs in this row (record history only). */
  removedFields?: FieldDefinition[]
}

/**
 * A search of the trail. Every filter is optional and they combine with
 * "and"; `action` may end with "*" for a prefix ("record.*"); `from` and
 * `to` are inclusive calendar dates ("2026-06-30") in `timeZone`, or ISO
 * timestamps.
 */
export interface AuditQuery {
  actor?: string
  action?: string
  app?: string
  form?: string
  recordId?: number
  from?: string
  to?: string
  timeZone?: string
  page?: number
  pageSize?: number
}

export interface AuditPage {
  items: AuditRow[]
  total: number
  page: number
  pageSize: number
}

export const MAX_AUDIT_PAGE_SIZE = 200

/** Appends one line; inside the caller's transaction when given one. */
export async function writeAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await sql`${PREPARE}${auditInsert(entry)}`.execute(db)
}

/**
 * The INSERT of one line, unsent: a write may send it along with another
 * statement of its transaction (as a data-modifying WITH) to save a round
 * trip.
 */
export function auditInsert(entry: AuditEntry): RawBuilder<unknown> {
  return sql`
    insert into tessera.audit (actor, action, app_key, form_key, record_id, before, after, context)
    values (${entry.actor}, ${entry.action}, ${entry.app ?? null}, ${entry.form ?? null},
            ${entry.recordId ?? null}, ${jsonOrNull(entry.before)}, ${jsonOrNull(entry.after)},
            ${jsonOrNull(entry.context)})`
}

/** The origin as audit context: only what is known, nothing empty. */
export function originContext(origin: AuditOrigin | undefined): Record<string, unknown> | undefined {
  if (!origin) return undefined
  const context: Record<string, unknown> = {}
  if (origin.ip) context.ip = origin.ip
  if (origin.userAgent) context.userAgent = origin.userAgent.slice(0, 300)
  return Object.keys(context).length > 0 ? context : undefined
}

/** Newest first, paginated. */
export async function searchAudit(db: Executor, query: AuditQuery): Promise<AuditPage> {
  const page = wholeNumber(query.page ?? 1, 1, 1_000_000, 'page')
  const pageSize = wholeNumber(query.pageSize ?? 50, 1, MAX_AUDIT_PAGE_SIZE, 'pageSize')
  const where = conditions(query)
  const { rows } = await sql<AuditDbRow>`
    select id, at, actor, action, app_key, form_key, record_id, before, after, context
    from tessera.audit ${where}
    order by at desc, id desc limit ${pageSize} offset ${(page - 1) * pageSize}`.execute(db)
  const { rows: counted } = await sql<{ total: number }>`
    select count(*)::int as total from tessera.audit ${where}`.execute(db)
  return { items: rows.map(toAuditRow), total: counted[0].total, page, pageSize }
}

/** Every line about one record, oldest first. */
export async function recordAudit(
  db: Executor,
  app: string,
  form: string,
  recordId: number,
): Promise<AuditRow[]> {
  const { rows } = await sql<AuditDbRow>`
    select id, at, actor, action, app_key, form_key, record_id, before, after, context
    from tessera.audit
    where app_key = ${app} and form_key = ${form} and record_id = ${recordId}
    order by at, id`.execute(db)
  return rows.map(toAuditRow)
}

interface AuditDbRow {
  id: number
  at: Date
  actor: string
  action: string
  app_key: string | null
  form_key: string | null
  record_id: number | null
  before: unknown
  after: unknown
  context: Record<string, unknown> | null
}

function toAuditRow(row: AuditDbRow): AuditRow {
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action,
    app: row.app_key,
    form: row.form_key,
    recordId: row.record_id,
    before: row.before,
    after: row.after,
    context: row.context,
  }
}

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/

function conditions(query: AuditQuery): RawBuilder<unknown> {
  const parts: RawBuilder<unknown>[] = []
  if (query.actor) parts.push(sql`actor = ${query.actor}`)
  if (query.action?.endsWith('*')) {
    const prefix = query.action.slice(0, -1)
    parts.push(sql`left(action, ${prefix.length}) = ${prefix}`)
  } else if (query.action) {
    parts.push(sql`action = ${query.action}`)
  }
  if (query.app) parts.push(sql`app_key = ${query.app}`)
  if (query.form) parts.push(sql`form_key = ${query.form}`)
  if (query.recordId !== undefined) {
    parts.push(sql`record_id = ${wholeNumber(query.recordId, 1, Number.MAX_SAFE_INTEGER, 'recordId')}`)
  }
  const zone = query.timeZone ?? 'UTC'
  if (query.from) parts.push(sql`at >= ${moment(query.from, zone, 'from', 0)}`)
  if (query.to) parts.push(sql`at < ${moment(query.to, zone, 'to', 1)}`)
  return parts.length ? sql`where ${sql.join(parts, sql` and `)}` : sql``
}

/** A date means midnight in the zone (the day after, for an inclusive `to`). */
function moment(text: string, zone: string, name: string, dayAfter: 0 | 1): RawBuilder<unknown> {
  if (isIsoDate(text as unknown)) {
    return sql`((${text}::date + ${dayAfter}::int)::timestamp at time zone ${zone})`
  }
  if (ISO_TIMESTAMP.test(text) && isIsoDate(text.slice(0, 10) as unknown) && !Number.isNaN(Date.parse(text))) {
    return dayAfter ? sql`(${text}::timestamptz + interval '1 microsecond')` : sql`${text}::timestamptz`
  }
  const shown = JSON.stringify(text.slice(0, 40))
  throw new TesseraError('request.invalid', `${name} must be a date "YYYY-MM-DD" that exists or an ISO timestamp with a zone, got ${shown}`, {
    details: { field: name, received: text },
    messages: { 'zh-CN': `${name === 'from' ? '起始日期' : '截止日期'}（${name}）应为存在的日期 YYYY-MM-DD 或带时区的 ISO 时间，收到 ${shown}` },
  })
}

function wholeNumber(value: number, min: number, max: number, name: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new TesseraError('request.invalid', `${name} must be a whole number from ${min} to ${max}, got ${value}`, {
      details: { field: name, expected: { min, max }, received: value },
    })
  }
  return value
}

function jsonOrNull(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value)
}
