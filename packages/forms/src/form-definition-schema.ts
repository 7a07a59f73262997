import type { FieldType } from '@tessera/core'

/**
 * The shape of a form definition (core's FormDefinition) as JSON Schema,
 * for the structural half of checkFormDefinition. Rules that span several
 * places (unique keys, references between fields, min ≤ max) are checked
 * in code, in form-definition-rules.ts.
 *
 * `x-localized-text` is a keyword of the checker's own Ajv: a non-empty
 * string, or { "zh-CN": text, "en"?: text }.
 */
const text = { type: 'string', minLength: 1 }
const localized = { 'x-localized-text': true }
const keyList = { type: 'array', items: text }

const fieldBase = {
  key: text,
  label: localized,
  description: localized,
  required: { type: 'boolean' },
  unique: { type: 'boolean' },
  column: text,
}

interface FieldShape {
  properties: Record<string, unknown>
  required?: string[]
}

// A Record, so that a field type added to core fails to compile here.
const FIELD_SHAPES: Record<FieldType, FieldShape> = {
  text: {
    properties: {
      minLength: { type: 'integer', minimum: 0 },
      maxLength: { type: 'integer', minimum: 1 },
      pattern: { type: 'string' },
      multiline: { type: 'boolean' },
    },
  },
  number: {
    properties: {
      integer: { type: 'boolean' },
      scale: { type: 'integer', minimum: 0, maximum: 12 },
      min: { type: 'number' },
      max: { type: 'number' },
    },
  },
  money: {
    properties: {
      scale: { type: 'integer', minimum: 0, maximum: 6 },
      min: { type: 'string' },
      max: { type: 'string' },
      currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    },
  },
  date: {
    properties: { min: { type: 'string' }, max: { type: 'string' } },
  },
  select: {
    properties: {
      options: {
        type: 'array',
        minItems: 1,
        items: {
          type: 'object',
          required: ['value', 'label'],
          properties: { value: text, label: localized, color: { type: 'string' } },
          additionalProperties: false,
        },
      },
    },
    required: ['options'],
  },
  link: {
    properties: { form: text },
    required: ['form'],
  },
}

export const FIELD_TYPES = Object.keys(FIELD_SHAPES) as FieldType[]

const FIELD_SCHEMAS = FIELD_TYPES.map((type) => {
  const { properties, required = [] } = FIELD_SHAPES[type]
  return {
    type: 'object',
    required: ['key', 'type', 'label', ...required],
    properties: { ...fieldBase, type: { const: type }, ...properties },
    additionalProperties: false,
  }
})

export const FORM_DEFINITION_SCHEMA = {
  type: 'object',
  required: ['key', 'label', 'fields'],
  properties: {
    key: text,
    label: localized,
    description: localized,
    titleField: text,
    // Drafts may start empty, so no minItems.
    fields: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type'],
        // The discriminator reports a bad type; this only declares it.
        properties: { type: {} },
        discriminator: { propertyName: 'type' },
        oneOf: FIELD_SCHEMAS,
      },
    },
    uniques: { type: 'array', items: { ...keyList, minItems: 1 } },
    ui: {
      type: 'object',
      properties: {
        sections: {
          type: 'array',
          items: {
            type: 'object',
            required: ['fields'],
            properties: {
              title: localized,
              columns: { enum: [1, 2, 3] },
              fields: keyList,
            },
            additionalProperties: false,
          },
        },
        list: {
          type: 'object',
          properties: {
            columns: keyList,
            defaultSort: {
              type: 'array',
              items: {
                type: 'object',
                required: ['field', 'dir'],
                properties: { field: text, dir: { enum: ['asc', 'desc'] } },
                additionalProperties: false,
              },
            },
          },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
}
