import { type RawBuilder, sql } from 'kysely'

import type { FieldDefinition, PublishedForm } from '@tessera/core'

import { show } from './issue-list.js'
import { isUnionForm } from './union-form.js'
import type { JoinedForm, Scope } from './scope.js'
import { own } from './shape.js'
import {
  BOOLEAN,
  DATE,
  DECIMAL,
  INTEGER,
  INVALID,
  TEXT,
  TIMESTAMP,
  type Typed,
  type ValueType,
  money,
} from './value-type.js'

/** System columns a `var` may name, at the end of any path. */
const SYSTEM_FIELDS: Record<string, ValueType> = {
  id: INTEGER,
  _version: INTEGER,
  _created_at: TIMESTAMP,
  _created_by: TEXT,
  _updated_at: TIMESTAMP,
  _updated_by: TEXT,
}

/** The column a field got at first publish (the conventions when unset). */
export function columnOf(field: FieldDefinition): string {
  if (field.column) return field.column
  return field.type === 'link' ? `${field.key}_id` : field.key
}

/** A record's title as its lists show it: the form's title field, else "#<id>". */
export function recordTitle(form: PublishedForm, alias: string): RawBuilder<unknown> {
  const key = form.definition.titleField
  const field = key === undefined ? undefined : findField(form, key)
  if (!field) return sql`('#' || ${sql.id(alias, 'id')}::text)`
  return sql`cast(${sql.id(alias, columnOf(field))} as text)`
}

/**
 * The value type a field reads as in a report; undefined for a field type
 * reports do not know (its var is refused, naming the type).
 */
export function fieldType(field: FieldDefinition): ValueType | undefined {
  switch (field.type) {
    case 'text':
    case 'select':
    case 'phone':
    case 'email':
    case 'bank_account':
    case 'region':
    case 'uscc':
      return TEXT
    case 'number':
      return field.integer ? INTEGER : DECIMAL
    case 'percent':
      return DECIMAL
    case 'money':
      return money(field.scale ?? 2)
    case 'date':
      return DATE
    case 'datetime':
      return TIMESTAMP
    case 'boolean':
      return BOOLEAN
    case 'link':
      return INTEGER
    // Computed fields that are stored read like their result; lookups and
    // line items have no column of their own.
    case 'autonumber':
      return TEXT
    case 'formula':
      return computedType(field.result, field.scale)
    case 'rollup':
      return field.agg === 'count' ? INTEGER : computedType(field.result?.type ?? 'number', field.result?.scale)
    default:
      return undefined
  }
}

function computedType(result: string, scale: number | undefined): ValueType {
  switch (result) {
    case 'money':
      return money(scale ?? 2)
    case 'number':
      return scale === 0 ? INTEGER : DECIMAL
    case 'percent':
      return DECIMAL
    case 'date':
      return DATE
    case 'boolean':
      return BOOLEAN
    default:
      return TEXT
  }
}

export function findField(form: PublishedForm, key: string): FieldDefinition | undefined {
  return form.definition.fields.find((field) => field.key === key)
}

/**
 * `{ "var": "customer.region.name" }`: each link on the way is LEFT JOINed
 * once per scope, so a missing link gives null rather than dropping the row.
 * "customer.id" reads the link column itself and joins nothing.
 */
export async function compileVar(raw: unknown, scope: Scope, path: string): Promise<Typed> {
  const { issues } = scope.context
  if (typeof raw !== 'string' || raw === '') {
    issues.add(path, 'type', {
      zh: `var 须为字段键或以 . 分隔的链接路径，收到 ${show(raw)}`,
      en: `var must be a field key or a dotted path through links, got ${show(raw)}`,
    }, { received: raw })
    return { sql: sql`null`, type: INVALID }
  }

  const segments = raw.split('.')
  let here: JoinedForm = { form: scope.form, alias: scope.alias }
  for (const [index, segment] of segments.entries()) {
    const last = index === segments.length - 1
    const system = own(SYSTEM_FIELDS, segment)
    // A union's rows are no records: they have the union's columns only.
    if (last && system && !isUnionForm(here.form)) return { sql: sql.id(here.alias, segment), type: system }

    const field = findField(here.form, segment)
    if (!field) return unknownField(raw, segment, here.form, path, scope)
    scope.context.source.noteField?.(here.form, field.key)
    if (last) return fieldValue(field, here.alias, raw, path, scope)

    if (field.type !== 'link') {
      issues.add(path, 'not_a_link', {
        zh: `路径 ${raw} 经过的字段 ${here.form.key}.${segment} 不是链接字段`,
        en: `path "${raw}" goes through "${here.form.key}.${segment}", which is a ${field.type} field, not a link`,
      }, { received: raw })
      return { sql: sql`null`, type: INVALID }
    }
    if (index === segments.length - 2 && segments[index + 1] === 'id') {
      return { sql: sql.id(here.alias, columnOf(field)), type: INTEGER }
    }

    const prefix = segments.slice(0, index + 1).join('.')
    const next = await joinLink(scope, here, prefix, field.form, columnOf(field), path)
    if (!next) return { sql: sql`null`, type: INVALID }
    here = next
  }

  // split('.') never yields an empty list, so the loop always returned.
  return { sql: sql`null`, type: INVALID }
}

/** A field's column, typed; a multiselect reads as its values joined by ", ". */
function fieldValue(
  field: FieldDefinition,
  alias: string,
  raw: string,
  path: string,
  scope: Scope,
): Typed {
  const column = sql.id(alias, columnOf(field))
  if (field.type === 'multiselect') {
    return { sql: sql`array_to_string(${column}, ', ')`, type: TEXT }
  }
  const type = fieldType(field)
  if (type && field.type === 'select') return { sql: column, type, choices: field.options }
  if (type) return { sql: column, type }

  scope.context.issues.add(path, 'field_type', {
    zh: `报表不支持 ${field.type} 类型的字段（路径 ${raw}）`,
    en: `reports cannot read a ${field.type} field (path "${raw}")`,
  }, { received: field.type })
  return { sql: sql`null`, type: INVALID }
}

function unknownField(
  raw: string,
  segment: string,
  form: PublishedForm,
  path: string,
  scope: Scope,
): Typed {
  const known = form.definition.fields.map((field) => field.key)
  scope.context.issues.add(path, 'unknown_field', {
    zh: `表单 ${form.key} 没有字段 ${segment}（路径 ${raw}）`,
    en: `form "${form.key}" has no field "${segment}" (in path "${raw}")`,
  }, { expected: known, received: raw })
  return { sql: sql`null`, type: INVALID }
}

async function joinLink(
  scope: Scope,
  from: JoinedForm,
  prefix: string,
  formKey: string,
  column: string,
  path: string,
): Promise<JoinedForm | undefined> {
  const known = scope.links.get(prefix)
  if (known) return known

  const form = await scope.context.forms.find(formKey)
  if (!form) {
    scope.context.issues.add(path, 'unknown_form', {
      zh: `链接 ${prefix} 指向的表单 ${formKey} 未发布`,
      en: `link "${prefix}" points at form "${formKey}", which is not published`,
    }, { received: formKey })
    return undefined
  }

  const alias = scope.context.nextAlias('t')
  const on = sql`${sql.id(alias, 'id')} = ${sql.id(from.alias, column)}`
  scope.joins.push(sql`left join ${scope.context.source(form, alias)} on ${on}`)
  const joined = { form, alias }
  scope.links.set(prefix, joined)
  return joined
}
