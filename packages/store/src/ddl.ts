import { sql, type RawBuilder } from 'kysely'
import {
  assertNever,
  type FieldDefinition,
  type LinesField,
  type PublishedForm,
} from '@tessera/core'
import { DEFAULT_MONEY_SCALE, percentFractionScale, storedAs } from '@tessera/forms'
import type { Executor } from './database.js'
import { constraintName } from './naming.js'

/** The SQL type a field's column has. */
export function sqlType(field: FieldDefinition): string {
  switch (field.type) {
    case 'text':
    case 'select':
    case 'phone':
    case 'email':
    case 'bank_account':
    case 'region':
    case 'uscc':
      return 'text'
    case 'number':
      return field.integer ? 'bigint' : 'numeric'
    case 'money':
      return `numeric(20, ${field.scale ?? DEFAULT_MONEY_SCALE})`
    case 'percent':
      return `numeric(20, ${percentFractionScale(field.scale)})`
    case 'date':
      return 'date'
    case 'datetime':
      return 'timestamptz'
    case 'boolean':
      return 'boolean'
    case 'multiselect':
      return 'text[]'
    case 'link':
      return 'bigint'
    case 'member':
    case 'department':
      return field.multiple ? 'bigint[]' : 'bigint'
    case 'attachment':
      return 'jsonb'
    case 'formula':
    case 'autonumber':
    case 'rollup':
      return sqlType(storedAs(field))
    case 'lines':
    case 'lookup':
      // Neither has a column: line items live in a child table, lookups in the linked form.
      return field.type
    default:
      return assertNever(field, 'field type')
  }
}

/** Whether a field has a column in its form's table (line items and lookups do not). */
export function hasColumn(field: FieldDefinition): boolean {
  return field.type !== 'lines' && field.type !== 'lookup'
}

/**
 * The child table of a lines field, seen as a form of its own, so that the
 * column, index and foreign-key helpers here serve it too.
 */
export function linesForm(form: PublishedForm, field: LinesField): PublishedForm {
  return {
    app: form.app,
    key: `${form.key}.${field.key}`,
    version: form.version,
    definition: { key: form.key, label: field.label, fields: field.fields },
    table: { schema: form.table.schema, name: field.table! },
  }
}

/** A child table of line items: rows of one record, in order, deleted with it. */
export async function createLinesTable(db: Executor, form: PublishedForm, field: LinesField) {
  const lines = linesForm(form, field)
  const index = constraintName(lines.table.name, ['parent_id', 'position'], 'idx')
  await sql`
    create table ${table(lines)} (
      id bigint generated always as identity primary key,
      parent_id bigint not null references ${table(form)} (id) on delete cascade,
      position int not null
    )`.execute(db)
  await sql`create index ${sql.id(index)} on ${table(lines)} (parent_id, position)`.execute(db)
}

function table(form: PublishedForm): RawBuilder<unknown> {
  return sql.table(`${form.table.schema}.${form.table.name}`)
}

export async function createRecordTable(db: Executor, form: PublishedForm): Promise<void> {
  await sql`create schema if not exists ${sql.id(form.table.schema)}`.execute(db)
  await sql`
    create table ${table(form)} (
      id bigint generated always as identity primary key,
      _version int not null default 1,
      _created_at timestamptz not null default now(),
      _created_by text not null,
      _updated_at timestamptz not null default now(),
      _updated_by text not null
    )`.execute(db)
}

export async function addColumn(db: Executor, form: PublishedForm, field: FieldDefinition) {
  const column = field.column!
  await sql`alter table ${table(form)} add column ${sql.id(column)} ${sql.raw(sqlType(field))}`
    .execute(db)
}

/** Whether a field carries a unique index of its own: `unique`, or an autonumber. */
export function hasUniqueIndex(field: FieldDefinition): boolean {
  return field.unique === true || field.type === 'autonumber'
}

/** A unique index over one or more columns (a real constraint, not a pre-check). */
export async function addUniqueIndex(db: Executor, form: PublishedForm, columns: string[]) {
  const index = constraintName(form.table.name, columns, 'key')
  const list = sql.join(columns.map((c) => sql.id(c)))
  await sql`create unique index if not exists ${sql.id(index)} on ${table(form)} (${list})`
    .execute(db)
}

export async function dropUniqueIndex(db: Executor, form: PublishedForm, columns: string[]) {
  const index = constraintName(form.table.name, columns, 'key')
  await sql`drop index if exists ${sql.id(form.table.schema)}.${sql.id(index)}`.execute(db)
}

/**
 * The index of a field marked `indexed`: (column, id), which serves a list
 * sorted by the column in either direction, ties broken by id, and ranges.
 */
export async function addSortIndex(db: Executor, form: PublishedForm, column: string) {
  const index = constraintName(form.table.name, [column], 'sort')
  await sql`create index if not exists ${sql.id(index)} on ${table(form)} (${sql.id(column)}, id)`
    .execute(db)
}

export async function dropSortIndex(db: Executor, form: PublishedForm, column: string) {
  const index = constraintName(form.table.name, [column], 'sort')
  await sql`drop index if exists ${sql.id(form.table.schema)}.${sql.id(index)}`.execute(db)
}

/**
 * A link's foreign key plus an index for joins and rollups. Added after every
 * table of the batch exists, since links may point at a form published alongside.
 */
export async function addForeignKey(
  db: Executor,
  form: PublishedForm,
  field: FieldDefinition,
  target: PublishedForm,
): Promise<void> {
  const column = field.column!
  const fk = constraintName(form.table.name, [column], 'fk')
  await sql`alter table ${table(form)} add constraint ${sql.id(fk)}
    foreign key (${sql.id(column)}) references ${table(target)} (id)`.execute(db)
  const index = constraintName(form.table.name, [column], 'idx')
  await sql`create index if not exists ${sql.id(index)} on ${table(form)} (${sql.id(column)})`
    .execute(db)
}

/** The platform table a member or department field refers to. */
export function peopleTable(field: FieldDefinition): string | undefined {
  if (field.type === 'member') return 'tessera.account'
  if (field.type === 'department') return 'tessera.department'
  return undefined
}

/**
 * A single member's or department's foreign key to the platform's own
 * table, plus an index. A list of them (bigint[]) cannot have one:
 * writes check each id instead (write/people-refs.ts).
 */
export async function addPeopleForeignKey(db: Executor, form: PublishedForm, field: FieldDefinition) {
  const target = peopleTable(field)
  if (!target) return
  const column = field.column!
  const fk = constraintName(form.table.name, [column], 'fk')
  await sql`alter table ${table(form)} add constraint ${sql.id(fk)}
    foreign key (${sql.id(column)}) references ${sql.table(target)} (id)`.execute(db)
  const index = constraintName(form.table.name, [column], 'idx')
  await sql`create index if not exists ${sql.id(index)} on ${table(form)} (${sql.id(column)})`
    .execute(db)
}

/** Drops a column's foreign key, if it has one (before its type changes). */
export async function dropForeignKey(db: Executor, form: PublishedForm, column: string) {
  const fk = constraintName(form.table.name, [column], 'fk')
  await sql`alter table ${table(form)} drop constraint if exists ${sql.id(fk)}`.execute(db)
}

/** Column names the table has now, retired fields' columns included. */
export async function existingColumns(db: Executor, form: PublishedForm): Promise<Set<string>> {
  const result = await sql<{ column_name: string }>`
    select column_name from information_schema.columns
    where table_schema = ${form.table.schema} and table_name = ${form.table.name}`.execute(db)
  return new Set(result.rows.map((r) => r.column_name))
}
