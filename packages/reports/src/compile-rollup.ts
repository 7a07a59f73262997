import { type RawBuilder, sql } from 'kysely'

import { compileVar, findField } from './compile-var.js'
import { at, show } from './issue-list.js'
import { isUnionForm } from './union-form.js'
import { aggregateColumn, joinSource, rolledUpSource } from './rolled-up-sources.js'
import type { Scope } from './scope.js'
import { extraKeys, isKey, isRecord } from './shape.js'
import type { RollupAggregate } from './spec.js'
import { fromStored, storedTotal } from './stored-rollup.js'
import { INVALID, type Typed } from './value-type.js'

const PROPERTIES = ['form', 'link', 'on', 'agg', 'value', 'where']
const AGGREGATES: readonly RollupAggregate[] = ['sum', 'count', 'min', 'max', 'avg']

function invalid(): Typed {
  return { sql: sql`null`, type: INVALID }
}

/**
 * A rollup reads a rolled-up source (see RollupTable): a WITH step that
 * groups the other form's records by their link column, joined to the row
 * once per scope on its id (or on the link field named by `on`):
 *
 *   left join "__rollup1" as "r3" on "r3"."k" = "t0"."id"
 *
 * Postgres aggregates once instead of running a correlated subquery per
 * row; rollups over the same records with the same filter, anywhere in the
 * statement, share the step, each adding its aggregate column.
 */
export async function compileRollup(raw: unknown, scope: Scope, path: string): Promise<Typed> {
  const { issues, forms } = scope.context
  if (!isRecord(raw)) {
    issues.add(path, 'type', {
      zh: 'rollup 须为对象 { form, link, agg, value?, where? }',
      en: 'a rollup must be an object { form, link, agg, value?, where? }',
    }, { received: raw })
    return invalid()
  }

  const before = issues.size
  for (const name of extraKeys(raw, PROPERTIES)) {
    issues.add(at(path, name), 'unknown_property', {
      zh: `rollup 不支持属性 ${name}`,
      en: `a rollup has no property "${name}"`,
    }, { expected: PROPERTIES })
  }
  const agg = AGGREGATES.find((candidate) => candidate === raw.agg)
  if (!agg) {
    issues.add(at(path, 'agg'), 'enum', {
      zh: `rollup 的 agg 须为 ${AGGREGATES.join('、')} 之一，收到 ${show(raw.agg)}`,
      en: `a rollup agg must be one of ${AGGREGATES.join(', ')}, got ${show(raw.agg)}`,
    }, { expected: AGGREGATES, received: raw.agg })
  }

  const form = isKey(raw.form) ? await forms.find(raw.form) : undefined
  if (!form) {
    issues.add(at(path, 'form'), 'unknown_form', {
      zh: `rollup 的表单 ${show(raw.form)} 未发布`,
      en: `rollup form ${show(raw.form)} is not a published form`,
    }, { received: raw.form })
    return invalid()
  }

  const target = await rollupTarget(raw.on, scope, at(path, 'on'))
  if (!target) return invalid()
  const link = typeof raw.link === 'string' ? findField(form, raw.link) : undefined
  if (!link || link.type !== 'link' || link.form !== target.form) {
    issues.add(at(path, 'link'), 'link', {
      zh: `rollup 的 link 须为表单 ${form.key} 中指向 ${target.form} 的链接字段，收到 ${show(raw.link)}`,
      en: `rollup link must be a link field of "${form.key}" pointing at "${target.form}", got ${show(raw.link)}`,
    }, { received: raw.link })
    return invalid()
  }
  if (!agg || issues.size > before) return invalid()

  const key = JSON.stringify([
    form.key, link.key, raw.on ?? null, agg, raw.value ?? null, raw.where ?? null,
  ])
  const known = scope.rollups.get(key)
  if (known) return known

  const stored = raw.on === undefined ? storedTotal(scope, form, link, agg, raw.value, raw.where) : undefined
  if (stored) {
    const typed = await fromStored(stored, scope, form, link, agg, raw, path)
    if (!typed) return invalid()
    scope.rollups.set(key, typed)
    return typed
  }

  const source = await rolledUpSource(form, link, raw.where, scope, at(path, 'where'))
  if (!source) return invalid()
  const column = await aggregateColumn(source, agg, raw.value, at(path, 'value'))
  if (!column) return invalid()

  const alias = joinSource(scope, source, raw.on, target.sql)
  const result = sql.id(alias, column.name)
  const typed: Typed = agg === 'sum' || agg === 'count'
    ? { sql: sql`coalesce(${result}, 0)`, type: column.type }
    : { sql: result, type: column.type }
  scope.rollups.set(key, typed)
  return typed
}

/**
 * What the rolled-up records' link must equal: the row's id, or with `on`
 * a link field of the row (or a path through links ending in one), so that
 * records linked to the same customer as the row roll up, say.
 */
async function rollupTarget(
  raw: unknown,
  scope: Scope,
  path: string,
): Promise<{ sql: RawBuilder<unknown>; form: string } | undefined> {
  if (raw === undefined) {
    if (!isUnionForm(scope.form)) return { sql: sql.id(scope.alias, 'id'), form: scope.form.key }
    // No form links to a union's rows: only a link column's records can roll up (`on`).
    scope.context.issues.add(path, 'union', {
      zh: 'union 报表的行不是记录，没有表单链接到它：rollup 须以 on 指向一个链接列',
      en: 'a union report\'s rows are no records that a form links to: a rollup there needs on, naming a link column',
    })
    return undefined
  }

  const form = typeof raw === 'string' ? await linkTarget(raw, scope) : undefined
  if (!form) {
    scope.context.issues.add(path, 'link', {
      zh: `rollup 的 on 须为本行的链接字段（或以链接字段结尾的路径），收到 ${show(raw)}`,
      en: `rollup on must name a link field of the row (or a path ending in one), got ${show(raw)}`,
    }, { received: raw })
    return undefined
  }
  const value = await compileVar(raw, scope, path)
  return value.type.kind === 'invalid' ? undefined : { sql: value.sql, form }
}

/** The form a path's last link field points at; undefined if the path ends elsewhere. */
async function linkTarget(path: string, scope: Scope): Promise<string | undefined> {
  let form = scope.form
  const segments = path.split('.')
  for (const [index, segment] of segments.entries()) {
    const field = findField(form, segment)
    if (!field || field.type !== 'link') return undefined
    if (index === segments.length - 1) return field.form
    const next = await scope.context.forms.find(field.form)
    if (!next) return undefined
    form = next
  }
  return undefined
}

