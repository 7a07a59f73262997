import {
  localize,
  TesseraError,
  type FieldDefinition,
  type Locale,
  type PublishedForm,
} from '@tessera/core'
import { constraintName } from './naming.js'

interface PgError {
  code?: string
  constraint?: string
  table?: string
}

/**
 * Turns a unique or foreign-key violation raised by Postgres into a field
 * issue the form can show, naming the field and the value. Other errors pass
 * through unchanged.
 */
export function translateWriteError(
  error: unknown,
  form: PublishedForm,
  values: Record<string, unknown>,
  locale: Locale,
  /** Titles of the linked records, by link field, to name them instead of their ids. */
  titles?: Record<string, string | null | undefined>,
): unknown {
  const pg = error as PgError
  if (pg?.code !== '23505' && pg?.code !== '23503') return error
  const fields = constrainedFields(form, pg.constraint)
  const label = fields.map((f) => localize(f.label, locale)).join(locale === 'en' ? ', ' : '、')
  const shown = fields.map((f) => {
    const value = values[f.key] ?? null
    const title = f.type === 'link' ? titles?.[f.key] : undefined
    return title ? (locale === 'en' ? `"${title}"` : `「${title}」`) : JSON.stringify(value)
  }).join(', ')

  if (pg.code === '23505') {
    const message = locale === 'en'
      ? `"${label}" ${shown} is already used by another record`
      : `「${label}」为 ${shown} 的记录已存在`
    return new TesseraError('conflict.unique', message, {
      cause: error,
      details: { form: form.key, fields: fields.map((f) => f.key) },
      issues: fields.map((f) => ({ field: f.key, rule: 'unique', message, received: values[f.key] })),
    })
  }
  if (fields.length === 0) {
    // The violated key belongs to another form: this record is still linked
    // from there (a delete, or a change of id), not pointing at a missing one.
    const message = locale === 'en'
      ? `this ${localize(form.definition.label, 'en')} record is still linked from other records; remove those links first`
      : `该${localize(form.definition.label, 'zh-CN')}记录仍被其他记录引用，请先解除引用`
    // Which form links here is left out: the writer may not be allowed to read it, and the
    // database's names for the key and table are no one's business outside the server's log.
    return new TesseraError('conflict.reference', message, {
      cause: error,
      details: { form: form.key },
    })
  }
  const message = locale === 'en'
    ? `"${label}" points at record ${shown}, which does not exist`
    : `「${label}」引用的记录 ${shown} 不存在`
  return new TesseraError('conflict.reference', message, {
    cause: error,
    details: { form: form.key, fields: fields.map((f) => f.key) },
    issues: fields.map((f) => ({ field: f.key, rule: 'reference', message, received: values[f.key] })),
  })
}

function constrainedFields(form: PublishedForm, constraint: string | undefined): FieldDefinition[] {
  const { fields, uniques = [] } = form.definition
  const table = form.table.name
  for (const field of fields) {
    for (const suffix of ['key', 'fk']) {
      if (constraintName(table, [field.column!], suffix) === constraint) return [field]
    }
  }
  for (const keys of uniques) {
    const group = keys.map((k) => fields.find((f) => f.key === k)!)
    if (constraintName(table, group.map((f) => f.column!), 'key') === constraint) return group
  }
  return []
}

/**
 * 404 for a record of a form, named by the form's label in both languages
 * (「发票（应收）」的记录 #42 不存在), not by its key; `details` keep the key.
 */
export function recordNotFound(form: PublishedForm, id: number): TesseraError {
  const en = `record #${id} of ${localize(form.definition.label, 'en')} does not exist`
  return new TesseraError('not_found', en, {
    details: { what: `record of form ${form.key}`, key: id },
    messages: { 'zh-CN': `「${localize(form.definition.label, 'zh-CN')}」的记录 #${id} 不存在`, en },
  })
}
