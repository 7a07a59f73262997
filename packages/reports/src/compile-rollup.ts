import { type RawBuilder, sql } from 'kysely'

import type { FieldDefinition, PublishedForm, RollupField } from '@tessera/core'

import { compileExpr } from './compile-expr.js'
import { columnOf, compileVar, findField } from './compile-var.js'
import { at, show } from './issue-list.js'
import { type RollupSource } from './rollup-table.js'
import { Scope } from './scope.js'
import { extraKeys, isKey, isRecord } from './shape.js'
import type { RollupAggregate } from './spec.js'
import {
  DECIMAL,
  INTEGER,
  INVALID,
  type Typed,
  combineNumbers,
  describe,
  money,
  moneyScaleOf,
} from './value-type.js'

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
 * A stored total to start a rollup from: a rollup field of the row's form
 * that aggregates the same records through the same link in the same way
 * (sum, count, min or max of the same field), read as stored by this
 * reader, when the rollup's `where` is absent or an upper bound on one
 * field of those records (`date <= asOf`, the as-of shape). `excluded` is
 * the raw comparison selecting the records the bound leaves out: a sum or
 * count subtracts theirs; a minimum or maximum is taken from the stored
 * column for rows with no such record and computed afresh for the others.
 *
 * Why: an as-of total over a ledger reads nearly every record (all of them
 * as of today), while the records dated after the as-of day are few and
 * found through an index on the date. The stored column is maintained in
 * the same transaction as every write to those records, so within one
 * statement's snapshot `stored − later` is exactly the sum up to the day.
 */
interface StoredTotal {
  field: RollupField
  excluded?: { bound: unknown; operator: '>' | '>='; field: unknown }
}

const FLIPPED = { '<=': '>', '<': '>=' } as const

function storedTotal(
  scope: Scope,
  form: PublishedForm,
  link: FieldDefinition,
  agg: RollupAggregate,
  rawValue: unknown,
  rawWhere: unknown,
): StoredTotal | undefined {
  if (agg === 'avg') return undefined
  const summed = agg === 'count' ? undefined : plainVar(rawValue, form)
  if (agg !== 'count' && summed === undefined) return undefined
  if (agg === 'count' && rawValue !== undefined) return undefined

  const field = scope.form.definition.fields.find((candidate): candidate is RollupField =>
    candidate.type === 'rollup' && candidate.lines === undefined && candidate.form === form.key &&
    candidate.link === link.key && candidate.agg === agg && candidate.field === summed &&
    candidate.column !== undefined)
  if (!field) return undefined
  const readsStored = scope.context.source.readsStored
  if (!readsStored || !readsStored(scope.form, field.key)) return undefined
  if (rawWhere === undefined) return { field }

  const bound = upperBound(rawWhere, form)
  return bound ? { field, excluded: bound } : undefined
}

/** `{ "<=": [{ "var": f }, x] }` or `{ ">=": [x, { "var": f }] }` (also strict), f a field of the form. */
function upperBound(raw: unknown, form: PublishedForm): StoredTotal['excluded'] {
  if (!isRecord(raw)) return undefined
  const names = Object.keys(raw)
  if (names.length !== 1) return undefined
  const operator = names[0]
  const operands = raw[operator]
  if (!Array.isArray(operands) || operands.length !== 2) return undefined
  const [left, right] = operands
  if ((operator === '<=' || operator === '<') && plainVar(left, form) !== undefined) {
    return { field: left, operator: FLIPPED[operator], bound: right }
  }
  if ((operator === '>=' || operator === '>') && plainVar(right, form) !== undefined) {
    return { field: right, operator: FLIPPED[operator === '>=' ? '<=' : '<'], bound: left }
  }
  return undefined
}

/** The key of `{ "var": key }` when key is a field of the form with a column (no path). */
function plainVar(raw: unknown, form: PublishedForm): string | undefined {
  if (!isRecord(raw) || Object.keys(raw).length !== 1 || typeof raw.var !== 'string') return undefined
  const field = findField(form, raw.var)
  return field?.column !== undefined ? field.key : undefined
}

/**
 * The stored column less the aggregate of the records the bound leaves
 * out: those on the other side of it, and those where either side is empty
 * (the rollup's `where` is not true for them). That rest is a rolled-up
 * source of its own, grouped and joined like any other.
 */
async function fromStored(
  stored: StoredTotal,
  scope: Scope,
  form: PublishedForm,
  link: FieldDefinition,
  agg: RollupAggregate,
  raw: { value?: unknown; where?: unknown },
  path: string,
): Promise<Typed | undefined> {
  const column = await compileVar(stored.field.key, scope, path)
  if (column.type.kind === 'invalid') return undefined
  const additive = agg === 'sum' || agg === 'count'
  const total = additive ? sql`coalesce(${column.sql}, 0)` : column.sql
  if (!stored.excluded) return { sql: total, type: column.type }

  const source = await excludedSource(form, link, stored.excluded, raw.where, scope, at(path, 'where'))
  if (!source) return undefined
  const row = sql.id(scope.alias, 'id')
  if (additive) {
    const rest = await aggregateColumn(source, agg, raw.value, at(path, 'value'))
    if (!rest) return undefined
    const alias = joinSource(scope, source, undefined, row)
    return { sql: sql`(${total} - coalesce(${sql.id(alias, rest.name)}, 0))`, type: rest.type }
  }

  // A minimum or maximum cannot be undone: rows with a left-out record get
  // it from their records inside the bound, read only for those rows.
  const marker = await aggregateColumn(source, 'count', undefined, at(path, 'value'))
  if (!marker) return undefined
  const outside = joinSource(scope, source, undefined, row)
  const inside = await rolledUpSource(form, link, raw.where, scope, at(path, 'where'), source)
  if (!inside) return undefined
  const fresh = await aggregateColumn(inside, agg, raw.value, at(path, 'value'))
  if (!fresh) return undefined
  const alias = joinSource(scope, inside, undefined, row)
  return {
    sql: sql`(case when ${sql.id(outside, 'k')} is null then ${total} else ${sql.id(alias, fresh.name)} end)`,
    type: fresh.type,
  }
}

/** The rolled-up source of the records a bound leaves out (see fromStored). */
function excludedSource(
  form: PublishedForm,
  link: FieldDefinition,
  excluded: NonNullable<StoredTotal['excluded']>,
  rawWhere: unknown,
  scope: Scope,
  path: string,
): Promise<RollupSource | undefined> {
  return sourceOf(form, link, [{ excluded }], scope, async (inner) => {
    // The bound as written is checked as any rollup filter is, for the same messages.
    const checked = await rollupWhere(rawWhere, inner, path)
    const beyond = await compileExpr({ [excluded.operator]: [excluded.field, excluded.bound] }, inner, path)
    const value = await compileExpr(excluded.field, inner, path)
    const limit = await compileExpr(excluded.bound, inner, path)
    if (!checked || [beyond, value, limit].some((one) => one.type.kind === 'invalid')) return undefined
    return sql` and (${beyond.sql} or ${value.sql} is null or ${limit.sql} is null)`
  })
}

/**
 * The rolled-up source of these records and filter: found, or created with
 * its filter compiled. With `among`, only records linked to a key of that
 * other source (see fromStored).
 */
async function rolledUpSource(
  form: PublishedForm,
  link: FieldDefinition,
  rawWhere: unknown,
  scope: Scope,
  path: string,
  among?: RollupSource,
): Promise<RollupSource | undefined> {
  const source = await sourceOf(form, link, [rawWhere ?? null, among?.name ?? null], scope, async (inner) => {
    const where = await rollupWhere(rawWhere, inner, path)
    if (!where || !among) return where
    return sql`${where} and ${sql.id(inner.alias, columnOf(link))} in (select "k" from ${sql.id(among.name)})`
  })
  if (source && among) source.needs.add(among)
  return source
}

/**
 * The source of a form's records grouped by a link under a filter, found by
 * `key` among the statement's sources or created: a scope of its own, in
 * which `filter` compiles the " and (…)" after the link test (undefined
 * when it reported a problem).
 */
async function sourceOf(
  form: PublishedForm,
  link: FieldDefinition,
  key: unknown[],
  scope: Scope,
  filter: (inner: Scope) => Promise<RawBuilder<unknown> | undefined>,
): Promise<RollupSource | undefined> {
  const { context } = scope
  const name = JSON.stringify([form.key, link.key, ...key])
  const known = context.rollups.find(name)
  if (known) return known

  const inner = new Scope(form, context.nextAlias('t'), context, { allowsLets: false })
  const source = context.rollups.add(name, {
    scope: inner,
    linkColumn: sql.id(inner.alias, columnOf(link)),
    where: sql``,
  })
  inner.owner = source
  context.rollups.open.push(source)
  const where = await filter(inner)
  context.rollups.open.pop()
  if (!where) return undefined
  source.where = where
  return source
}

/** The column of the source holding this aggregate of this value, added if new. */
async function aggregateColumn(
  source: RollupSource,
  agg: RollupAggregate,
  rawValue: unknown,
  path: string,
): Promise<{ name: string; type: Typed['type'] } | undefined> {
  const { rollups } = source.scope.context
  const key = JSON.stringify([agg, rawValue ?? null])
  rollups.open.push(source)
  const value = await rollupValue(rawValue, agg, source.scope, path)
  rollups.open.pop()
  if (!value) return undefined

  const known = source.aggregates.find((one) => one.key === key)
  if (known) return { name: known.column, type: value.type }
  const name = `v${source.aggregates.length + 1}`
  source.aggregates.push({ key, column: name, sql: value.aggregate })
  return { name, type: value.type }
}

/** One join per source and target in a scope; a source read inside another is needed first. */
function joinSource(scope: Scope, source: RollupSource, on: unknown, target: RawBuilder<unknown>): string {
  const key = JSON.stringify([source.name, on ?? null])
  const known = scope.rollupJoins.get(key)
  if (known) return known

  const alias = scope.context.nextAlias('r')
  const condition = sql`${sql.id(alias, 'k')} = ${target}`
  scope.joins.push(sql`left join ${sql.id(source.name)} as ${sql.id(alias)} on ${condition}`)
  scope.rollupJoins.set(key, alias)
  scope.owner?.needs.add(source)
  if (!scope.discarded) source.used = true
  return alias
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
  if (raw === undefined) return { sql: sql.id(scope.alias, 'id'), form: scope.form.key }

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

async function rollupValue(
  raw: unknown,
  agg: RollupAggregate,
  inner: Scope,
  path: string,
): Promise<{ aggregate: RawBuilder<unknown>; type: Typed['type'] } | undefined> {
  const { issues } = inner.context
  if (raw === undefined) {
    if (agg === 'count') return { aggregate: sql`count(*)`, type: INTEGER }
    issues.add(path, 'required', {
      zh: `rollup 的 ${agg} 需要 value`,
      en: `a ${agg} rollup needs a value`,
    })
    return undefined
  }

  const value = await compileExpr(raw, inner, path)
  const kind = value.type.kind
  if (kind === 'invalid') return undefined
  if (agg === 'count') return { aggregate: sql`count(${value.sql})`, type: INTEGER }

  const numeric = kind === 'number' || kind === 'null'
  const orderable = numeric || kind === 'date' || kind === 'text' || kind === 'timestamp'
  if ((agg === 'min' || agg === 'max') ? !orderable : !numeric) {
    issues.add(path, 'type', {
      zh: `rollup 的 ${agg} 不能用于 ${describe(value.type)}`,
      en: `a ${agg} rollup cannot aggregate a ${describe(value.type)} value`,
    }, { received: describe(value.type) })
    return undefined
  }

  const fn = sql.raw(agg)
  const scale = moneyScaleOf(value.type)
  const type = agg === 'avg'
    ? (scale === undefined ? DECIMAL : money(scale))
    : agg === 'sum' ? combineNumbers([value.type]) : value.type
  return { aggregate: sql`${fn}(${value.sql})`, type }
}

/** The rollup's own filter, as " and (…)" after the link test, or "". */
async function rollupWhere(
  raw: unknown,
  inner: Scope,
  path: string,
): Promise<RawBuilder<unknown> | undefined> {
  if (raw === undefined) return sql``

  const where = await compileExpr(raw, inner, path)
  if (where.type.kind === 'invalid') return undefined
  if (where.type.kind !== 'boolean') {
    inner.context.issues.add(path, 'type', {
      zh: `rollup 的 where 须为布尔表达式，收到 ${describe(where.type)}`,
      en: `a rollup where must be a boolean expression, got ${describe(where.type)}`,
    }, { received: describe(where.type) })
    return undefined
  }
  return sql` and ${where.sql}`
}
