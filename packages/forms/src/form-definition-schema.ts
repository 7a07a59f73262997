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
  indexed: { type: 'boolean' },
  column: text,
  visibleWhen: {},
  requiredWhen: {},
}

const options = {
  type: 'array',
  minItems: 1,
  items: {
    type: 'object',
    required: ['value', 'label'],
    properties: { value: text, label: localized, color: { type: 'string' } },
    additionalProperties: false,
  },
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
      patternHint: localized,
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
    properties: { min: { type: 'string' }, max: { type: 'string' }, default: { const: 'today' } },
  },
  select: { properties: { options, default: { type: 'string' } }, required: ['options'] },
  multiselect: { properties: { options }, required: ['options'] },
  link: {
    properties: { form: text, pickWhere: { type: 'object' } },
    required: ['form'],
  },
  member: {
    properties: { multiple: { type: 'boolean' }, default: { const: '$me' } },
  },
  department: {
    properties: { multiple: { type: 'boolean' }, default: { const: '$me' } },
  },
  attachment: {
    properties: {
      multiple: { type: 'boolean' },
      maxSize: { type: 'integer', minimum: 1, maximum: 1024 * 1024 * 1024 },
      accept: {
        type: 'array',
        minItems: 1,
        items: { type: 'string', pattern: '^(\\.[A-Za-z0-9]{1,16}|[a-z]+/([a-z0-9.+-]+|\\*))$' },
      },
    },
  },
  percent: {
    properties: {
      scale: { type: 'integer', minimum: 0, maximum: 4 },
      min: { type: 'string' },
      max: { type: 'string' },
    },
  },
  datetime: { properties: {} },
  boolean: { properties: {} },
  phone: { properties: {} },
  email: { properties: {} },
  bank_account: { properties: {} },
  region: { properties: { depth: { enum: [1, 2, 3] } } },
  uscc: { properties: {} },
  formula: {
    properties: {
      expression: {},
      result: { enum: ['text', 'number', 'money', 'percent', 'date', 'boolean'] },
      scale: { type: 'integer', minimum: 0, maximum: 6 },
      currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    },
    required: ['expression', 'result'],
  },
  autonumber: { properties: { pattern: text, dateField: text }, required: ['pattern'] },
  // The shapes of line fields are filled in below, from these same shapes.
  lines: {
    properties: {
      fields: { type: 'array', minItems: 1 },
      maxRows: { type: 'integer', minimum: 1, maximum: 10_000 },
      table: { type: 'string', pattern: '^[a-z][a-z0-9_]{0,62}$' },
    },
    required: ['fields'],
  },
  rollup: {
    properties: {
      lines: text,
      form: text,
      link: text,
      agg: { enum: ['sum', 'count', 'min', 'max'] },
      field: text,
      result: {
        type: 'object',
        required: ['type'],
        properties: {
          type: { enum: ['number', 'money', 'percent', 'date'] },
          scale: { type: 'integer', minimum: 0, maximum: 12 },
        },
        additionalProperties: false,
      },
    },
    required: ['agg'],
  },
  lookup: {
    properties: { link: text, field: text, target: { type: 'object' } },
    required: ['link', 'field'],
  },
}

export const FIELD_TYPES = Object.keys(FIELD_SHAPES) as FieldType[]

/** The types a line of a lines field may have (core's LineFieldDefinition). */
export const LINE_FIELD_TYPES: readonly FieldType[] = [
  'text', 'number', 'money', 'percent', 'date', 'boolean', 'select', 'link', 'formula', 'phone', 'email',
]

function shapeSchema(type: FieldType) {
  const { properties, required = [] } = FIELD_SHAPES[type]
  return {
    type: 'object',
    required: ['key', 'type', 'label', ...required],
    properties: { ...fieldBase, type: { const: type }, ...properties },
    additionalProperties: false,
  }
}

/** A list of fields of some types, each checked by the shape of its type. */
function fieldList(types: readonly FieldType[]) {
  return {
    type: 'object',
    required: ['type'],
    // The discriminator reports a bad type; this only declares it.
    properties: { type: {} },
    discriminator: { propertyName: 'type' },
    oneOf: types.map(shapeSchema),
  }
}

Object.assign(FIELD_SHAPES.lines.properties.fields as object, { items: fieldList(LINE_FIELD_TYPES) })

export const FORM_DEFINITION_SCHEMA = {
  type: 'object',
  required: ['key', 'label', 'fields'],
  properties: {
    key: text,
    label: localized,
    description: localized,
    titleField: text,
    periodField: text,
    // Drafts may start empty, so no minItems.
    fields: { type: 'array', items: fieldList(FIELD_TYPES) },
    uniques: { type: 'array', items: { ...keyList, minItems: 1 } },
    constraints: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'per', 'sum', 'max', 'message'],
        properties: { key: text, per: text, sum: text, max: text, message: localized },
        additionalProperties: false,
      },
    },
    agreements: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'paths', 'message'],
        properties: {
          key: text,
          paths: { type: 'array', items: text, minItems: 2, maxItems: 4 },
          compare: { enum: ['==', '<=', '<'] },
          message: localized,
        },
        additionalProperties: false,
      },
    },
    rules: {
      type: 'array',
      items: {
        type: 'object',
        required: ['key', 'assert', 'message'],
        properties: { key: text, when: {}, assert: {}, message: localized, fields: keyList },
        additionalProperties: false,
      },
    },
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
        picker: {
          type: 'object',
          properties: { fields: { ...keyList, maxItems: 4 } },
          additionalProperties: false,
        },
      },
      additionalProperties: false,
    },
  },
  additionalProperties: false,
}
