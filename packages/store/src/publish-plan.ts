import { isDeepStrictEqual } from 'node:util'
import { sql } from 'kysely'
import {
  TesseraError,
  type FieldDefinition,
  type FormDefinition,
  type LineFieldDefinition,
  type LinesField,
  type PublishedForm,
} from '@tessera/core'
import type { Trx } from './database.js'
import { existingColumns, hasColumn, linesForm } from './ddl.js'
import { storedType, type Retype } from './publish-convert.js'
import { columnForField, LINE_SYSTEM_COLUMNS, linesTableName } from './naming.js'

/** What publishing one form changes in the database. */
export interface Plan {
  previous: PublishedForm | undefined
  next: PublishedForm
  /** Fields whose column is new in this version. */
  added: FieldDefinition[]
  /** Lines fields whose child table is new. */
  addedLines: LinesField[]
  /** Line fields with a new column in an existing child table. */
  addedLineFields: { lines: LinesField; field: LineFieldDefinition }[]
  /** Kept columns whose type changes; filled once rollups and lookups are resolved. */
  retyped: Retype[]
}

/**
 * Gives every field of the next version its storage: the column (or
 * child table) it had before, matched by `column`/`table` when the draft
 * names it and else by key, or a fresh one that no retired field used.
 */
export async function planVersion(
  trx: Trx,
  appKey: string,
  dataSchema: string,
  tableName: string | null,
  draft: FormDefinition,
  previous: PublishedForm | undefined,
): Promise<Plan> {
  const next: PublishedForm = {
    app: appKey,
    key: draft.key,
    version: (previous?.version ?? 0) + 1,
    definition: structuredClone(draft),
    table: previous?.table ?? { schema: dataSchema, name: tableName ?? draft.key },
  }
  const plan: Plan = { previous, next, added: [], addedLines: [], addedLineFields: [], retyped: [] }
  const taken = previous ? await existingColumns(trx, previous) : new Set<string>()
  const tables = await existingTables(trx, next.table.schema)

  for (const field of next.definition.fields) {
    if (field.type === 'lines') await planLines(trx, plan, field, tables)
    else if (field.type === 'lookup') delete field.column
    else assignColumn(field, previous?.definition.fields ?? [], taken, plan.added)
  }
  return plan
}

/** Whether the next version differs from the published one at all. */
export function changes(plan: Plan): boolean {
  const { previous, next } = plan
  if (!previous || plan.added.length > 0 || plan.addedLines.length > 0) return true
  if (plan.retyped.length > 0) return true
  return plan.addedLineFields.length > 0 || !isDeepStrictEqual(previous.definition, next.definition)
}

/**
 * The kept columns whose SQL type the next version changes (converted by
 * publish-convert.ts after a check of the stored values). A link that
 * points at another form is refused here: its values would name records
 * of the wrong form.
 */
export function typeChanges(plan: Plan): Retype[] {
  const { previous, next } = plan
  if (!previous) return []
  const retypes: Retype[] = []
  const fresh = new Set(plan.added)
  const compare = (form: PublishedForm, old: FieldDefinition, field: FieldDefinition) => {
    if (old.type === 'link' && field.type === 'link' && old.form !== field.form) {
      throw new TesseraError(
        'metadata.invalid',
        `field "${field.key}" of form "${form.key}" links to form "${old.form}"; it cannot link to "${field.form}" instead: add a new field`,
        { details: { form: form.key, field: field.key, from: old.form, to: field.form } },
      )
    }
    refuseReferenceChange(form, old, field)
    const from = storedType(old)
    const to = storedType(field)
    if (from !== to) retypes.push({ form, old, field, from, to })
  }

  for (const field of next.definition.fields) {
    if (!hasColumn(field) || fresh.has(field)) continue
    const old = previous.definition.fields.find((f) => f.column === field.column && hasColumn(f))
    if (old) compare(next, old, field)
  }
  for (const field of next.definition.fields) {
    if (field.type !== 'lines') continue
    const old = previous.definition.fields.find((f) => f.type === 'lines' && f.table === field.table)
    if (old?.type !== 'lines') continue
    const added = new Set(plan.addedLineFields.map((entry) => entry.field))
    for (const line of field.fields) {
      const before = old.fields.find((f) => f.column === line.column)
      if (before && !added.has(line)) compare(linesForm(next, field), before, line)
    }
  }
  return retypes
}

/**
 * What a stored id refers to: another form's records, users, departments
 * or uploaded files. A column of ids may not start referring to something
 * else (a number or a link becoming a member would keep ids of the wrong
 * kind), nor stop being ids except by becoming text.
 */
function referenceKind(field: FieldDefinition): string | undefined {
  if (field.type === 'link') return `link:${field.form}`
  if (field.type === 'member' || field.type === 'department' || field.type === 'attachment') {
    return field.type
  }
  return undefined
}

function refuseReferenceChange(form: PublishedForm, old: FieldDefinition, field: FieldDefinition) {
  const before = referenceKind(old)
  const after = referenceKind(field)
  if (before === after) return
  if (after === undefined && storedType(field) === 'text') return
  throw new TesseraError(
    'metadata.invalid',
    `field "${field.key}" of form "${form.key}" cannot change from ${old.type} to ${field.type}: its stored values would not name what a ${field.type} field names; add a new field instead`,
    { details: { form: form.key, field: field.key, from: old.type, to: field.type } },
  )
}

function assignColumn(
  field: FieldDefinition,
  before: readonly FieldDefinition[],
  taken: Set<string>,
  added: FieldDefinition[],
): void {
  const old = field.column
    ? before.find((f) => f.column === field.column)
    : before.find((f) => f.key === field.key && hasColumn(f))
  if (old?.column && taken.has(old.column)) {
    field.column = old.column
    return
  }
  field.column = columnForField(field, taken)
  taken.add(field.column)
  added.push(field)
}

async function planLines(trx: Trx, plan: Plan, field: LinesField, tables: Set<string>) {
  const before = plan.previous?.definition.fields ?? []
  const old = field.table
    ? before.find((f) => f.type === 'lines' && f.table === field.table)
    : before.find((f) => f.type === 'lines' && f.key === field.key)

  if (old?.type === 'lines' && old.table && tables.has(old.table)) {
    field.table = old.table
    const taken = await existingColumns(trx, linesForm(plan.next, field))
    const added: FieldDefinition[] = []
    for (const line of field.fields) assignColumn(line, old.fields, taken, added)
    for (const line of added) plan.addedLineFields.push({ lines: field, field: line as LineFieldDefinition })
    return
  }

  field.table = linesTableName(plan.next.table.name, field.key, tables)
  tables.add(field.table)
  const taken = new Set(LINE_SYSTEM_COLUMNS)
  for (const line of field.fields) assignColumn(line, [], taken, [])
  plan.addedLines.push(field)
}

async function existingTables(trx: Trx, schema: string): Promise<Set<string>> {
  const { rows } = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = ${schema}`.execute(trx)
  return new Set(rows.map((row) => row.table_name))
}

