import { sql } from 'kysely'
import { localize, TesseraError, type FieldIssue, type Locale, type PublishedForm } from '@tessera/core'
import type { Executor } from '../database.js'
import { CLOSE_LOCK } from '../migrations/0009-closed-periods.js'

/** The setting holding the last day of the closed periods (an ISO date), or null while none is closed. */
export const CLOSED_THROUGH_SETTING = 'closedThrough'

/**
 * The last closed day, read inside a writing transaction after taking the
 * close's advisory lock shared (see migrations/0009-closed-periods.ts): a
 * close (which takes it exclusively) waits for writes already checked
 * against the old date to commit, and a write checked after the close
 * reads the new date.
 */
export async function closedThroughForWrite(trx: Executor): Promise<string | null> {
  const { rows } = await sql<{ value: unknown }>`select tessera.closed_through_for_write() as value`.execute(trx)
  const value = rows[0]?.value
  return typeof value === 'string' ? value : null
}

/**
 * Takes the close's advisory lock exclusively, until `trx` ends: for
 * changing the close. It waits at most `waitMs` for the writes holding it
 * shared (writes arriving meanwhile queue behind it, each holding a
 * database connection): past that, the change is given up with
 * `conflict.retry`, which lets them go on.
 */
export async function lockCloseForChange(trx: Executor, waitMs = 10_000): Promise<void> {
  // The wait is bounded for this lock alone: the transaction's own lock_timeout comes back after it.
  const { rows } = await sql<{ prior: string }>`
    select current_setting('lock_timeout') as prior,
      set_config('lock_timeout', ${`${Math.max(1, Math.round(waitMs))}ms`}, true)`.execute(trx)
  try {
    await sql`select pg_advisory_xact_lock(${sql.lit(CLOSE_LOCK)})`.execute(trx)
  } catch (error) {
    if ((error as { code?: unknown }).code !== '55P03') throw error
    const seconds = Math.round(waitMs / 100) / 10
    const en = `the close was not changed: writes or imports of dated records were still running after ${seconds} s ` +
      '(a large import holds the close until it ends); try again once they are done'
    throw new TesseraError('conflict.retry', en, {
      details: { waitedMs: waitMs },
      messages: {
        'zh-CN': `未能结账：等待进行中的记录写入或导入超过 ${seconds} 秒（大批量导入结束前无法结账），请稍后再试`,
        en,
      },
    })
  }
  await sql`select set_config('lock_timeout', ${rows[0].prior}, true)`.execute(trx)
}

/** What a write does to a record, as a closed period refuses it. */
export type PeriodWrite = 'create' | 'update' | 'delete'

const WRITE_VERBS: Record<PeriodWrite, [en: string, zh: string]> = {
  create: ['created', '新建'],
  update: ['changed', '修改'],
  delete: ['deleted', '删除'],
}

/**
 * The issue refusing a write of a record of `form` because it falls in a
 * closed period: the record's date `before` the write (an update or
 * delete) or `after` it (a create or update) is on or before `through`.
 * Undefined when the form has no period field, nothing is closed, or both
 * dates are open. Issued on the period field, naming the record's date and
 * the close; for a writer the period field is hidden from (`concealed`),
 * on the record as a whole, naming the close only.
 */
export function closedPeriodIssue(
  form: PublishedForm,
  through: string | null,
  write: PeriodWrite,
  dates: { before?: unknown; after?: unknown },
  locale: Locale,
  concealed = false,
): FieldIssue | undefined {
  const key = form.definition.periodField
  if (!key || !through) return undefined
  const closed = (date: unknown): date is string => typeof date === 'string' && date <= through
  const date = closed(dates.before) ? dates.before : closed(dates.after) ? dates.after : undefined
  if (date === undefined) return undefined
  const field = form.definition.fields.find((candidate) => candidate.key === key)
  const label = field ? localize(field.label, locale) : key
  const moving = write === 'update' && closed(dates.after) && !closed(dates.before)
  const [en, zh] = WRITE_VERBS[write]
  if (concealed) {
    const hiddenMessage = locale === 'en'
      ? `this record is in a closed period (closed through ${through}) and cannot be ${en}`
      : `该记录在已结账期间内（已结账至 ${through}），不能${zh}`
    return { rule: 'closed_period', message: hiddenMessage, expected: { after: through } }
  }
  const message = locale === 'en'
    ? `${label} ${date} is in a closed period (closed through ${through}): ` +
      (moving ? 'a record cannot be moved into it' : `a record of a closed period cannot be ${en}`)
    : `${label} ${date} 在已结账期间内（已结账至 ${through}），` +
      (moving ? '不能把记录改到该期间' : `不能${zh}该期间的记录`)
  return {
    field: key,
    rule: 'closed_period',
    message,
    expected: { after: through },
    received: date,
  }
}

/**
 * Refuses (TesseraError 'conflict.closed_period', the issue on the period
 * field unless `concealed`) a write of a record of `form` dated in a
 * closed period; reads the close inside `trx` as closedThroughForWrite
 * does. Forms without a period field cost nothing.
 */
export async function refuseClosedPeriod(
  trx: Executor,
  form: PublishedForm,
  write: PeriodWrite,
  dates: { before?: unknown; after?: unknown },
  locale: Locale,
  /** The writer may not read the period field: the refusal does not quote its date. */
  concealed = false,
): Promise<void> {
  if (!form.definition.periodField) return
  const issue = closedPeriodIssue(form, await closedThroughForWrite(trx), write, dates, locale, concealed)
  if (issue) throw closedPeriodError(form, [issue], locale)
}

/** The error for records refused by a closed period, their issues given. */
function closedPeriodError(form: PublishedForm, issues: FieldIssue[], locale: Locale): TesseraError {
  const name = localize(form.definition.label, locale)
  const message = `「${name}」：${issues.map((issue) => issue.message).join('；')}`
  const en = `${localize(form.definition.label, 'en')}: ${issues.map((issue) => issue.message).join('; ')}`
  return new TesseraError('conflict.closed_period', locale === 'en' ? en : message, {
    details: { form: form.key, closedThrough: (issues[0]?.expected as { after?: string } | undefined)?.after ?? null },
    issues,
  })
}
