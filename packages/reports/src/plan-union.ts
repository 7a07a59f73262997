import { type RawBuilder, sql } from 'kysely'

import type { FieldDefinition, PublishedForm } from '@tessera/core'

import { compileExpr } from './compile-expr.js'
import type { CompileContext } from './compile-context.js'
import { findField, recordTitle } from './compile-var.js'
import { at, show } from './issue-list.js'
import { Scope } from './scope.js'
import { extraKeys, isKey, isLocalizedText, isRecord } from './shape.js'
import { markUnionForm } from './union-form.js'
import type { ReportUnionColumnType } from './spec.js'
import { type Typed, type ValueType, describe } from './value-type.js'

export const MAX_UNION_FORMS = 8
export const MAX_UNION_COLUMNS = 32

const COLUMN_TYPES: readonly ReportUnionColumnType[] = ['text', 'date', 'money', 'number', 'integer', 'link']
const UNION_PROPERTIES = ['columns', 'from']
const COLUMN_PROPERTIES = ['key', 'label', 'type', 'form', 'scale']
const BRANCH_PROPERTIES = ['form', 'values', 'where']

/** The rows of several forms as one: a form of its own for the rest of the report. */
export interface PlannedUnion {
  /** A form made of the union's columns, read like any form (links and all). */
  form: PublishedForm
  /**
   * `select … from <form> union all select … from <form> …`, each in the
   * reader's row scope, each row with its record's `id` and its form's key
   * (`__form`) beside the columns.
   */
  rows: RawBuilder<unknown>
}

/**
 * Plans a spec's `union`: its columns, then each form's values for them,
 * compiled in a scope of that form (its links, params and rollups; no
 * lets), cast to the column's type, with the form's own `where`. Problems
 * are added to the context's issues; undefined when the union is unusable.
 *
 * @example
 * { "columns": [{ "key": "customer", "type": "link", "form": "customer" }, { "key": "date", "type": "date" },
 *               { "key": "debit", "type": "money" }, { "key": "credit", "type": "money" }],
 *   "from": [
 *     { "form": "invoice", "values": { "customer": { "var": "customer" }, "date": { "var": "invoice_date" },
 *                                      "debit": { "var": "amount" }, "credit": 0 } },
 *     { "form": "receipt", "values": { "customer": { "var": "customer" }, "date": { "var": "date" },
 *                                      "debit": 0, "credit": { "var": "amount" } } } ] }
 */
export async function planUnion(raw: unknown, context: CompileContext): Promise<PlannedUnion | undefined> {
  const { issues } = context
  if (!isRecord(raw)) {
    issues.add('union', 'type', {
      zh: 'union 须为 { columns, from } 对象',
      en: 'union must be an object { columns, from }',
    }, { received: raw })
    return undefined
  }
  for (const name of extraKeys(raw, UNION_PROPERTIES)) {
    issues.add(at('union', name), 'unknown_property', {
      zh: `union 不支持属性 ${name}`,
      en: `a union has no property "${name}"`,
    }, { expected: UNION_PROPERTIES })
  }
  const columns = await planColumns(raw.columns, context)
  if (!Array.isArray(raw.from) || raw.from.length < 1 || raw.from.length > MAX_UNION_FORMS) {
    issues.add('union.from', 'type', {
      zh: `union.from 须为 1 到 ${MAX_UNION_FORMS} 个表单的列表`,
      en: `union.from must list 1 to ${MAX_UNION_FORMS} forms`,
    }, { received: Array.isArray(raw.from) ? raw.from.length : raw.from })
    return undefined
  }
  if (!columns) return undefined

  const branches: Array<RawBuilder<unknown>> = []
  const forms: string[] = []
  for (const [index, branch] of raw.from.entries()) {
    const planned = await planBranch(branch, `union.from[${index}]`, columns, context)
    if (!planned) continue
    branches.push(planned.rows)
    if (!forms.includes(planned.form)) forms.push(planned.form)
  }
  if (branches.length !== raw.from.length) return undefined

  const form: PublishedForm = {
    app: '',
    key: 'union',
    version: 0,
    definition: { fields: columns.map((column) => column.field) } as unknown as PublishedForm['definition'],
    table: { schema: '', name: '' },
  }
  markUnionForm(form, forms)
  return { form, rows: sql.join(branches, sql` union all `) }
}

interface UnionColumn {
  key: string
  type: ReportUnionColumnType
  /** The form a link column points at. */
  form?: string
  /** A money column's decimals. */
  scale?: number
  field: FieldDefinition
}

async function planColumns(raw: unknown, context: CompileContext): Promise<UnionColumn[] | undefined> {
  const { issues } = context
  if (!Array.isArray(raw) || raw.length < 1 || raw.length > MAX_UNION_COLUMNS) {
    issues.add('union.columns', 'type', {
      zh: `union.columns 须为 1 到 ${MAX_UNION_COLUMNS} 列的列表`,
      en: `union.columns must list 1 to ${MAX_UNION_COLUMNS} columns`,
    }, { received: Array.isArray(raw) ? raw.length : raw })
    return undefined
  }
  const columns: UnionColumn[] = []
  const seen = new Set<string>()
  for (const [index, column] of raw.entries()) {
    const path = `union.columns[${index}]`
    if (!isRecord(column)) {
      issues.add(path, 'type', { zh: '列须为 { key, type } 对象', en: 'a column must be an object { key, type }' })
      continue
    }
    for (const name of extraKeys(column, COLUMN_PROPERTIES)) {
      issues.add(at(path, name), 'unknown_property', {
        zh: `union 的列不支持属性 ${name}`,
        en: `a union column has no property "${name}"`,
      }, { expected: COLUMN_PROPERTIES })
    }
    const { key, type, label } = column
    if (!isKey(key) || key === 'id' || key.startsWith('_')) {
      issues.add(at(path, 'key'), 'key', {
        zh: `列键须为小写字母开头的蛇形命名（不能是 id 或以 _ 开头），收到 ${show(key)}`,
        en: `a column key must be lower snake case (not id, not starting with _), got ${show(key)}`,
      }, { received: key })
      continue
    }
    if (seen.has(key)) {
      issues.add(at(path, 'key'), 'duplicate', { zh: `列 ${key} 重复`, en: `column "${key}" is listed twice` })
      continue
    }
    seen.add(key)
    if (label !== undefined && !isLocalizedText(label)) {
      issues.add(at(path, 'label'), 'type', {
        zh: 'label 须为文本或 { "zh-CN", "en" }',
        en: 'label must be a text or { "zh-CN", "en" }',
      })
    }
    if (typeof type !== 'string' || !(COLUMN_TYPES as readonly string[]).includes(type)) {
      issues.add(at(path, 'type'), 'type', {
        zh: `列类型须为 ${COLUMN_TYPES.join('、')} 之一，收到 ${show(type)}`,
        en: `a column type is one of ${COLUMN_TYPES.join(', ')}, got ${show(type)}`,
      }, { expected: COLUMN_TYPES, received: type })
      continue
    }
    const scale = column.scale
    if (scale !== undefined && (type !== 'money' || !Number.isInteger(scale) || Number(scale) < 0 || Number(scale) > 6)) {
      issues.add(at(path, 'scale'), 'type', {
        zh: 'scale 只用于 money 列，须为 0 到 6 的整数',
        en: 'scale is for money columns only, an integer from 0 to 6',
      }, { received: scale })
    }
    let target: string | undefined
    if (type === 'link') {
      const linked = isKey(column.form) ? await context.forms.find(column.form) : undefined
      if (!linked) {
        issues.add(at(path, 'form'), 'unknown_form', {
          zh: `链接列须以 form 指向一个已发布的表单，收到 ${show(column.form)}`,
          en: `a link column names a published form in "form", got ${show(column.form)}`,
        }, { received: column.form })
        continue
      }
      target = linked.key
    } else if (column.form !== undefined) {
      issues.add(at(path, 'form'), 'unknown_property', {
        zh: 'form 只用于 link 列',
        en: 'form is for link columns only',
      })
    }
    const shown = isLocalizedText(label) ? label : key
    const field = columnField(key, type as ReportUnionColumnType, shown, target, typeof scale === 'number' ? scale : undefined)
    columns.push({
      key, type: type as ReportUnionColumnType, ...(target ? { form: target } : {}),
      ...(typeof scale === 'number' ? { scale } : {}), field,
    })
  }
  return columns.length === raw.length ? columns : undefined
}

/** The field a column reads as: the rest of the report names it by `var`, through links too. */
function columnField(
  key: string,
  type: ReportUnionColumnType,
  label: FieldDefinition['label'],
  form: string | undefined,
  scale: number | undefined,
): FieldDefinition {
  const base = { key, label, column: key }
  switch (type) {
    case 'link':
      return { ...base, type: 'link', form } as FieldDefinition
    case 'money':
      return { ...base, type: 'money', ...(scale === undefined ? {} : { scale }) } as FieldDefinition
    case 'integer':
      return { ...base, type: 'number', integer: true } as FieldDefinition
    default:
      return { ...base, type } as FieldDefinition
  }
}

async function planBranch(
  raw: unknown,
  path: string,
  columns: UnionColumn[],
  context: CompileContext,
): Promise<{ form: string; rows: RawBuilder<unknown> } | undefined> {
  const { issues } = context
  if (!isRecord(raw)) {
    issues.add(path, 'type', { zh: '须为 { form, values } 对象', en: 'must be an object { form, values }' })
    return undefined
  }
  for (const name of extraKeys(raw, BRANCH_PROPERTIES)) {
    issues.add(at(path, name), 'unknown_property', {
      zh: `union.from 的项不支持属性 ${name}`,
      en: `a union form has no property "${name}"`,
    }, { expected: BRANCH_PROPERTIES })
  }
  const form = isKey(raw.form) ? await context.forms.find(raw.form) : undefined
  if (!form) {
    issues.add(at(path, 'form'), 'unknown_form', {
      zh: `表单 ${show(raw.form)} 未发布`,
      en: `form ${show(raw.form)} is not a published form`,
    }, { received: raw.form })
    return undefined
  }
  const values = isRecord(raw.values) ? raw.values : undefined
  if (!values) {
    issues.add(at(path, 'values'), 'type', {
      zh: 'values 须为以列键为键的表达式对象',
      en: 'values must be an object of expressions by column key',
    }, { received: raw.values })
    return undefined
  }
  const known = new Set(columns.map((column) => column.key))
  for (const key of Object.keys(values).filter((key) => !known.has(key))) {
    issues.add(at(at(path, 'values'), key), 'unknown_key', {
      zh: `union 没有列 ${key}`,
      en: `the union has no column "${key}"`,
    }, { expected: [...known], received: key })
  }

  const scope = new Scope(form, context.nextAlias('t'), context, { allowsLets: false })
  const selected: Array<RawBuilder<unknown>> = []
  for (const column of columns) {
    const here = at(at(path, 'values'), column.key)
    // A column a form leaves out is empty on its rows.
    const value = Object.hasOwn(values, column.key) ? await compileExpr(values[column.key], scope, here) : undefined
    if (value) await checkValue(value, values[column.key], column, form, here, context)
    const cast = sql`cast(${value?.sql ?? sql`null`} as ${sql.raw(sqlType(column))})`
    // Money holds its scale, as a money field does: lines and their sums agree to the cent.
    const held = column.type === 'money' ? sql`round(${cast}, ${sql.lit(column.scale ?? 2)})` : cast
    selected.push(sql`${held} as ${sql.id(column.key)}`)
  }
  let where = sql``
  if (raw.where !== undefined) {
    const condition = await compileExpr(raw.where, scope, at(path, 'where'))
    if (condition.type.kind !== 'boolean' && condition.type.kind !== 'invalid') {
      issues.add(at(path, 'where'), 'type', {
        zh: `where 须为条件，收到 ${describe(condition.type)}`,
        en: `where must be a condition, got ${describe(condition.type)}`,
      })
    }
    where = sql` where ${condition.sql}`
  }
  // Which record a row is, and its title as lists show it, for a drill to list the records behind a
  // figure (form keys are lower snake case).
  selected.push(
    sql`${sql.id(scope.alias, 'id')} as "id"`,
    sql`cast(${sql.lit(form.key)} as text) as "__form"`,
    sql`${recordTitle(form, scope.alias)} as "__title"`,
  )
  return { form: form.key, rows: sql`select ${sql.join(selected)} from ${scope.from()}${where}` }
}

function sqlType(column: UnionColumn): string {
  switch (column.type) {
    case 'link':
    case 'integer':
      return 'bigint'
    case 'money':
    case 'number':
      return 'numeric'
    default:
      return column.type
  }
}

/** A value fits its column: a date for a date, a number for money, a link to the column's form for a link. */
async function checkValue(
  value: Typed,
  raw: unknown,
  column: UnionColumn,
  form: PublishedForm,
  path: string,
  context: CompileContext,
): Promise<void> {
  const kind = value.type.kind
  if (kind === 'invalid' || kind === 'null') return
  const expected: Record<ReportUnionColumnType, (type: ValueType) => boolean> = {
    text: (type) => type.kind === 'text',
    date: (type) => type.kind === 'date',
    money: (type) => type.kind === 'number',
    number: (type) => type.kind === 'number',
    integer: (type) => type.kind === 'number' && type.integer,
    link: (type) => type.kind === 'number' && type.integer,
  }
  if (!expected[column.type](value.type)) {
    context.issues.add(path, 'type', {
      zh: `列 ${column.key} 是 ${column.type}，这里给的是 ${describe(value.type)}`,
      en: `column "${column.key}" is ${column.type}, got ${describe(value.type)}`,
    }, { expected: column.type, received: describe(value.type) })
    return
  }
  if (column.type !== 'link') return
  const target = isRecord(raw) && typeof raw.var === 'string' ? await linkTarget(form, raw.var, context) : undefined
  if (target !== column.form) {
    context.issues.add(path, 'type', {
      zh: `链接列 ${column.key} 须取指向表单 ${column.form} 的链接字段（如 { "var": "customer" }）`,
      en: `link column "${column.key}" takes a link field pointing at form "${column.form}" (such as { "var": "customer" })`,
    }, { expected: column.form, received: target ?? raw })
  }
}

/** The form a path of links ends pointing at: "invoice.customer" on a write-off → "customer". */
async function linkTarget(form: PublishedForm, path: string, context: CompileContext): Promise<string | undefined> {
  let here: PublishedForm | undefined = form
  let target: string | undefined
  for (const segment of path.split('.')) {
    const field: FieldDefinition | undefined = here ? findField(here, segment) : undefined
    if (!field || field.type !== 'link') return undefined
    target = field.form
    here = await context.forms.find(field.form)
  }
  return target
}
