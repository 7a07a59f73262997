import { type RawBuilder, sql } from 'kysely'

import { compileExpr } from './compile-expr.js'
import { columnOf, findField } from './compile-var.js'
import { at, show } from './issue-list.js'
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

const PROPERTIES = ['form', 'link', 'agg', 'value', 'where']
const AGGREGATES: readonly RollupAggregate[] = ['sum', 'count', 'min', 'max', 'avg']

function invalid(): Typed {
  return { sql: sql`null`, type: INVALID }
}

/**
 * A rollup is one LEFT JOIN to a subquery that aggregates the other form by
 * its link column, joined on the row's id: Postgres aggregates once instead
 * of running a correlated subquery per row. Equal rollups share one join.
 *
 *   left join (select "t2"."invoice_id" as "k", sum("t2"."amount") as "v"
 *               from "app"."allocation" as "t2"
 *               where "t2"."invoice_id" is not null and (…) group by 1) as "r3"
 *     on "r3"."k" = "t0"."id"
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

  const link = typeof raw.link === 'string' ? findField(form, raw.link) : undefined
  if (!link || link.type !== 'link' || link.form !== scope.form.key) {
    issues.add(at(path, 'link'), 'link', {
      zh: `rollup 的 link 须为表单 ${form.key} 中指向 ${scope.form.key} 的链接字段，收到 ${show(raw.link)}`,
      en: `rollup link must be a link field of "${form.key}" pointing at "${scope.form.key}", got ${show(raw.link)}`,
    }, { received: raw.link })
    return invalid()
  }
  if (!agg || issues.size > before) return invalid()

  const key = JSON.stringify([form.key, link.key, agg, raw.value ?? null, raw.where ?? null])
  const known = scope.rollups.get(key)
  if (known) return known

  const inner = new Scope(form, scope.context.nextAlias('t'), scope.context, { allowsLets: false })
  const value = await rollupValue(raw.value, agg, inner, at(path, 'value'))
  const where = await rollupWhere(raw.where, inner, at(path, 'where'))
  if (!value || !where) return invalid()

  const alias = scope.context.nextAlias('r')
  const linkColumn = sql.id(inner.alias, columnOf(link))
  const select = sql`select ${linkColumn} as "k", ${value.aggregate} as "v"`
  const from = sql`from ${inner.from()} where ${linkColumn} is not null${where}`
  const on = sql`${sql.id(alias, 'k')} = ${sql.id(scope.alias, 'id')}`
  scope.joins.push(sql`left join (${select} ${from} group by 1) as ${sql.id(alias)} on ${on}`)

  const result = sql.id(alias, 'v')
  const typed: Typed = agg === 'sum' || agg === 'count'
    ? { sql: sql`coalesce(${result}, 0)`, type: value.type }
    : { sql: result, type: value.type }
  scope.rollups.set(key, typed)
  return typed
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
