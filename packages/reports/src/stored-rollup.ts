import { sql } from 'kysely'

import type { FieldDefinition, PublishedForm, RollupField } from '@tessera/core'

import { compileExpr } from './compile-expr.js'
import { compileVar, findField } from './compile-var.js'
import { at } from './issue-list.js'
import { aggregateColumn, joinSource, rolledUpSource, rollupWhere, sourceOf } from './rolled-up-sources.js'
import { type RollupSource } from './rollup-table.js'
import type { Scope } from './scope.js'
import { isRecord } from './shape.js'
import type { RollupAggregate } from './spec.js'
import type { Typed } from './value-type.js'

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
export interface StoredTotal {
  field: RollupField
  excluded?: { bound: unknown; operator: '>' | '>='; field: unknown }
}

const FLIPPED = { '<=': '>', '<': '>=' } as const

export function storedTotal(
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
export async function fromStored(
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

