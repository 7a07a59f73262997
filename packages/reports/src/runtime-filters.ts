import { type RawBuilder, sql } from 'kysely'

import { isDecimalString, isIsoDate, localize } from '@tessera/core'
import { likePattern } from '@tessera/store'

import { asDate } from './coerce.js'
import { compileVar } from './compile-var.js'
import { at, show } from './issue-list.js'
import type { Scope } from './scope.js'
import { isRecord } from './shape.js'
import { describe, type Typed, type ValueType } from './value-type.js'

/**
 * A condition added at run time (by a dashboard's global filter) on a
 * field of the source form or a path through its links. `values` keeps rows
 * whose field is one of them (null: empty); `from`/`to` keep a range, both
 * ends included; `contains` keeps text fields holding that text, in any
 * case. Values are sent as typed parameters.
 *
 * @example
 * { "field": "customer.region", "values": ["华东", "华北"] }
 * { "field": "invoice_date", "from": "2024-01-01", "to": "2024-03-31" }
 * { "field": "customer.name", "contains": "钢" }
 */
export interface ReportFilter {
  field: string
  values?: Array<string | number | boolean | null>
  from?: string | number
  to?: string | number
  contains?: string
  /**
   * Where the filter came from, as the caller wants a refusal to name it
   * (`query.f.region`, `query.filter.customer.region`); else `filters[i]`.
   */
  origin?: string
}

const MAX_VALUES = 1000

/**
 * Compiles run-time filters against the source scope (joins are added as
 * for any var). Problems go to the scope's issue list under "filters[i]".
 */
export async function compileFilters(
  filters: readonly unknown[],
  scope: Scope,
): Promise<Array<RawBuilder<unknown>>> {
  const conditions: Array<RawBuilder<unknown>> = []
  for (const [index, raw] of filters.entries()) {
    const origin = isRecord(raw) && typeof raw.origin === 'string' ? raw.origin : undefined
    const condition = await compileFilter(raw, scope, at('filters', index), origin)
    if (condition) conditions.push(condition)
  }
  return conditions
}

async function compileFilter(
  raw: unknown,
  scope: Scope,
  listed: string,
  origin: string | undefined,
): Promise<RawBuilder<unknown> | undefined> {
  // A filter from a query part is named by it, whatever part of it is wrong.
  const path = origin ?? listed
  const within = (...parts: Array<string | number>) =>
    origin ?? parts.reduce<string>((named, part) => at(named, part), listed)
  const { issues } = scope.context
  const shapeOk = isRecord(raw) && typeof raw.field === 'string' &&
    (raw.values !== undefined || raw.from !== undefined || raw.to !== undefined || raw.contains !== undefined)
  if (!shapeOk) {
    issues.add(path, 'type', {
      zh: '筛选须为 { field, values }、{ field, from?, to? } 或 { field, contains }',
      en: 'a filter must be { field, values }, { field, from?, to? } or { field, contains }',
    }, { received: raw })
    return undefined
  }

  const read = await compileVar(raw.field, scope, within('field'))
  if (read.type.kind === 'invalid') return undefined
  // A timestamp is filtered by its calendar date in the company time zone.
  const field = read.type.kind === 'timestamp'
    ? asDate({ typed: read, path: within('field') }, scope)
    : read
  if (raw.values !== undefined) return valuesCondition(field, raw.values, scope, within)
  if (raw.contains !== undefined) return containsCondition(field, raw.contains, scope, within('contains'))

  const parts: Array<RawBuilder<unknown>> = []
  for (const [name, operator] of [['from', '>='], ['to', '<=']] as const) {
    if (raw[name] === undefined || raw[name] === '') continue
    const value = typedValue(field.type, raw[name], scope, within(name))
    if (!value) return undefined
    parts.push(sql`${field.sql} ${sql.raw(operator)} ${value}`)
  }
  return parts.length === 0 ? undefined : sql`(${sql.join(parts, sql` and `)})`
}

function valuesCondition(
  field: Typed,
  raw: unknown,
  scope: Scope,
  within: (...parts: Array<string | number>) => string,
): RawBuilder<unknown> | undefined {
  const list = Array.isArray(raw) ? raw : [raw]
  const path = within('values')
  if (list.length === 0 || list.length > MAX_VALUES) {
    scope.context.issues.add(path, 'type', {
      zh: `values 须有 1 到 ${MAX_VALUES} 个值`,
      en: `values must hold 1 to ${MAX_VALUES} values`,
    }, { received: list.length })
    return undefined
  }

  const empty = list.includes(null)
  const items: Array<RawBuilder<unknown>> = []
  for (const [index, value] of list.entries()) {
    if (value === null) continue
    const itemPath = within('values', index)
    const code = field.choices ? choiceOf(field.choices, value, scope, itemPath) : value
    if (code === undefined) return undefined
    const item = typedValue(field.type, code, scope, itemPath)
    if (!item) return undefined
    items.push(item)
  }
  const tests: Array<RawBuilder<unknown>> = []
  if (items.length > 0) tests.push(sql`${field.sql} in (${sql.join(items)})`)
  if (empty) tests.push(sql`${field.sql} is null`)
  return sql`(${sql.join(tests, sql` or `)})`
}

/**
 * A select field keeps only its options' codes: a code is taken as it is,
 * and a label (纸质, or Paper) that names exactly one option as its code, so
 * that a link typed or read by a person works. Any other value would match
 * nothing: it is refused, naming the options (code and label).
 */
function choiceOf(
  choices: NonNullable<Typed['choices']>,
  value: unknown,
  scope: Scope,
  path: string,
): unknown {
  if (choices.some((choice) => choice.value === value)) return value
  const labelled = choices.filter((choice) =>
    localize(choice.label, 'zh-CN') === value || localize(choice.label, 'en') === value)
  if (labelled.length === 1) return labelled[0].value
  const zh = choices.map((choice) => `${choice.value}（${localize(choice.label, 'zh-CN')}）`).join('、')
  const en = choices.map((choice) => `${choice.value} (${localize(choice.label, 'en')})`).join(', ')
  scope.context.issues.add(path, 'enum', {
    zh: `筛选值须为该字段的选项之一：${zh}，收到 ${show(value)}`,
    en: `a filter value here must be one of the field's options: ${en}, got ${show(value)}`,
  }, { expected: choices.map((choice) => choice.value), received: value })
  return undefined
}

/** Text holding `raw` anywhere, in any case; `%`, `_` and `\` match themselves. */
function containsCondition(
  field: Typed,
  raw: unknown,
  scope: Scope,
  path: string,
): RawBuilder<unknown> | undefined {
  if (field.type.kind !== 'text' || typeof raw !== 'string' || raw === '' || raw.length > 200) {
    scope.context.issues.add(path, 'type', {
      zh: `contains 须为 1 到 200 字的文本，且只用于文本字段，收到 ${show(raw)}（字段为 ${describe(field.type)}）`,
      en: `contains takes a text of 1 to 200 characters on a text field, got ${show(raw)} on a ${describe(field.type)}`,
    }, { expected: 'text', received: raw })
    return undefined
  }
  return sql`(${field.sql} ilike ${likePattern(raw)}::text)`
}

/** A request value as a parameter of the field's type; query strings give texts. */
function typedValue(
  type: ValueType,
  value: unknown,
  scope: Scope,
  path: string,
): RawBuilder<unknown> | undefined {
  switch (type.kind) {
    case 'text':
      if (typeof value === 'string') return sql`${value}::text`
      break
    case 'number':
      if (typeof value === 'number' && Number.isFinite(value)) return sql`${value}::numeric`
      if (isDecimalString(value)) return sql`${value}::numeric`
      break
    case 'date':
      if (isIsoDate(value)) return sql`${value}::date`
      break
    case 'boolean':
      if (typeof value === 'boolean') return sql`${value}::boolean`
      if (value === 'true' || value === 'false') return sql`${value === 'true'}::boolean`
      break
  }

  const expected = describe(type)
  scope.context.issues.add(path, 'type', {
    zh: `筛选值须为 ${expected}，收到 ${show(value)}`,
    en: `a filter value here must be a ${expected}, got ${show(value)}`,
  }, { expected, received: value })
  return undefined
}
