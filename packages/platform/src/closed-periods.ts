import { sql } from 'kysely'
import { addDays, isIsoDate, requireAdmin, TesseraError, type Actor, type Locale } from '@tessera/core'
import { CLOSED_THROUGH_SETTING, lockCloseForChange, writeAudit } from '@tessera/store'
import type { Platform } from './platform.js'

/** The company's close: the last closed day, or null while every period is open. */
export interface PeriodClose {
  closedThrough: string | null
}

/** The last closed day as committed (no lock: for showing, not for checking a write). */
export async function readPeriodClose(platform: Platform): Promise<PeriodClose> {
  const value = await platform.catalog.getSetting<unknown>(CLOSED_THROUGH_SETTING, null)
  return { closedThrough: typeof value === 'string' ? value : null }
}

/**
 * Closes the periods through `through` (an ISO date before the company's
 * today: a day still under way cannot be closed), or reopens them all
 * with null; moving the date back reopens the days after it.
 * Administrators only, written to the audit trail as `period.close` or
 * `period.reopen` with the date before and after. The setting is changed
 * holding the close's advisory lock exclusively, so the change waits for
 * writes that already checked the old date (they hold it shared) and
 * every write after it sees the new one.
 */
export async function setPeriodClose(
  platform: Platform,
  actor: Actor,
  through: unknown,
  options: {
    locale?: Locale
    context?: Record<string, unknown>
    /** How long to wait for writes under way before giving up (default 10 s; see lockCloseForChange). */
    waitMs?: number
  } = {},
): Promise<PeriodClose & { previous: string | null }> {
  requireAdmin(actor, 'close accounting periods')
  const locale = options.locale ?? 'zh-CN'
  const today = await platform.today()
  if (through !== null && !isIsoDate(through)) {
    // Echoed only when short: the field is a date.
    const came = typeof through === 'string' && through.length <= 40 ? JSON.stringify(through) : `a ${typeof through}`
    throw refused(locale, 'date', typeof through === 'string' && through.length <= 40 ? through : undefined,
      `closedThrough must be a real date written YYYY-MM-DD, or null to reopen every period; got ${came}`,
      `结账日期应为 YYYY-MM-DD 格式的真实日期（或为空以取消结账），收到的是 ${came}`)
  }
  if (through !== null && through >= today) {
    const yesterday = addDays(today, -1)
    throw refused(locale, 'max', through,
      `a period can be closed only once it has ended: ${through} is ${through === today ? 'today' : 'after today'} (${today}); the latest day that can be closed is ${yesterday}`,
      `只能结账已经结束的日期：${through} ${through === today ? '就是今天' : '晚于今天'}（${today}），最晚可结账至 ${yesterday}`, { max: yesterday })
  }
  return platform.database.transaction(async (trx) => {
    await lockCloseForChange(trx, options.waitMs)
    const { rows } = await sql<{ value: unknown }>`
      select value from tessera.setting where key = ${CLOSED_THROUGH_SETTING}`.execute(trx)
    const previous = typeof rows[0]?.value === 'string' ? rows[0].value : null
    if (previous === through) return { closedThrough: through, previous }
    await sql`
      insert into tessera.setting (key, value) values (${CLOSED_THROUGH_SETTING}, ${JSON.stringify(through)}::jsonb)
      on conflict (key) do update set value = excluded.value`.execute(trx)
    const reopens = through === null || (previous !== null && through < previous)
    await writeAudit(trx, {
      actor: actor.id,
      action: reopens ? 'period.reopen' : 'period.close',
      before: { closedThrough: previous },
      after: { closedThrough: through },
      ...(options.context ? { context: options.context } : {}),
    })
    return { closedThrough: through, previous }
  })
}

function refused(locale: Locale, rule: string, received: unknown, en: string, zh: string, expected?: unknown): TesseraError {
  const message = locale === 'en' ? en : zh
  return new TesseraError('validation.failed', message, {
    messages: { 'zh-CN': zh, en },
    issues: [{
      field: 'closedThrough', rule, message,
      ...(received !== undefined ? { received } : {}),
      ...(expected ? { expected } : {}),
    }],
  })
}
