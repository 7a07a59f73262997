import { isDeepStrictEqual } from 'node:util'
import { sql } from 'kysely'
import {
  notFound,
  type FieldDefinition,
  type FormDefinition,
  type LocalizedText,
} from '@tessera/core'
import type { Executor } from './database.js'

/** A form as the form builder lists it. */
export interface FormDesignSummary {
  key: string
  label: LocalizedText
  publishedVersion: number | null
  /** True when the stored draft differs from the published definition. */
  unpublishedChanges: boolean
  updatedAt: string
}

/** A form as the form builder opens it. */
export interface FormDesign {
  key: string
  /**
   * What to edit: the draft when it has changes not yet published, else
   * the published definition. Either way every field that continues a
   * published one carries its `column` (and lines their `table`), so
   * that a later change of key is a rename that keeps the data.
   */
  definition: FormDefinition
  publishedVersion: number | null
  unpublishedChanges: boolean
}

interface DesignRow {
  key: string
  label: LocalizedText
  draft: FormDefinition
  published_version: number | null
  published: FormDefinition | null
  updated_at: Date | string
}

async function designRows(db: Executor, appKey: string, formKey?: string): Promise<DesignRow[]> {
  const only = formKey === undefined ? sql`` : sql`and f.key = ${formKey}`
  const { rows } = await sql<DesignRow>`
    select f.key, f.label, f.draft, f.published_version, v.definition as published, f.updated_at
    from tessera.form f
    left join tessera.form_version v
      on v.app_key = f.app_key and v.form_key = f.key and v.version = f.published_version
    where f.app_key = ${appKey} ${only}
    order by f.created_at, f.key`.execute(db)
  return rows
}

export async function listFormDesigns(db: Executor, appKey: string): Promise<FormDesignSummary[]> {
  return (await designRows(db, appKey)).map((row) => ({
    key: row.key,
    label: row.label,
    publishedVersion: row.published_version,
    unpublishedChanges: !row.published || !sameDesign(row.draft, row.published),
    updatedAt: new Date(row.updated_at).toISOString(),
  }))
}

export async function readFormDesign(db: Executor, appKey: string, formKey: string): Promise<FormDesign> {
  const [row] = await designRows(db, appKey, formKey)
  if (!row) throw notFound('form', `${appKey}/${formKey}`)
  const { draft, published } = row
  const unpublished = !published || !sameDesign(draft, published)
  return {
    key: row.key,
    definition: !published ? draft : unpublished ? withStorage(draft, published) : published,
    publishedVersion: row.published_version,
    unpublishedChanges: unpublished,
  }
}

/** Whether a draft says the same as a published definition, storage aside. */
export function sameDesign(draft: FormDefinition, published: FormDefinition): boolean {
  return isDeepStrictEqual(withoutStorage(draft), withoutStorage(published))
}

function withoutStorage(definition: FormDefinition): FormDefinition {
  const strip = (field: FieldDefinition): FieldDefinition => {
    const copy = { ...field } as Record<string, unknown>
    delete copy.column
    delete copy.table
    delete copy.target
    if (field.type === 'rollup') delete copy.result
    if (field.type === 'lines') copy.fields = field.fields.map(strip)
    return copy as unknown as FieldDefinition
  }
  return { ...definition, fields: definition.fields.map(strip) }
}

/**
 * The draft with the storage of published fields it keeps by key filled
 * in (publishing matches those by key anyway), so the builder can rename.
 */
function withStorage(draft: FormDefinition, published: FormDefinition): FormDefinition {
  const fill = (field: FieldDefinition, before: readonly FieldDefinition[], siblings: readonly FieldDefinition[]) => {
    const old = before.find((f) => f.key === field.key && f.type !== 'lookup')
    if (!old) return field
    // A column another field of the draft names already stays with that field.
    const claimed = (column: string | undefined) => siblings.some((f) => f.column === column)
    const copy = { ...field } as FieldDefinition
    if (field.column === undefined && old.column !== undefined && field.type !== 'lookup'
      && !claimed(old.column)) {
      copy.column = old.column
    }
    if (copy.type === 'lines' && old.type === 'lines') {
      const lines = copy
      if (lines.table === undefined && !siblings.some((f) => f.type === 'lines' && f.table === old.table)) {
        lines.table = old.table
      }
      lines.fields = lines.fields.map((line) => fill(line, old.fields, lines.fields) as typeof line)
    }
    return copy
  }
  const fields = draft.fields.map((field) => fill(field, published.fields, draft.fields))
  return { ...draft, fields }
}
