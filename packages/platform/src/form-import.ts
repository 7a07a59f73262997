import type { Readable } from 'node:stream'
import { localize, type Actor, type FieldDefinition, type Locale, type PublishedForm } from '@tessera/core'
import {
  importableFields,
  importableLineFields,
  importForm,
  recallFormImport,
  rememberFormImport,
  suggestColumns,
  type FormImportOptions,
  type FormImportResult,
  type FormImportSpec,
} from '@tessera/importer'
import { importRefusal } from './import-access.js'
import type { Platform } from './platform.js'

/** What the import dialog of a form needs before a file is chosen. */
export interface FormImportSetup {
  form: string
  /** The fields a file can fill, in form order. */
  /** `choices`: a select field's stored codes and their labels, for a preview to show the labels. */
  fields: { key: string; label: string; type: string; required: boolean; unique: boolean; choices?: Record<string, string> }[]
  /**
   * The sets of fields rows can be matched to existing records by: each
   * unique field alone, and each unique set of the form (an allocation's
   * receipt and invoice), when a file can fill all of its fields.
   */
  keys: string[][]
  /** The mapping used last time, if any. */
  remembered?: FormImportSpec
}

export type FormFileOptions = Omit<FormImportOptions, 'spec'> & {
  /** The column mapping; the remembered one, or one guessed from the header, when absent. */
  spec?: FormImportSpec
}

/**
 * Imports a CSV or Excel file into one form for an actor: the import
 * action on the form with every row in reach, and no hidden or read-only
 * field among the mapped ones (as for mapped imports). A real run that
 * succeeds remembers its mapping for the next file.
 */
export async function importFormFile(
  platform: Platform,
  appKey: string,
  formKey: string,
  input: Readable,
  options: FormFileOptions,
): Promise<FormImportResult> {
  const locale = options.locale ?? 'zh-CN'
  const form = await platform.catalog.getForm(appKey, formKey)
  const remembered = await recallFormImport(platform.database.db, form)
  await assertFormImportAllowed(platform, options.actor, form, options.spec, locale)
  const grants = await platform.grants(options.actor, appKey)

  const result = await importForm(platform, form, input, {
    ...options,
    spec: (header: string[]) => {
      const spec = options.spec ?? guessSpec(form, header, remembered, grants.fields(form.key))
      // A remembered key makes the guessed import an upsert, which needs the update action.
      const refusal = importRefusal(grants, options.actor, form, writtenBy(spec), locale)
      if (refusal) throw refusal
      return spec
    },
  })
  if (!result.dryRun && result.status === 'succeeded') {
    const spec = { ...result.spec, format: options.format }
    await rememberFormImport(platform.database.db, form, spec, options.actor)
  }
  return result
}

/** The importable fields of a form and its remembered mapping. */
export async function formImportSetup(
  platform: Platform,
  actor: Actor,
  appKey: string,
  formKey: string,
  locale: Locale = 'zh-CN',
): Promise<FormImportSetup> {
  const form = await platform.catalog.getForm(appKey, formKey)
  await assertFormImportAllowed(platform, actor, form, undefined, locale)
  const grants = await platform.grants(actor, appKey)
  const restricted = grants.fields(form.key)
  const fields = importableFields(form)
    .filter((field) => !restricted.has(field.key))
    .map((field) => ({
      key: field.key,
      label: localize(field.label, locale),
      type: field.type,
      required: field.required === true,
      unique: field.unique === true,
      ...choicesOf(field, locale),
    }))
  // Line items' fields, as "items.product": rows sharing a key become one record's lines.
  for (const line of importableLineFields(form)) {
    if (restricted.has(line.lines.key)) continue
    fields.push({
      key: line.key,
      label: `${localize(line.lines.label, locale)} · ${localize(line.field.label, locale)}`,
      type: line.field.type,
      required: false,
      unique: false,
      ...choicesOf(line.field, locale),
    })
  }
  const fillable = new Set(fields.map((field) => field.key))
  const keys = [
    ...fields.filter((field) => field.unique).map((field) => [field.key]),
    ...(form.definition.uniques ?? []).map((set) => [...set]),
  ].filter((set) => set.every((key) => fillable.has(key)))
  return { form: form.key, fields, keys, remembered: await recallFormImport(platform.database.db, form) }
}

/**
 * The mapping a header suggests: labels first, then the remembered columns
 * still in the file; never a field the actor may not write (`restricted`).
 */
export function guessSpec(
  form: PublishedForm,
  header: string[],
  remembered?: FormImportSpec,
  restricted: ReadonlyMap<string, unknown> | ReadonlySet<string> = new Set(),
): FormImportSpec {
  const columns = suggestColumns(form, header)
  for (const [column, field] of Object.entries(remembered?.columns ?? {})) {
    if (!header.includes(column)) continue
    for (const [other, guessed] of Object.entries(columns)) if (guessed === field) delete columns[other]
    columns[column] = field
  }
  for (const [column, field] of Object.entries(columns)) {
    if (restricted.has(field.split('.')[0])) delete columns[column]
  }
  const mapped = new Set(Object.values(columns))
  const key = remembered?.key?.every((field) => mapped.has(field)) ? remembered.key : []
  return { columns, key }
}

async function assertFormImportAllowed(
  platform: Platform,
  actor: Actor,
  form: PublishedForm,
  spec: FormImportSpec | undefined,
  locale: Locale,
): Promise<void> {
  const grants = await platform.grants(actor, form.app)
  const refusal = importRefusal(grants, actor, form, writtenBy(spec), locale)
  if (refusal) throw refusal
}

/** The fields a spec sets and whether it upserts by a key (none known yet: creates only). */
/** A select field's codes with their labels in `locale`; nothing for other fields. */
function choicesOf(field: FieldDefinition, locale: Locale): { choices?: Record<string, string> } {
  if (field.type !== 'select') return {}
  return { choices: Object.fromEntries(field.options.map((option) => [option.value, localize(option.label, locale)])) }
}

function writtenBy(spec: FormImportSpec | undefined): { fields: string[]; byKey: boolean } {
  return { fields: Object.values(spec?.columns ?? {}), byKey: (spec?.key?.length ?? 0) > 0 }
}
