import { assertNever, localize, type FieldDefinition, type FormDefinition } from '@tessera/core'

/** A JSON Schema document (draft-07) as a plain object. */
export type JsonSchema = Record<string, unknown>

export interface JsonSchemaOptions {
  /** For partial updates: no `required` list, empty values still refused. */
  partial?: boolean
}

/** Money has two digits after the point unless the field says otherwise. */
export const DEFAULT_MONEY_SCALE = 2

/**
 * The JSON Schema (draft-07) of a record's `values` object. It uses three
 * keywords of ours, registered by createAjv: `x-decimal`, `x-scale` and
 * `x-required` (see custom-keywords.ts), and ajv-formats' formatMinimum /
 * formatMaximum for date bounds.
 *
 * A required field refuses null, "" and blank text; an optional field
 * accepts null and "" as "empty" (normalizeValues stores them as null).
 *
 * @example
 * toJsonSchema(invoice).properties.amount
 * // { title: '金额', type: 'string', 'x-decimal': { scale: 2, min: '0' }, 'x-required': true }
 */
export function toJsonSchema(def: FormDefinition, options: JsonSchemaOptions = {}): JsonSchema {
  const properties: Record<string, JsonSchema> = {}
  for (const field of def.fields) properties[field.key] = fieldSchema(field)

  const required = def.fields.filter((field) => field.required).map((field) => field.key)
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: localize(def.label, 'zh-CN'),
    type: 'object',
    properties,
    ...(options.partial || required.length === 0 ? {} : { required }),
    additionalProperties: false,
  }
}

function fieldSchema(field: FieldDefinition): JsonSchema {
  const title = localize(field.label, 'zh-CN')
  const value = valueSchema(field)
  if (field.required) return { title, ...value, 'x-required': true }

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
      return defined({
        type: 'string',
        format: 'date',
        formatMinimum: field.min,
        formatMaximum: field.max,
      })

    case 'select':
      return { type: 'string', enum: field.options.map((option) => option.value) }

    case 'link':
      return { type: 'integer', minimum: 1 }

    default:
      return assertNever(field, 'field type')
  }
}

function defined(schema: JsonSchema): JsonSchema {
  return Object.fromEntries(Object.entries(schema).filter(([, value]) => value !== undefined))
}
