import {
  FORM_SCOPE_ACTIONS,
  REPORT_SCOPE_ACTIONS,
  type AccessScope,
  type ScopeAction,
} from '@tessera/core'

/** One scope row as the token dialog edits it: the target is "form:<key>" or "report:<key>". */
export interface ScopeRow {
  app?: string
  target?: string
  actions?: ScopeAction[]
}

/** The actions that fit a target: a form's record actions, or running a report. */
export function actionsFor(target: string | undefined): readonly ScopeAction[] {
  if (target?.startsWith('report:')) return REPORT_SCOPE_ACTIONS
  if (target?.startsWith('form:')) return FORM_SCOPE_ACTIONS
  return []
}

/**
 * Turns the dialog's rows into the API's scopes, dropping incomplete rows
 * and actions that do not fit the target.
 *
 * toScopes([{ app: 'crm', target: 'form:invoice', actions: ['read'] }])
 * → [{ app: 'crm', form: 'invoice', actions: ['read'] }]
 */
export function toScopes(rows: ScopeRow[]): AccessScope[] {
  const scopes: AccessScope[] = []
  for (const row of rows) {
    const [kind, key] = (row.target ?? '').split(/:(.*)/s)
    const actions = (row.actions ?? []).filter((a) => actionsFor(row.target).includes(a))
    if (!row.app || !key || actions.length === 0) continue
    scopes.push(kind === 'report' ? { app: row.app, report: key, actions } : { app: row.app, form: key, actions })
  }
  return scopes
}
