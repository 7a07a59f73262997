/**
 * What an API token may touch. A token acts as its user, narrowed to its
 * scopes: a request passes only when the user's roles allow it AND one of
 * the token's scopes lists it.
 *
 * - `{ "app": "customer-settlement", "form": "invoice", "actions": ["read", "create"] }`
 *   lets the token list, read and create invoices (and search their picker).
 * - `{ "app": "customer-settlement", "report": "aging", "actions": ["run"] }`
 *   lets it run one report.
 */
export interface AccessScope {
  app: string
  form?: string
  report?: string
  actions: ScopeAction[]
}

export const FORM_SCOPE_ACTIONS = ['read', 'create', 'update', 'delete', 'import', 'export'] as const
export const REPORT_SCOPE_ACTIONS = ['run'] as const

export type ScopeAction =
  | (typeof FORM_SCOPE_ACTIONS)[number]
  | (typeof REPORT_SCOPE_ACTIONS)[number]

/** One thing a request wants to do, as a scope check sees it. */
export type ScopeTarget =
  | { app: string; form: string; action: ScopeAction }
  | { app: string; report: string; action: ScopeAction }

/**
 * Whether any scope covers the target. `undefined` scopes mean "not a
 * token": nothing is narrowed.
 *
 * scopeAllows([{ app: 'a', form: 'invoice', actions: ['read'] }],
 *   { app: 'a', form: 'invoice', action: 'read' }) → true
 */
export function scopeAllows(scopes: AccessScope[] | undefined, target: ScopeTarget): boolean {
  if (scopes === undefined) return true
  return scopes.some((scope) => {
    if (scope.app !== target.app) return false
    if (!scope.actions.includes(target.action)) return false
    if ('form' in target) return scope.form === target.form
    return scope.report === target.report
  })
}

/** Whether the scopes reach into an app at all (to read its metadata). */
export function scopeTouchesApp(scopes: AccessScope[] | undefined, app: string): boolean {
  return scopes === undefined || scopes.some((scope) => scope.app === app)
}
