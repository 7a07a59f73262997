import { sql, type RawBuilder } from 'kysely'
import { TesseraError, type PublishedForm } from '@tessera/core'

/**
 * Compiles a list filter, a json-logic rule over one form's field keys, into
 * a SQL condition. Field keys resolve through the published definition and
 * values become parameters, so a filter can never inject SQL.
 *
 * Supported: and, or, !, ==, !=, <, <=, >, >= (a field against a value),
 * in (a field against an array literal), and "contains" [field, text] for a
 * case-insensitive substring. A comparison with null is "is (not) null".
 *
 * @example
 * { "and": [ { "==": [ { "var": "status" }, "open" ] },
 *            { ">=": [ { "var": "amount" }, "1000" ] } ] }
 */
export function compileFilter(form: PublishedForm, rule: unknown, alias = 't'): RawBuilder<boolean> {
  return compile(form, rule, alias, 'filter')
}

const COMPARISONS: Record<string, string> = {
  '==': '=',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
}

function compile(form: PublishedForm, rule: unknown, alias: string, path: string): RawBuilder<boolean> {
  if (!isObject(rule)) fail(path, 'an operator object such as {"==": [{"var": "status"}, "open"]}', rule)
  const entries = Object.entries(rule)
  if (entries.length !== 1) fail(path, 'exactly one operator', Object.keys(rule))
  const [op, raw] = entries[0]
  const args = Array.isArray(raw) ? raw : [raw]
  const at = `${path}.${op}`

  if (op === 'and' || op === 'or') {
    if (args.length === 0) fail(at, 'at least one condition', args)
    const parts = args.map((a, i) => compile(form, a, alias, `${at}[${i}]`))
    return sql<boolean>`(${sql.join(parts, sql.raw(` ${op} `))})`
  }
  if (op === '!') return sql<boolean>`not (${compile(form, args[0], alias, `${at}[0]`)})`

  const column = fieldColumn(form, args[0], alias, `${at}[0]`)
  const value = args[1]
  if (op in COMPARISONS) {
    if (value === null && (op === '==' || op === '!=')) {
      return op === '==' ? sql<boolean>`${column} is null` : sql<boolean>`${column} is not null`
    }
    assertScalar(value, `${at}[1]`)
    return sql<boolean>`${column} ${sql.raw(COMPARISONS[op])} ${value}`
  }
  if (op === 'in') {
    if (!Array.isArray(value) || value.length === 0) fail(`${at}[1]`, 'a non-empty array of values', value)
    value.forEach((v, i) => assertScalar(v, `${at}[1][${i}]`))
    return sql<boolean>`${column} in (${sql.join(value)})`
  }
  if (op === 'contains') {
    if (typeof value !== 'string') fail(`${at}[1]`, 'a text', value)
    return sql<boolean>`${column}::text ilike ${likePattern(value)}`
  }
  return fail(path, 'one of and, or, !, ==, !=, <, <=, >, >=, in, contains', op)
}

function fieldColumn(form: PublishedForm, arg: unknown, alias: string, path: string) {
  const key = isObject(arg) ? arg.var : undefined
  if (typeof key !== 'string') fail(path, 'a field reference {"var": "<field key>"}', arg)
  if (key === 'id') return sql.ref(`${alias}.id`)
  const field = form.definition.fields.find((f) => f.key === key)
  if (!field) fail(path, `a field of form "${form.key}"`, key)
  return sql.ref(`${alias}.${field.column}`)
}

/** A LIKE pattern matching `text` anywhere, with % and _ taken literally. */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
}

function assertScalar(value: unknown, path: string) {
  const ok = typeof value === 'string' || typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  if (!ok) fail(path, 'a text, number or boolean value', value)
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function fail(path: string, expected: string, received: unknown): never {
  throw new TesseraError('request.invalid', `filter ${path}: expected ${expected}, got ${JSON.stringify(received)}`, {
    details: { path, expected, received },
  })
}
