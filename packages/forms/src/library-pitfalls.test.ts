import { describe, expect, it } from 'vitest'
import { createAjv } from './create-ajv.js'
import { createValidator } from './create-validator.js'
import { formWith, INVOICE, publish } from './test-forms.js'
import { toJsonSchema } from './to-json-schema.js'

// The cases of LIBRARY-NOTES §1.2 that apply to our own Ajv instance.

const form = formWith(
  { key: 'amount', type: 'money', label: '金额', required: true },
  { key: 'approved', type: 'select', label: '已审批', options: [{ value: 'yes', label: '是' }] },
  { key: 'note', type: 'text', label: '备注' },
  { key: 'due', type: 'date', label: '到期日' },
)
const validator = createValidator()
const validate = (values: Record<string, unknown>) =>
  validator.validate(form, values, { locale: 'en' })

describe('ajv pitfalls (LIBRARY-NOTES §1.2)', () => {
  it('does not coerce {"amount": null}; it stays null and is an error when required', () => {
    const values = { amount: null }
    expect(validate(values).map((issue) => [issue.field, issue.rule]))
      .toEqual([['amount', 'required']])

    // validate() works on a copy, so ask the compiled schema itself:
    // with coercion, ajv would rewrite the null in place.
    const data = { amount: null }
    expect(validator.compile(form)(data)).toBe(false)
    expect(data).toEqual({ amount: null })
  })

  it('does not coerce "approved": 0 or "note": 123', () => {
    const values = { amount: '1', approved: 0, note: 123 }
    const issues = validate(values)
    expect(values).toEqual({ amount: '1', approved: 0, note: 123 })
    expect(issues.map((issue) => [issue.field, issue.rule])).toEqual([
      ['approved', 'type'],
      ['note', 'type'],
    ])
  })

  it('does not strip an additional property; it reports it', () => {
    const values = { amount: '1', isAdmin: true }
    expect(validate(values).map((issue) => issue.rule)).toEqual(['unknown_field'])

    const data = { amount: '1', isAdmin: true }
    expect(validator.compile(form)(data)).toBe(false)
    expect(data).toEqual({ amount: '1', isAdmin: true })
  })

  it('validates dates in full mode: 2025-02-30 is not a date', () => {
    expect(validate({ amount: '1', due: '2025-02-30' }).map((issue) => issue.rule))
      .toEqual(['format'])
    expect(validate({ amount: '1', due: '2024-02-29' })).toEqual([])
  })

  it('uses no date-time format anywhere, and our Ajv does not know it', () => {
    expect(JSON.stringify(toJsonSchema(INVOICE))).not.toContain('date-time')
    expect(() => createAjv().compile({ type: 'string', format: 'date-time' }))
      .toThrow(/unknown format "date-time"/)
  })

  it('runs in strict mode: an unknown keyword is a compile error, not ignored', () => {
    expect(() => createAjv().compile({ type: 'string', errorMessage: 'x' }))
      .toThrow(/unknown keyword: "errorMessage"/)
  })

  it('compiles once per form version, not per fresh schema object', () => {
    const own = createValidator()
    const compiled = new Set<unknown>()
    for (let index = 0; index < 1000; index += 1) {
      compiled.add(own.compile(publish(structuredClone(INVOICE), 4)))
    }
    expect(compiled.size).toBe(1)
    expect(own.size).toBe(1)
  })
})
