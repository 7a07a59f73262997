import { describe, expect, it } from 'vitest'
import { createAjv } from './create-ajv.js'
import { publish, QUOTE, REQUEST } from './test-forms.js'
import { toOpenApi } from './to-open-api.js'

const doc = toOpenApi({ app: { key: 'sales', label: '销售' }, forms: [publish(REQUEST), publish(QUOTE)] })
const schemas = (doc.components as { schemas: Record<string, Record<string, unknown>> }).schemas
const paths = doc.paths as Record<string, Record<string, Record<string, unknown>>>

describe('toOpenApi', () => {
  it('describes the record endpoints of every form', () => {
    expect(doc.openapi).toBe('3.1.0')
    expect(Object.keys(paths)).toEqual([
      '/api/apps/sales/forms/request/records',
      '/api/apps/sales/forms/request/records/{id}',
      '/api/apps/sales/forms/quote/records',
      '/api/apps/sales/forms/quote/records/{id}',
    ])
    expect(Object.keys(paths['/api/apps/sales/forms/request/records/{id}'])).toEqual(['get', 'patch', 'delete'])
    expect(paths['/api/apps/sales/forms/request/records'].post.operationId).toBe('create_request')
  })

  it('uses the write schema the server validates with, without computed fields', () => {
    const write = schemas.request_write
    expect(Object.keys(write.properties as object)).not.toContain('gross')
    expect(write.required).toEqual(['invoice_date', 'net', 'tax_rate'])
    // The schema compiles with our own keywords and accepts a valid body.
    const validate = createAjv().compile(write)
    expect(validate({ invoice_date: '2025-03-01', net: '10.00', tax_rate: '0.13' })).toBe(true)
    expect(validate({ invoice_date: '2025-03-01', net: 10, tax_rate: '0.13' })).toBe(false)
  })

  it('marks computed fields read-only in the record schema', () => {
    const values = (schemas.quote_record.properties as Record<string, { properties: Record<string, Record<string, unknown>> }>).values
    expect(values.properties.total).toMatchObject({ readOnly: true })
    expect(values.properties.items.anyOf).toEqual([{ type: 'null' }, expect.objectContaining({ type: 'array' })])
  })

  it('offers only the operations the caller may use', () => {
    const readOnly = toOpenApi({
      app: { key: 'sales', label: '销售' }, forms: [publish(REQUEST)], actions: () => ['read'],
    })
    const only = readOnly.paths as Record<string, Record<string, unknown>>
    expect(Object.keys(only['/api/apps/sales/forms/request/records'])).toEqual(['get'])
  })
})
