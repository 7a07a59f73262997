import { isDeepStrictEqual } from 'node:util'
import type {
  FieldDefinition,
  FieldIssue,
  FormDefinition,
  LocalizedText,
  Locale,
} from '@tessera/core'
import { isComputed } from '@tessera/forms'
import { hasColumn } from './ddl.js'
import { storedType } from './publish-convert.js'

/** A field as a change summary names it; `path` is "items.qty" for a line field. */
export interface ChangedField {
  path: string
  key: string
  label: LocalizedText
  type: FieldDefinition['type']
  column?: string
}

/** What becomes of a kept column whose SQL type changes. */
export type RetypeStatus = 'converts' | 'recomputed' | 'blocked' | 'unsupported'

export interface RetypedField extends ChangedField {
  from: FieldDefinition['type']
  fromSql: string
  toSql: string
  status: RetypeStatus
  /** Up to twenty ids of records whose values do not convert (when blocked). */
  blocking?: number[]
  count?: number
  message?: string
}

/**
 * What publishing a draft changes, as the builder's publish dialog shows
 * it. Computed from the published definition and the next one with the
 * storage publishing gave it (columns, child tables), so a field is
 * matched by its column, not its key: a new key on a kept column is a
 * rename that keeps the data.
 */
export interface PublishChanges {
  form: string
  /** True when the form has never been published. */
  isNew: boolean
  /** False when publishing would make no new version. */
  changed: boolean
  /** The version publishing makes (null when nothing changes). */
  version: number | null
  formLabel?: { from: LocalizedText; to: LocalizedText }
  added: ChangedField[]
  renamed: (ChangedField & { from: string })[]
  retired: ChangedField[]
  retyped: RetypedField[]
  linesAdded: ChangedField[]
  /** Kept fields whose other settings changed: label, options, limits… */
  edited: (ChangedField & { changes: string[] })[]
  layoutChanged: boolean
  /**
   * The form's own settings that change, by key: "description",
   * "titleField", "periodField", "uniques", "rules", "constraints",
   * "agreements", "list".
   */
  settings: FormSetting[]
  /**
   * Fields required from this version on (made required, or added as
   * required) that stored records leave empty, with how many: such a
   * record must have them filled before it can be saved again.
   */
  emptyRequired?: (ChangedField & { count: number })[]
  /**
   * Options taken out of a choice field (or a line item's) that stored
   * records still hold, with how many records: each shows the bare code
   * and must have it changed before it can be saved again.
   */
  optionsInUse?: (ChangedField & { options: string[]; count: number })[]
  /**
   * Reports of the app that check today and would not with this version
   * (a field they read renamed, retired or retyped), each with why in both
   * languages and the dashboards that show it: they stop running until
   * they are changed. Filled by the platform, which holds the reports.
   */
  reportsBroken?: Array<{
    report: string
    label: LocalizedText
    messages: Record<Locale, string>
    dashboards: Array<{ key: string; label: LocalizedText }>
  }>
  /**
   * Roles of the app whose rules on this form name fields this version no
   * longer has (taken out or renamed; a role's field and row rules do not
   * follow renames): such a role is refused when saved as it reads until
   * those rules go (the role editor drops them). Filled by the platform.
   */
  rolesNaming?: Array<{ role: string; label: LocalizedText; fields: string[] }>
  /** Why publishing is refused, when it is (the error publishing gives). */
  problem?: {
    code: string
    /** In English; `messages` holds it in each language the refusal was worded in. */
    message: string
    messages?: Partial<Record<Locale, string>>
    details?: Record<string, unknown>
    issues?: FieldIssue[]
  }
}

export type FormSetting = 'description' | 'titleField' | 'periodField' | 'uniques' | 'rules' | 'constraints' | 'agreements' | 'list' | 'picker'

const FORM_SETTINGS = ['description', 'titleField', 'periodField', 'uniques', 'rules', 'constraints', 'agreements'] as const

/** The form-level settings that differ between two definitions. */
function settingsChanged(previous: FormDefinition | undefined, next: FormDefinition): FormSetting[] {
  if (!previous) return []
  const changed: FormSetting[] = FORM_SETTINGS.filter((key) => !isDeepStrictEqual(previous[key] ?? null, next[key] ?? null))
  if (!isDeepStrictEqual(previous.ui?.list ?? null, next.ui?.list ?? null)) changed.push('list')
  if (!isDeepStrictEqual(previous.ui?.picker ?? null, next.ui?.picker ?? null)) changed.push('picker')
  return changed
}

/** Properties publishing fills in, which a draft does not carry. */
const STORAGE_KEYS = new Set(['column', 'table', 'target'])

/**
 * The change summary between the published definition (undefined for a
 * new form) and the next one, whose fields already carry their storage.
 */
export function publishChanges(
  previous: FormDefinition | undefined,
  next: FormDefinition,
  version: number | null,
): PublishChanges {
  const changes: PublishChanges = {
    form: next.key,
    isNew: previous === undefined,
    changed: version !== null,
    version,
    added: [],
    renamed: [],
    retired: [],
    retyped: [],
    linesAdded: [],
    edited: [],
    layoutChanged: !isDeepStrictEqual(previous?.ui?.sections ?? null, next.ui?.sections ?? null),
    settings: settingsChanged(previous, next),
  }
  if (previous && !isDeepStrictEqual(previous.label, next.label)) {
    changes.formLabel = { from: previous.label, to: next.label }
  }
  compareFields(changes, previous?.fields ?? [], next.fields, '')
  return changes
}

function compareFields(
  changes: PublishChanges,
  before: readonly FieldDefinition[],
  after: readonly FieldDefinition[],
  prefix: string,
): void {
  const kept = new Set<FieldDefinition>()
  for (const field of after) {
    const old = counterpart(field, before)
    if (!old) {
      if (field.type === 'lines') changes.linesAdded.push(named(field, prefix))
      else changes.added.push(named(field, prefix))
      continue
    }
    kept.add(old)
    if (old.key !== field.key) changes.renamed.push({ ...named(field, prefix), from: old.key })
    if (hasColumn(field) && hasColumn(old) && storedType(old) !== storedType(field)) {
      changes.retyped.push({
        ...named(field, prefix),
        from: old.type,
        fromSql: storedType(old),
        toSql: storedType(field),
        status: isComputed(field) ? 'recomputed' : 'converts',
      })
    }
    const edits = settingChanges(old, field)
    if (edits.length > 0) changes.edited.push({ ...named(field, prefix), changes: edits })
    if (old.type === 'lines' && field.type === 'lines') {
      compareFields(changes, old.fields, field.fields, `${prefix}${field.key}.`)
    }
  }
  for (const old of before) {
    if (!kept.has(old) && old.type !== 'lookup') changes.retired.push(named(old, prefix))
  }
}

/** The published field a next field continues: same column (or child table), else a lookup by key. */
function counterpart(field: FieldDefinition, before: readonly FieldDefinition[]) {
  if (field.type === 'lines') {
    return before.find((old) => old.type === 'lines' && old.table === field.table)
  }
  if (field.type === 'lookup') return before.find((old) => old.type === 'lookup' && old.key === field.key)
  return before.find((old) => hasColumn(old) && old.column === field.column)
}

/** The names of the settings (other than key and storage) that differ. */
function settingChanges(old: FieldDefinition, field: FieldDefinition): string[] {
  const names = new Set([...Object.keys(old), ...Object.keys(field)])
  const differing: string[] = []
  for (const name of names) {
    if (name === 'key' || name === 'fields' || STORAGE_KEYS.has(name)) continue
    if (name === 'result' && field.type === 'rollup') continue
    const a = (old as unknown as Record<string, unknown>)[name]
    const b = (field as unknown as Record<string, unknown>)[name]
    if (!isDeepStrictEqual(a, b)) differing.push(name)
  }
  return differing.sort()
}

function named(field: FieldDefinition, prefix: string): ChangedField {
  const entry: ChangedField = {
    path: prefix + field.key,
    key: field.key,
    label: field.label,
    type: field.type,
  }
  if (field.column) entry.column = field.column
  if (field.type === 'lines' && field.table) entry.column = field.table
  return entry
}
