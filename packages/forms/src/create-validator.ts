import type { ValidateFunction } from 'ajv'
import type { FieldDefinition, FieldIssue, Locale, PublishedForm } from '@tessera/core'
import { createAjv } from './create-ajv.js'
import { isComputed } from './computed-fields.js'
import { issuesFromErrors } from './issues-from-errors.js'
import { formatMessage } from './messages.js'
import { toJsonSchema } from './to-json-schema.js'

export interface ValidateOptions {
  /** The language of the issue messages. */
  locale: Locale
  /**
   * For PATCH: absent keys are fine, but a required field given
   * explicitly as null, "" or blank text is still refused.
   */
  partial?: boolean
}

/** Validates record values against published forms; see createValidator. */
export interface FormValidator {
  /**
   * The issues of `values` for `form`; an empty list when they are valid.
   * Text is validated as it will be stored, trimmed; values sent for
   * computed fields are ignored. Conditions and rules that depend on the
   * whole record are prepareRecord's part.
   *
   * @example
   * validator.validate(invoice, { amount: '-1' }, { locale: 'en' })
   * // [{ field: 'number', rule: 'required', message: '"Number" is required', … },
   * //  { field: 'amount', rule: 'min', message: '"Amount" must be at least 0', … }]
   */
  validate(form: PublishedForm, values: unknown, options: ValidateOptions): FieldIssue[]
  /** The compiled schema of a form version; the same function on every call. */
  compile(form: PublishedForm, options?: { partial?: boolean }): ValidateFunction
  /** How many (form version, mode) pairs have been compiled. */
  readonly size: number
}

/**
 * A validator with its own Ajv instance and cache. Schemas are compiled
 * once per (app, form key, form version, partial or not): ajv caches by
 * schema object, so compiling a fresh but equal schema per request would
 * leak memory (LIBRARY-NOTES §1.2). A published version never changes, so
 * the cache needs no invalidation.
 */
export function createValidator(): FormValidator {
  const ajv = createAjv()
  const compiled = new Map<string, ValidateFunction>()

  function compile(form: PublishedForm, options: { partial?: boolean } = {}): ValidateFunction {
    const partial = options.partial === true
    const key = JSON.stringify([form.app, form.key, form.version, partial])

    let validateValues = compiled.get(key)
    if (!validateValues) {
      validateValues = ajv.compile(toJsonSchema(form.definition, { partial }))
      compiled.set(key, validateValues)
    }
    return validateValues
  }

  function validate(form: PublishedForm, values: unknown, options: ValidateOptions): FieldIssue[] {
    const validateValues = compile(form, options)

    if (!isPlainRecord(values)) {
      const message = formatMessage('type.values', options.locale, { label: '' })
      return [{ rule: 'type', message, expected: { type: 'object' } }]
    }

    const prepared = prepare(form.definition.fields, values)
    if (validateValues(prepared)) return []
    return issuesFromErrors(form, prepared, validateValues.errors ?? [], options.locale)
  }

  return {
    validate,
    compile,
    get size() {
      return compiled.size
    },
  }
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * A copy of the values as normalizeValues will store them: text trimmed,
 * and no values of computed fields, which the platform works out itself.
 */
function prepare(
  fields: readonly FieldDefinition[],
  values: Record<string, unknown>,
): Record<string, unknown> {
  const copy = { ...values }
  for (const field of fields) {
    const value = copy[field.key]
    if (field.type === 'text' && typeof value === 'string') copy[field.key] = value.trim()
    if (isComputed(field)) delete copy[field.key]
    if (field.type === 'lines' && Array.isArray(value)) {
      copy[field.key] = value.map((row) => (isPlainRecord(row) ? prepare(field.fields, row) : row))
    }
  }
  return copy
}
