import { FIRST_DATE, assertNever, localize, type FieldDefinition, type FormDefinition } from '@tessera/core'
import { EXACT_DIGITS } from './significant-digits.js'
import { inputFields, storedAs } from './computed-fields.js'
import {
  DEFAULT_MONEY_SCALE,
  DEFAULT_PERCENT_SCALE,
  percentFractionScale,
} from './field-defaults.js'

/** A JSON Schema document (draft-07) as a plain object. */
export type JsonSchema = Record<string, unknown>

export interface JsonSchemaOptions {
  /** For partial updates: no `required` list, empty values still refused. */
  partial?: boolean
}

export { DEFAULT_MONEY_SCALE, DEFAULT_PERCENT_SCALE, percentFractionScale }

/** Line items a lines field takes unless its `maxRows` says otherwise. */
export const DEFAULT_MAX_LINES = 1000

/**
 * The JSON Schema (draft-07) of a record's `values` object. It uses four
 * keywords of ours, registered by createAjv: `x-decimal`, `x-scale`,
 * `x-kind` and `x-required` (see custom-keywords.ts), and ajv-formats' formatMinimum /
 * formatMaximum for date bounds.
 *
 * A required field refuses null, "" and blank text; an optional field
 * accepts null and "" as "empty" (normalizeValues stores them as null).
 * Computed fields (formulas, autonumbers) are not part of it: writes never
 * set them, and the validator ignores values sent for them.
 *
 * @example
 * toJsonSchema(invoice).properties.amount
 * // { title: '金额', type: 'string', 'x-decimal': { scale: 2, min: '0' }, 'x-required': true }
 */
export function toJsonSchema(def: FormDefinition, options: JsonSchemaOptions = {}): JsonSchema {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: localize(def.label, 'zh-CN'),
    ...rowSchema(def.fields, options.partial),
  }
}

/** The schema of an object of input fields: a record's values, or one line item. */
function rowSchema(all: readonly FieldDefinition[], partial = false): JsonSchema {
  const fields = inputFields({ fields: [...all] })
  const properties: Record<string, JsonSchema> = {}
  for (const field of fields) properties[field.key] = fieldSchema(field)

  const required = fields.filter(isAlwaysRequired).map((field) => field.key)
  return {
    type: 'object',
    properties,
    ...(partial || required.length === 0 ? {} : { required }),
    additionalProperties: false,
  }
}

/**
 * Required whatever the other values are. A required field that may be
 * hidden is checked by prepareRecord instead, which knows whether it shows.
 */
export function isAlwaysRequired(field: FieldDefinition): boolean {
  return field.required === true && field.visibleWhen === undefined
}

function fieldSchema(field: FieldDefinition): JsonSchema {
  const title = localize(field.label, 'zh-CN')
  const value = valueSchema(field)
  if (isAlwaysRequired(field)) return { title, ...value, 'x-required': true }

  // The empty branch comes first; issues-from-errors.ts relies on its index.
  return { title, anyOf: [{ enum: [null, ''] }, value] }
}

/** The schema of a non-empty value of the field. */
export function valueSchema(field: FieldDefinition): JsonSchema {
  switch (field.type) {
    case 'text':
      return defined({
        type: 'string',
        minLength: field.minLength,
        maxLength: field.maxLength,
        pattern: field.pattern,
      })

    case 'number':
      return defined({
        type: field.integer ? 'integer' : 'number',
        minimum: field.min,
        maximum: field.max,
        'x-scale': field.integer ? undefined : field.scale,
        'x-digits': EXACT_DIGITS,
      })

    case 'money':
      return {
        type: 'string',
        'x-decimal': defined({
          scale: field.scale ?? DEFAULT_MONEY_SCALE,
          min: field.min,
          max: field.max,
        }),
      }

    case 'date':
      // No date before 1900 (FIRST_DATE) whatever the field allows: see core dates.
      return defined({
        type: 'string',
        format: 'date',
        formatMinimum: field.min !== undefined && field.min > FIRST_DATE ? field.min : FIRST_DATE,
        formatMaximum: field.max,
      })

    case 'select':
      return { type: 'string', enum: field.options.map((option) => option.value) }

    case 'link':
      return RECORD_ID

    case 'member':
    case 'department': {
      return field.multiple ? { type: 'array', items: RECORD_ID, uniqueItems: true } : RECORD_ID
    }

    case 'attachment':
      // Only the id counts: name, size and type are read back from the
      // file's own row, so a client may send a value back as it read it.
      return defined({
        type: 'array',
        maxItems: field.multiple ? undefined : 1,
        items: {
          type: 'object',
          required: ['id'],
          properties: { id: { type: 'integer', minimum: 1 } },
        },
      })

    case 'percent':
      return {
        type: 'string',
        'x-decimal': defined({
          scale: percentFractionScale(field.scale),
          min: field.min,
          max: field.max,
        }),
      }

    case 'datetime':
    case 'phone':
    case 'email':
    case 'bank_account':
    case 'uscc':
      return { type: 'string', 'x-kind': { kind: field.type } }

    case 'region':
      return { type: 'string', 'x-kind': { kind: 'region', depth: field.depth ?? 3 } }

    case 'boolean':
      return { type: 'boolean' }

    case 'multiselect':
      return {
        type: 'array',
        items: { type: 'string', enum: field.options.map((option) => option.value) },
        uniqueItems: true,
      }

    case 'formula':
    case 'autonumber':
    case 'rollup':
    case 'lookup':
      return valueSchema(storedAs(field))

    case 'lines':
      return {
        type: 'array',
        maxItems: field.maxRows ?? DEFAULT_MAX_LINES,
        items: rowSchema(field.fields),
      }

    default:
      return assertNever(field, 'field type')
  }
}

function defined(schema: JsonSchema): JsonSchema {
  return Object.fromEntries(Object.entries(schema).filter(([, value]) => value !== undefined))
}

/** A record, user or department id: a positive integer JSON carries exactly. */
const RECORD_ID = { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER }
