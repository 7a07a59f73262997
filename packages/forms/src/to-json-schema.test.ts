import { describe, expect, it } from 'vitest'
import { createAjv } from './create-ajv.js'
import { INVOICE } from './test-forms.js'
import { toJsonSchema } from './to-json-schema.js'

describe('toJsonSchema', () => {
  const schema = toJsonSchema(INVOICE)
  const properties = schema.properties as Record<string, Record<string, unknown>>

  it('describes the values object: one property per field, required list, no extras', () => {
    expect(Object.keys(properties)).toEqual(INVOICE.fields.map((field) => field.key))
    expect(schema.required).toEqual(['number', 'amount', 'customer'])
    expect(schema.additionalProperties).toBe(false)
    expect(schema.type).toBe('object')
  })

  it('maps each field type to its JSON type and keywords', () => {
    expect(properties.number).toEqual({
      title: '发票号',
      type: 'string',
      minLength: 2,
      maxLength: 10,
      pattern: '^[A-Z]+-\\d+$',
      'x-required': true,
    })
    expect(properties.amount).toEqual({
      title: '金额',
      type: 'string',
      'x-decimal': { scale: 2, min: '0', max: '1000000' },
      'x-required': true,
    })
    expect(properties.customer).toEqual({
      title: '客户',
      type: 'integer',
      minimum: 1,
      maximum: Number.MAX_SAFE_INTEGER,
      'x-required': true,
    })
  })

  it('lets optional fields be null or "" through an empty branch', () => {
    expect(properties.quantity).toEqual({
      title: '数量',
      anyOf: [{ enum: [null, ''] }, { type: 'integer', minimum: 1, maximum: 1000, 'x-digits': 15 }],
    })
    expect(properties.rate.anyOf).toEqual([
      { enum: [null, ''] },
      { type: 'number', minimum: 0, 'x-scale': 2, 'x-digits': 15 },
    ])
    expect(properties.fee.anyOf).toEqual([
      { enum: [null, ''] },
      { type: 'string', 'x-decimal': { scale: 3 } },
    ])
    expect(properties.due_date.anyOf).toEqual([
      { enum: [null, ''] },
      { type: 'string', format: 'date', formatMinimum: '2025-01-01', formatMaximum: '2030-12-31' },
    ])
    expect(properties.status.anyOf).toEqual([
      { enum: [null, ''] },
      { type: 'string', enum: ['open', 'paid'] },
    ])
  })

  it('drops the required list for partial updates only', () => {
    const partial = toJsonSchema(INVOICE, { partial: true })
    expect(partial.required).toBeUndefined()
    expect(partial.properties).toEqual(schema.properties)
  })

  it('compiles in our strict Ajv', () => {
    expect(() => createAjv().compile(schema)).not.toThrow()
  })
})
