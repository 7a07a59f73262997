import { type RawBuilder, sql } from 'kysely'

import type { FieldDefinition, PublishedForm } from '@tessera/core'

import { compileExpr } from './compile-expr.js'
import { columnOf } from './compile-var.js'
import { type RollupSource } from './rollup-table.js'
import { Scope } from './scope.js'
import type { RollupAggregate } from './spec.js'
import {
  DECIMAL,
  INTEGER,
  type Typed,
  combineNumbers,
  describe,
  money,
  moneyScaleOf,
} from './value-type.js'

/*
 * The rolled-up sources a rollup reads (see RollupTable): found or created
 * with their filter, given aggregate columns, and joined to a scope.
 */

/**
 * The rolled-up source of these records and filter: found, or created with
 * its filter compiled. With `among`, only records linked to a key of that
 * other source (see fromStored).
 */
export async function rolledUpSource(
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
export async function sourceOf(
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
export async function aggregateColumn(
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
export function joinSource(scope: Scope, source: RollupSource, on: unknown, target: RawBuilder<unknown>): string {
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
export async function rollupWhere(
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

