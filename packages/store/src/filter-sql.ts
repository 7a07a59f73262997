import { sql, type RawBuilder } from 'kysely'
import { TesseraError, isIsoDate, localize, type FieldDefinition, type PublishedForm } from '@tessera/core'

/**
 * Compiles a list filter, a json-logic rule over one form's field keys, into
 * a SQL condition. Field keys resolve through the published definition and
 * values become parameters, so a filter can never inject SQL.
 *
 * Supported: and, or, !, ==, !=, <, <=, >, >= (a field against a value),
 * in (a field against an array literal; on a list field: holds any of them),
 * "contains" [field, text] for a case-insensitive substring, "startsWith"
 * [field, text] for a case-insensitive prefix (% and _ match literally), and
 * "between" [field, low, high], both bounds included. On a list field (multiple choice, several
 * members or departments) `==` and `!=` test whether the list holds the
 * value; attachments compare only with null. A comparison with null is "is (not) null".
 * Besides field keys, `var` may name the system fields id, _created_by,
 * _updated_by, _created_at and _updated_at.
 *
 * With `options.me` (row rules of roles), a value may also be
 * `{"var": "$me.<name>"}`: the acting user's value, sent as a parameter.
 * A missing one is SQL null, so the comparison is never true, even negated.
 *
 * @example
 * { "and": [ { "==": [ { "var": "status" }, "open" ] },
 *            { ">=": [ { "var": "amount" }, "1000" ] } ] }
 */
export function compileFilter(
  form: PublishedForm,
  rule: unknown,
  alias = 't',
  options: FilterOptions = {},
): RawBuilder<boolean> {
  return compile({ form, alias, me: options.me }, rule, 'filter')
}

export interface FilterOptions {
  /** Values of `{"var": "$me.<name>"}`; without it such a var is refused. */
  me?: Readonly<Record<string, string | number | null | undefined>>
}

interface FilterContext {
  form: PublishedForm
  alias: string
  me?: FilterOptions['me']
}

const SYSTEM_VARS: Record<string, string> = {
  id: 'id',
  _created_by: '_created_by',
  _updated_by: '_updated_by',
  _created_at: '_created_at',
  _updated_at: '_updated_at',
}

const COMPARISONS: Record<string, string> = {
  '==': '=',
  '!=': '<>',
  '<': '<',
  '<=': '<=',
  '>': '>',
  '>=': '>=',
}

/** Deeper rules are refused: Postgres would run out of stack on them first. */
export const MAX_FILTER_DEPTH = 32

function compile(context: FilterContext, rule: unknown, path: string, depth = 0): RawBuilder<boolean> {
  if (depth > MAX_FILTER_DEPTH) fail(path, `conditions nested at most ${MAX_FILTER_DEPTH} deep`, '…', `条件最多嵌套 ${MAX_FILTER_DEPTH} 层`)
  if (!isObject(rule)) fail(path, 'an operator object such as {"==": [{"var": "status"}, "open"]}', rule,
    '应为一个运算对象，例如 {"==": [{"var": "status"}, "open"]}')
  const entries = Object.entries(rule)
  if (entries.length !== 1) fail(path, 'exactly one operator', Object.keys(rule), '每个条件应恰有一个运算符')
  const [op, raw] = entries[0]
  const args = Array.isArray(raw) ? raw : [raw]
  const at = `${path}.${op}`

  if (op === 'and' || op === 'or') {
    if (args.length === 0) fail(at, 'at least one condition', args, '应至少有一个条件')
    const parts = args.map((a, i) => compile(context, a, `${at}[${i}]`, depth + 1))
    return sql<boolean>`(${sql.join(parts, sql.raw(` ${op} `))})`
  }
  if (op === '!') return sql<boolean>`not (${compile(context, args[0], `${at}[0]`, depth + 1)})`

  const column = fieldColumn(context, args[0], `${at}[0]`)
  const value = args[1]
  const mine = meValue(context, value, `${at}[1]`)
  const shape = columnShape(context, args[0])
  if (shape === 'files' && !(value === null && (op === '==' || op === '!='))) {
    fail(`${at}[1]`, 'null: attachments can only be filtered by whether there are any', value,
      '应为 null：附件只能按有无筛选')
  }
  if (shape === 'list' && (op === '==' || op === '!=') && value !== null) {
    // A list holds a value: {"==": [{"var": "owners"}, 7]} finds records naming user 7.
    const item = mine ? mine.value : value
    if (!mine) assertValue(context, args[0], value, `${at}[1]`)
    const holds = sql<boolean>`coalesce(${item} = any(${column}), false)`
    return op === '==' ? holds : sql<boolean>`not ${holds}`
  }
  if (op in COMPARISONS) {
    if (mine) return sql<boolean>`${column} ${sql.raw(COMPARISONS[op])} ${mine.value}`
    if (value === null && (op === '==' || op === '!=')) {
      return op === '==' ? sql<boolean>`${column} is null` : sql<boolean>`${column} is not null`
    }
    assertValue(context, args[0], value, `${at}[1]`)
    return sql<boolean>`${column} ${sql.raw(COMPARISONS[op])} ${value}`
  }
  if (op === 'in') {
    if (!Array.isArray(value) || value.length === 0) fail(`${at}[1]`, 'a non-empty array of values', value, '应为非空的值列表')
    value.forEach((v, i) => assertValue(context, args[0], v, `${at}[1][${i}]`))
    if (shape !== 'list') return sql<boolean>`${column} in (${sql.join(value)})`
    // A list holds one of the values.
    const holds = value.map((v) => sql<boolean>`${v} = any(${column})`)
    return sql<boolean>`coalesce(${sql.join(holds, sql` or `)}, false)`
  }
  if (op === 'contains' || op === 'startsWith') {
    if (typeof value !== 'string') fail(`${at}[1]`, 'a text', value, '应为文本')
    const pattern = op === 'contains' ? likePattern(value) : prefixPattern(value)
    return sql<boolean>`${column}::text ilike ${pattern}`
  }
  if (op === 'between') {
    if (args.length !== 3) fail(at, 'a field, a lower and an upper bound', args.slice(1), '应为一个字段、一个下限和一个上限')
    assertValue(context, args[0], value, `${at}[1]`)
    assertValue(context, args[0], args[2], `${at}[2]`)
    return sql<boolean>`${column} between ${value} and ${args[2]}`
  }
  return fail(path, 'one of and, or, !, ==, !=, <, <=, >, >=, in, contains, startsWith, between', op,
    '运算符应为 and、or、!、==、!=、<、<=、>、>=、in、contains、startsWith、between 之一')
}

function fieldColumn({ form, alias }: FilterContext, arg: unknown, path: string) {
  // Nothing beside the var: a reader of the rule (what fields it reads) must see what it compares.
  const key = isObject(arg) && Object.keys(arg).length === 1 ? arg.var : undefined
  if (typeof key !== 'string') fail(path, 'a field reference {"var": "<field key>"}', arg, '应为字段引用 {"var": "<字段键>"}')
  const system = Object.hasOwn(SYSTEM_VARS, key) ? SYSTEM_VARS[key] : undefined
  if (system) return sql.ref(`${alias}.${system}`)
  const field = form.definition.fields.find((f) => f.key === key)
  if (!field?.column) {
    fail(path, `a field of form "${form.key}"`, key, `应为「${localize(form.definition.label, 'zh-CN')}」的字段`)
  }
  return sql.ref(`${alias}.${field.column}`)
}

/**
 * How a field's column compares: a list (multiple choice, several members
 * or departments: `==` tests membership), attachments (jsonb: only empty
 * or not), or a plain value.
 */
function columnShape({ form }: FilterContext, arg: unknown): 'list' | 'files' | 'value' {
  const key = isObject(arg) ? arg.var : undefined
  const field = form.definition.fields.find((f) => f.key === key)
  if (!field) return 'value'
  if (field.type === 'attachment') return 'files'
  const many = field.type === 'multiselect' ||
    ((field.type === 'member' || field.type === 'department') && field.multiple === true)
  return many ? 'list' : 'value'
}

/** `{"var": "$me.id"}` → the acting user's value; undefined for anything else. */
function meValue(context: FilterContext, arg: unknown, path: string) {
  const name = isObject(arg) && typeof arg.var === 'string' && arg.var.startsWith('$me.')
    ? arg.var.slice(4)
    : undefined
  if (name === undefined) return undefined
  const { me } = context
  if (!me || !Object.hasOwn(me, name)) {
    const known = me ? Object.keys(me).map((k) => `$me.${k}`).join(', ') : 'none here'
    fail(path, `one of the acting user's values (${known})`, arg, `应为当前用户的属性之一（${known}）`)
  }
  return { value: me[name] ?? null }
}

/** A LIKE pattern matching `text` anywhere, with % and _ taken literally. */
export function likePattern(text: string): string {
  return `%${escapeLike(text)}%`
}

/** A LIKE pattern matching texts that begin with `text`. */
export function prefixPattern(text: string): string {
  return `${escapeLike(text)}%`
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`)
}

/** What values a field's column compares with. */
type ValueKind = 'number' | 'integer' | 'date' | 'timestamp' | 'boolean' | 'text'

const SYSTEM_KINDS: Record<string, ValueKind> = {
  id: 'integer', _created_by: 'text', _updated_by: 'text', _created_at: 'timestamp', _updated_at: 'timestamp',
}

function kindOf(field: FieldDefinition): ValueKind {
  switch (field.type) {
    case 'number':
    case 'money':
    case 'percent':
      return 'number'
    case 'date':
      return 'date'
    case 'datetime':
      return 'timestamp'
    case 'boolean':
      return 'boolean'
    case 'link':
    case 'member':
    case 'department':
      return 'integer'
    case 'formula':
      return field.result === 'date' ? 'date' : field.result === 'boolean' ? 'boolean'
        : ['number', 'money', 'percent'].includes(field.result) ? 'number' : 'text'
    case 'rollup':
      return field.agg === 'count' ? 'integer' : field.result?.type === 'date' ? 'date' : 'number'
    default:
      return 'text'
  }
}

const NUMBER = /^[-+]?(\d+(\.\d*)?|\.\d+)$/
const INTEGER = /^[-+]?\d{1,15}$/
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/

const EXPECTED: Record<ValueKind, { en: string; zh: string }> = {
  number: { en: 'a number such as "1200.50"', zh: '数字（如 "1200.50"）' },
  integer: { en: 'a whole number (a record, user or department id)', zh: '整数（记录、用户或部门的编号）' },
  date: { en: 'a real date "YYYY-MM-DD"', zh: '真实存在的日期 "YYYY-MM-DD"' },
  timestamp: { en: 'a date or time "YYYY-MM-DD" or "YYYY-MM-DDThh:mm"', zh: '日期或时间 "YYYY-MM-DD" 或 "YYYY-MM-DDThh:mm"' },
  boolean: { en: 'true or false', zh: 'true 或 false' },
  text: { en: 'a text, number or boolean value', zh: '文本、数字或布尔值' },
}

/**
 * A value must suit the field it is compared with, so that a bad one is
 * refused here, naming the field, rather than by the database.
 */
function assertValue({ form }: FilterContext, arg: unknown, value: unknown, path: string) {
  assertScalar(value, path)
  const key = isObject(arg) ? arg.var : undefined
  if (typeof key !== 'string') return
  const field = form.definition.fields.find((f) => f.key === key)
  const kind = Object.hasOwn(SYSTEM_KINDS, key) ? SYSTEM_KINDS[key] : field ? kindOf(field) : 'text'
  const text = typeof value === 'number' ? String(value) : value
  const ok = {
    number: typeof text === 'string' && NUMBER.test(text.trim()),
    integer: typeof text === 'string' && INTEGER.test(text.trim()),
    date: isIsoDate(text),
    timestamp: typeof text === 'string' && TIMESTAMP.test(text) && !Number.isNaN(Date.parse(text)) &&
      isIsoDate(text.slice(0, 10)),
    boolean: typeof value === 'boolean' || text === 'true' || text === 'false',
    text: true,
  }[kind]
  if (!ok) {
    const name = field ? `「${typeof field.label === 'string' ? field.label : field.label['zh-CN']}」` : key
    // Named by the field, so the reader needs no path into the filter's JSON (details keep it).
    fail(path, `${EXPECTED[kind].en} for "${key}"`, value, `${name}的值应为${EXPECTED[kind].zh}`, false)
  }
}

function assertScalar(value: unknown, path: string) {
  const ok = typeof value === 'string' || typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  if (!ok) fail(path, 'a text, number or boolean value', value, '应为文本、数字或是非值')
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Paths start at "filter" ("filter.and[1].==[0]"): they name the request's parameter already. */
function fail(path: string, expected: string, received: unknown, expectedZh: string, showPath = true): never {
  const shown = String(JSON.stringify(received)).slice(0, 100)
  const at = path.slice(0, 200)
  const en = `the filter is not valid at ${at}: expected ${expected}, got ${shown}`
  const zh = showPath ? `筛选条件有误（${at}）：${expectedZh}，收到 ${shown}` : `筛选条件有误：${expectedZh}，收到 ${shown}`
  throw new TesseraError('request.invalid', en, {
    details: { path: at, expected, received: shown },
    issues: [{ field: 'filter', rule: 'filter', message: en, expected, received: shown }],
    messages: { en, 'zh-CN': zh },
  })
}
