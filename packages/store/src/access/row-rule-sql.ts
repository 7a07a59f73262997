import { sql, type RawBuilder } from 'kysely'
import {
  TesseraError,
  type Actor,
  type FieldDefinition,
  type FormAction,
  type PublishedForm,
  type RowRule,
} from '@tessera/core'
import { compileFilter } from '../filter-sql.js'
import type { RoleGrants } from './role-grants.js'

/** How deep `via` rules may chain (invoice → customer → …) before we call it a cycle. */
export const MAX_VIA_DEPTH = 8

export interface RowRuleContext {
  actor: Actor
  grants: RoleGrants
  /**
   * The grants that decide which linked records a `via` rule reaches: the
   * user's own. An API token's scopes choose the forms the token may call,
   * not the rows behind them (a token reading invoices reaches the user's
   * customers' invoices without a customer scope). Defaults to `grants`.
   */
  reach?: RoleGrants
  /** A published form of the app, already loaded (rules compile synchronously). */
  form(key: string): PublishedForm
}

/**
 * The SQL condition admitting the rows of `form` (under `alias`) that the
 * actor may `action`; undefined when every row is admitted. Values (the
 * user's id, department path) are parameters; identifiers come from the
 * published form only.
 *
 *   own        → "s"."_created_by" = $1
 *   own field  → "s"."owner" = $1
 *   department → "s"."_created_by" in (select a.id::text from tessera.account a
 *                  join tessera.department d on d.id = a.department_id
 *                  where starts_with(d.path, $1))
 *   via        → "s"."customer_id" in (select "v1".id from "app"."customer" as "v1"
 *                  where <the customer's read condition on "v1">)
 */
export function rowCondition(
  context: RowRuleContext,
  form: PublishedForm,
  action: FormAction,
  alias: string,
  depth = 0,
): RawBuilder<boolean> | undefined {
  if (!context.grants.can(form.key, action)) return sql<boolean>`false`
  const rules = context.grants.rows(form.key, action)
  if (rules === 'all') return undefined
  if (rules.length === 0) return sql<boolean>`false`
  const parts = rules.map((rule) => ruleCondition(context, form, rule, alias, depth))
  if (parts.some((part) => part === undefined)) return undefined
  return sql<boolean>`(${sql.join(parts as RawBuilder<boolean>[], sql` or `)})`
}

function ruleCondition(
  context: RowRuleContext,
  form: PublishedForm,
  rule: RowRule,
  alias: string,
  depth: number,
): RawBuilder<boolean> | undefined {
  const { actor } = context
  switch (rule.kind) {
    case 'all':
      return undefined
    case 'own': {
      const field = rule.field === undefined ? undefined : fieldOf(form, rule.field, 'own')
      if (field?.type === 'member') return memberIsActor(actor, field, alias)
      const column = field === undefined ? '_created_by' : field.column!
      return sql<boolean>`${sql.ref(`${alias}.${column}`)} = ${actor.id}`
    }
    case 'department':
      return departmentCondition(actor, form, rule.field, alias)
    case 'via':
      return viaCondition(context, form, rule.link, alias, depth)
    case 'custom':
      return compileFilter(form, rule.rule, alias, {
        me: { id: actor.id, name: actor.name ?? null, department: actor.department?.id ?? null },
      })
  }
}

/** A member field (bigint, or bigint[] when multiple) naming the acting user. */
function memberIsActor(actor: Actor, field: FieldDefinition, alias: string): RawBuilder<boolean> {
  const column = sql.ref(`${alias}.${field.column}`)
  if (!/^[1-9][0-9]{0,15}$/.test(actor.id)) return sql<boolean>`false`
  const id = Number(actor.id)
  if (field.type === 'member' && field.multiple) return sql<boolean>`coalesce(${id} = any(${column}), false)`
  return sql<boolean>`${column} = ${id}`
}

function departmentCondition(
  actor: Actor,
  form: PublishedForm,
  fieldKey: string | undefined,
  alias: string,
): RawBuilder<boolean> {
  const path = actor.department?.path
  if (!path) return sql<boolean>`false`
  if (fieldKey !== undefined) {
    const field = fieldOf(form, fieldKey, 'department')
    const column = sql.ref(`${alias}.${field.column}`)
    const below = sql`select d.id from tessera.department d where starts_with(d.path, ${path})`
    if (field.type === 'department' && field.multiple) {
      return sql<boolean>`coalesce(${column} && array(${below}), false)`
    }
    return sql<boolean>`${column} in (${below})`
  }
  return sql<boolean>`${sql.ref(`${alias}._created_by`)} in
    (select a.id::text from tessera.account a
       join tessera.department d on d.id = a.department_id
     where starts_with(d.path, ${path}))`
}

function viaCondition(
  context: RowRuleContext,
  form: PublishedForm,
  linkKey: string,
  alias: string,
  depth: number,
): RawBuilder<boolean> {
  const field = fieldOf(form, linkKey, 'via')
  if (field.type !== 'link') invalid(form, linkKey, 'via', `is a ${field.type} field, not a link`)
  if (depth >= MAX_VIA_DEPTH) {
    throw new TesseraError('metadata.invalid', `row rules of app "${form.app}" follow "via" links more than ${MAX_VIA_DEPTH} deep from form "${form.key}"; they probably form a cycle`, {
      details: { app: form.app, form: form.key, link: linkKey },
    })
  }

  const target = context.form(field.form)
  const inner = `v${depth + 1}`
  const column = sql.ref(`${alias}.${field.column}`)
  const reach = context.reach ?? context.grants
  const condition = rowCondition({ ...context, grants: reach }, target, 'read', inner, depth + 1)
  if (condition === undefined) return sql<boolean>`${column} is not null`
  const table = sql.table(`${target.table.schema}.${target.table.name}`)
  return sql<boolean>`${column} in
    (select ${sql.ref(`${inner}.id`)} from ${table} as ${sql.id(inner)} where ${condition})`
}

function fieldOf(form: PublishedForm, key: string, kind: RowRule['kind']): FieldDefinition {
  const field = form.definition.fields.find((f) => f.key === key)
  if (!field?.column) invalid(form, key, kind, 'is not a field of the form')
  return field
}

function invalid(form: PublishedForm, key: string, kind: string, problem: string): never {
  throw new TesseraError('metadata.invalid', `a "${kind}" row rule of app "${form.app}" names "${key}" on form "${form.key}", which ${problem}; fix the role document`, {
    details: { app: form.app, form: form.key, field: key, rule: kind },
  })
}
