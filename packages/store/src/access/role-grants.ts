import {
  scopeAllows,
  scopeTouchesApp,
  type Actor,
  type FieldRule,
  type FormAction,
  type FormGrant,
  type RoleSpec,
  type RowRule,
} from '@tessera/core'

/**
 * What one actor may do in one app, merged from the role documents they
 * hold there. Pure: no database, so the rules of merging are tested alone.
 *
 * - Admin (platform admin, or a role with `admin: true`): everything.
 * - An action on a form: allowed if any held role grants it, and (for an
 *   API token) one of the token's scopes lists it.
 * - Rows for an action: the union of the row rules of the roles granting
 *   that action; `"all"` if any of them reaches all rows.
 * - A field: as free as the freest role granting anything on the form
 *   (hidden only if hidden for all of them).
 */
export class RoleGrants {
  readonly app: string
  readonly admin: boolean
  readonly #actor: Actor
  readonly #roles: readonly RoleSpec[]

  constructor(actor: Actor, app: string, roles: readonly RoleSpec[]) {
    this.app = app
    this.#actor = actor
    this.#roles = roles
    this.admin = actor.admin === true || roles.some((role) => role.admin === true)
  }

  /** True when the actor may see anything of the app at all. */
  get entered(): boolean {
    if (!scopeTouchesApp(this.#actor.scopes, this.app)) return false
    return this.admin || this.#roles.length > 0
  }

  can(form: string, action: FormAction): boolean {
    if (!scopeAllows(this.#actor.scopes, { app: this.app, form, action })) return false
    return this.admin || this.#granting(form, action).length > 0
  }

  /** Every action allowed on a form, in the canonical order. */
  actions(form: string, all: readonly FormAction[]): FormAction[] {
    return all.filter((action) => this.can(form, action))
  }

  /** Row rules for an action: "all", or the rules any of which admits a row. */
  rows(form: string, action: FormAction): 'all' | RowRule[] {
    if (this.admin) return 'all'
    const rules = this.#granting(form, action).map((role) => grantOf(role, form)?.rows ?? ALL)
    if (rules.some((rule) => rule.kind === 'all')) return 'all'
    return rules
  }

  /** Fields restricted for the actor on a form, by field key. */
  fields(form: string): Map<string, FieldRule> {
    const restricted = new Map<string, FieldRule>()
    if (this.admin) return restricted
    const grants = this.#roles.map((role) => grantOf(role, form)).filter((g) => g !== undefined)
    if (grants.length === 0) return restricted

    const keys = new Set(grants.flatMap((g) => Object.keys(g.fields ?? {})))
    for (const key of keys) {
      const levels = grants.map((g) => LEVEL[g.fields?.[key] ?? 'free'])
      const freest = Math.min(...levels)
      if (freest === LEVEL.hidden) restricted.set(key, 'hidden')
      else if (freest === LEVEL.readonly) restricted.set(key, 'readonly')
    }
    return restricted
  }

  canRunReport(report: string): boolean {
    if (!scopeAllows(this.#actor.scopes, { app: this.app, report, action: 'run' })) return false
    return this.admin || this.#roles.some((role) => listed(role.reports, report))
  }

  canOpenDashboard(dashboard: string): boolean {
    if (!scopeTouchesApp(this.#actor.scopes, this.app)) return false
    return this.admin || this.#roles.some((role) => listed(role.dashboards, dashboard))
  }

  #granting(form: string, action: FormAction): RoleSpec[] {
    return this.#roles.filter((role) => grantOf(role, form)?.actions.includes(action) === true)
  }
}

/** A role's grant on a form; own keys only, so "constructor" is just a name. */
function grantOf(role: RoleSpec, form: string): FormGrant | undefined {
  return role.forms && Object.hasOwn(role.forms, form) ? role.forms[form] : undefined
}

const ALL: RowRule = { kind: 'all' }

const LEVEL = { free: 0, readonly: 1, hidden: 2 } as const

function listed(keys: string[] | undefined, key: string): boolean {
  return keys !== undefined && (keys.includes('*') || keys.includes(key))
}
