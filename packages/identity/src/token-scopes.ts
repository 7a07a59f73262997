import { sql } from 'kysely'
import {
  FORM_SCOPE_ACTIONS,
  REPORT_SCOPE_ACTIONS,
  TesseraError,
  type AccessScope,
  type ScopeAction,
} from '@tessera/core'
import type { Executor } from '@tessera/store'

function refuse(index: number, message: string): never {
  throw new TesseraError('validation.failed', `token scope ${index + 1}: ${message}`, {
    issues: [{ field: `scopes.${index}`, rule: 'scope', message }],
  })
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Checks token scopes against what is installed: the app, a published form
 * or a stored report, and actions that fit (read/create/update/delete/
 * import/export for a form, run for a report). Returns clean copies.
 */
export async function checkScopes(db: Executor, scopes: unknown): Promise<AccessScope[]> {
  if (!Array.isArray(scopes) || scopes.length === 0 || scopes.length > 100) {
    throw new TesseraError('validation.failed', 'a token needs 1 to 100 scopes, e.g. [{"app":"customer-settlement","form":"invoice","actions":["read"]}]', {
      issues: [{ field: 'scopes', rule: 'required', message: 'a token needs at least one scope' }],
    })
  }
  const clean: AccessScope[] = []
  for (const [index, scope] of scopes.entries()) {
    if (!isRecord(scope) || typeof scope.app !== 'string') refuse(index, 'needs an "app"')
    const { app, form, report, actions } = scope
    const hasForm = typeof form === 'string'
    if (hasForm === (typeof report === 'string')) refuse(index, 'needs exactly one of "form" or "report"')
    const allowed: readonly string[] = hasForm ? FORM_SCOPE_ACTIONS : REPORT_SCOPE_ACTIONS
    if (!Array.isArray(actions) || actions.length === 0) {
      refuse(index, `needs "actions", some of ${allowed.join(', ')}`)
    }
    for (const action of actions) {
      if (typeof action !== 'string' || !allowed.includes(action)) {
        refuse(index, `action ${JSON.stringify(action)} is not one of ${allowed.join(', ')}`)
      }
    }

    const exists = hasForm
      ? sql`select 1 from tessera.form where app_key = ${app} and key = ${form}
            and published_version is not null`
      : sql`select 1 from tessera.meta_item where app_key = ${app} and kind = 'report'
            and key = ${report}`
    if ((await exists.execute(db)).rows.length === 0) {
      refuse(index, hasForm
        ? `app "${app}" has no published form "${String(form)}"`
        : `app "${app}" has no report "${String(report)}"`)
    }
    const unique = [...new Set(actions as ScopeAction[])]
    clean.push(hasForm
      ? { app, form: form as string, actions: unique }
      : { app, report: report as string, actions: unique })
  }
  return clean
}
