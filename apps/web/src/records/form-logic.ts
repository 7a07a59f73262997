import type { FieldDefinition, Locale, PublishedForm } from '@tessera/core'
import { isComputed, prepareRecord } from '@tessera/forms'

/** What the form's logic says about the record being edited, right now. */
export interface LiveLogic {
  /**
   * Values the logic computes, keyed by field: formulas, rollups over line
   * items, and line items with their line formulas filled in.
   */
  computed: Record<string, unknown>
  hidden: ReadonlySet<string>
  required: ReadonlySet<string>
}

export interface LiveLogicOptions {
  locale: Locale
  today?: string
  timeZone?: string
}

/**
 * Runs the form's logic over the values being typed, with the evaluator
 * the server uses (prepareRecord), so formulas update and fields show,
 * hide and become required as the user types. It never throws: a value
 * the logic cannot read yet leaves the formula empty.
 *
 * @example
 * liveLogic(form, { net: '100', tax_rate: '0.13' }, { locale: 'zh-CN' }).computed
 * // { tax: '13.00', gross: '113.00' }
 */
export function liveLogic(
  form: PublishedForm,
  values: Record<string, unknown>,
  options: LiveLogicOptions,
): LiveLogic {
  const prepared = prepareRecord(form, values, options)
  const computed: Record<string, unknown> = {}
  for (const field of form.definition.fields) {
    if (isLiveComputed(field)) computed[field.key] = prepared.values[field.key]
  }
  return { computed, hidden: new Set(prepared.hidden), required: new Set(prepared.required) }
}

/**
 * Fields the browser computes as the user types. Rollups over other forms
 * and lookups change only when other records do; they show what was read.
 */
function isLiveComputed(field: FieldDefinition): boolean {
  if (field.type === 'rollup') return field.lines !== undefined
  if (field.type === 'lines') return field.fields.some((line) => line.type === 'formula')
  return field.type === 'formula'
}

/** Whether two logic states differ in what the page shows. */
export function sameLogic(a: LiveLogic, b: LiveLogic): boolean {
  return (
    sameSet(a.hidden, b.hidden) &&
    sameSet(a.required, b.required) &&
    JSON.stringify(a.computed) === JSON.stringify(b.computed)
  )
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && [...a].every((key) => b.has(key))
}

/** Whether a field takes input: computed fields only show values. */
export function isReadOnlyField(field: FieldDefinition): boolean {
  return isComputed(field)
}
