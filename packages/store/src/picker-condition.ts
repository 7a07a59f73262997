import { sql, type RawBuilder } from 'kysely'
import { TesseraError, type Locale, type PublishedForm } from '@tessera/core'
import { pickerBounds } from '@tessera/forms'
import { logicVars } from '@tessera/logic'
import { compileFilter } from './filter-sql.js'

/** What a picker's condition reads, through the reader's permissions. */
export interface PickerReads {
  /** A published form of the app (its definition only: no records are read). */
  form(key: string): Promise<PublishedForm>
  /** The fields of `form` hidden from the reader. */
  hidden(form: PublishedForm): ReadonlySet<string> | undefined
  /**
   * A field of a record of form `formKey` as the reader sees it; undefined
   * when they may not read the form, the record or the field.
   */
  linkedValue(formKey: string, id: number, field: string): Promise<unknown>
}

/**
 * For a picker of link `picking.field` on a record of `picking.form`
 * being filled in with `values`: the condition on `target`'s rows (alias
 * `t`) that the link's `pickWhere` and the agreements of that form put on
 * whatever the link points at (an allocation's invoice must be open, and
 * of its receipt's customer); undefined when nothing narrows it. A bound
 * is left out when its value is not known yet, is read from a record or
 * field the reader may not read, or lies on a field of `target` hidden
 * from them (what is left out would tell its values); the write checks
 * every agreement, so a picker that narrows less only offers more.
 */
export async function pickerCondition(
  reads: PickerReads,
  target: PublishedForm,
  picking: { form: string; field: string },
  values: Readonly<Record<string, unknown>>,
  locale: Locale,
): Promise<RawBuilder<boolean> | undefined> {
  const named = `${picking.form}.${picking.field}`
  const notALink = () => refused('for', `<form>.<link field to ${target.key}>`, named,
    `for 应为「<表单>.<链接到 ${target.key} 的字段>」`, locale)
  // A form the reader has no right on is answered as one that does not exist: neither is named.
  const source = await reads.form(picking.form).catch((error: unknown) => {
    throw error instanceof TesseraError && (error.code === 'not_found' || error.code === 'auth.forbidden') ? notALink() : error
  })
  const link = source.definition.fields.find((field) => field.key === picking.field)
  if (link?.type !== 'link' || link.form !== target.key) throw notALink()

  const hidden = reads.hidden(target)
  const conditions: RawBuilder<boolean>[] = []
  // The link's own range (open invoices only). Checked on publish: a linked form changed since
  // so that it no longer compiles narrows nothing rather than fail the picker.
  if (link.pickWhere !== undefined && !logicVars(link.pickWhere).some((key) => hidden?.has(key))) {
    try {
      conditions.push(compileFilter(target, link.pickWhere, 't'))
    } catch (error) {
      if (!(error instanceof TesseraError)) throw error
    }
  }
  for (const bound of pickerBounds(source.definition, picking.field)) {
    // A field hidden from the reader; or one the linked form no longer has (renamed since the
    // agreement's form was published), which the next write refuses by itself.
    if (hidden?.has(bound.field) || !(bound.field === 'id' || target.definition.fields.some((one) => one.key === bound.field))) continue
    const [head, field] = bound.from.split('.')
    const value = await boundValue(reads, source, head, field, values[head], locale)
    if (value === undefined) continue
    try {
      conditions.push(compileFilter(target, { [bound.op]: [{ var: bound.field }, value] }, 't'))
    } catch (error) {
      if (!(error instanceof TesseraError)) throw error
      throw refused(`values.${head}`, `a value ${target.key}.${bound.field} can be compared with`, value,
        `values.${head} 应为可与「${target.key}.${bound.field}」比较的值`, locale)
    }
  }
  return conditions.length === 0 ? undefined : sql<boolean>`(${sql.join(conditions, sql` and `)})`
}

/** The value a bound reads: the record's own field, or one step through its link `head`. */
async function boundValue(
  reads: PickerReads,
  source: PublishedForm,
  head: string,
  field: string | undefined,
  given: unknown,
  locale: Locale,
): Promise<unknown> {
  if (given === null || given === undefined || given === '') return undefined
  if (typeof given === 'object' || (typeof given === 'number' && !Number.isFinite(given))) {
    throw refused(`values.${head}`, 'one value (text, finite number or true/false)', given, `values.${head} 应为单个值（文本、有限的数或是非）`, locale)
  }
  if (field === undefined) return given
  const link = source.definition.fields.find((one) => one.key === head)
  if (link?.type !== 'link') return undefined
  if (typeof given !== 'number' || !Number.isSafeInteger(given) || given < 1) {
    throw refused(`values.${head}`, 'the id of a record (a whole number from 1)', given,
      `values.${head} 应为记录的 id（从 1 起的整数）`, locale)
  }
  const value = await reads.linkedValue(link.form, given, field)
  return value === null || typeof value === 'object' ? undefined : value
}

function refused(field: string, expected: string, received: unknown, zh: string, locale: Locale): TesseraError {
  // JSON would say null for an infinite number (1e400 read as JSON).
  const text = typeof received === 'number' && !Number.isFinite(received) ? String(received) : JSON.stringify(received) ?? String(received)
  // A long value is quoted by its start, here and in the log.
  const shown = text.length > 100 ? `${text.slice(0, 100)}…` : text
  const en = `${field} must be ${expected}, got ${shown}`
  return new TesseraError('request.invalid', locale === 'en' ? en : `${zh}，收到 ${shown}`, {
    details: { field, expected, received: text.length > 100 ? shown : received },
    issues: [{ field, rule: 'type', message: en, expected, received: shown }],
    messages: { en, 'zh-CN': `${zh}，收到 ${shown}` },
  })
}
