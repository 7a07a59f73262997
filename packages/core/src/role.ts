import type { LocalizedText } from './localized.js'

/**
 * A role of one app: what the users holding it may do with each form, which
 * rows they reach, which fields they may not see or change, and which
 * reports and dashboards they may open. Stored as metadata (kind "role"),
 * shipped in templates, edited by administrators.
 *
 * A user holds roles as "<app key>/<role key>" (Actor.roles). With several
 * roles in one app, the grants add up: an action is allowed if any role
 * allows it, on the rows any of those roles reach; a field is hidden or
 * read-only only if every role granting the form says so. No role in an app
 * means nothing of it. Platform administrators (Actor.admin) and roles with
 * `"admin": true` may do everything in the app.
 *
 * @example
 * {
 *   "key": "salesperson",
 *   "label": { "zh-CN": "销售", "en": "Salesperson" },
 *   "forms": {
 *     "customer": { "actions": ["read", "update"],
 *                   "rows": { "kind": "own", "field": "owner" },
 *                   "fields": { "credit_limit": "readonly", "owner": "readonly" } },
 *     "invoice": { "actions": ["read"], "rows": { "kind": "via", "link": "customer" } }
 *   },
 *   "reports": ["aging"],
 *   "dashboards": ["receivables"]
 * }
 */
export interface RoleSpec {
  /** Lower snake case, unique within the app. */
  key: string
  label: LocalizedText
  description?: LocalizedText
  /** Everything in this app: every form, action, row, field, report and dashboard. */
  admin?: boolean
  /** Grants by form key; a form not listed is out of reach. */
  forms?: Record<string, FormGrant>
  /** Report keys this role may run; "*" stands for every report of the app. */
  reports?: string[]
  /** Dashboard keys this role may open; "*" stands for every dashboard. */
  dashboards?: string[]
}

/** What may be done with records of a form. */
export type FormAction = 'create' | 'read' | 'update' | 'delete' | 'import' | 'export'

export const FORM_ACTIONS: readonly FormAction[] = [
  'create',
  'read',
  'update',
  'delete',
  'import',
  'export',
]

/**
 * One form's grant. `rows` limits every action (read, update, delete,
 * export, and which records one may create); all rows when absent.
 *
 * @example
 * { "actions": ["read", "update"], "rows": { "kind": "own" },
 *   "fields": { "credit_limit": "readonly" } }
 */
export interface FormGrant {
  actions: FormAction[]
  rows?: RowRule
  fields?: Record<string, FieldRule>
}

/**
 * - hidden: never shown (lists, records, titles, reports, history, exports:
 *   the value reads as empty) and never written;
 * - readonly: shown, but a write that changes it is refused.
 */
export type FieldRule = 'hidden' | 'readonly'

export const FIELD_RULES: readonly FieldRule[] = ['hidden', 'readonly']

/**
 * Which rows of a form a role reaches. Each kind compiles to a SQL
 * condition on the form's table (see docs/permissions.md).
 *
 * - `{ "kind": "all" }` every row (the default).
 * - `{ "kind": "own" }` rows the user created (`_created_by`);
 *   `{ "kind": "own", "field": "owner" }` rows whose text field `owner`
 *   holds the user's id.
 * - `{ "kind": "department" }` rows created by anyone in the user's
 *   department or below it; `{ "kind": "department", "field": "dept" }`
 *   rows whose integer field `dept` holds such a department's id.
 * - `{ "kind": "via", "link": "customer" }` rows whose linked record (through
 *   the link field `customer`) the user may read: invoices follow their
 *   customer.
 * - `{ "kind": "custom", "rule": <json-logic> }` a list-filter rule over the
 *   form's fields, where `{"var": "$me.id"}`, `{"var": "$me.name"}` and
 *   `{"var": "$me.department"}` stand for the user's id, name and
 *   department id, e.g. `{"==": [{"var": "salesperson"}, {"var": "$me.name"}]}`.
 */
export type RowRule =
  | { kind: 'all' }
  | { kind: 'own'; field?: string }
  | { kind: 'department'; field?: string }
  | { kind: 'via'; link: string }
  | { kind: 'custom'; rule: unknown }

export type RowRuleKind = RowRule['kind']

export const ROW_RULE_KINDS: readonly RowRuleKind[] = ['all', 'own', 'department', 'via', 'custom']

/** The values `{"var": "$me.<name>"}` may name in a custom row rule. */
export const ME_VARIABLES = ['id', 'name', 'department'] as const
