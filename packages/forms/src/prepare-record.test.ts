import { describe, expect, it } from 'vitest'
import { createValidator } from './create-validator.js'
import { normalizeValues } from './normalize-values.js'
import { prepareRecord } from './prepare-record.js'
import { formWith, publish, REQUEST } from './test-forms.js'

const form = publish(REQUEST)
const base = { invoice_date: '2025-03-01', net: '100.00', tax_rate: '0.1300' }

function prepare(values: Record<string, unknown>, locale: 'zh-CN' | 'en' = 'en') {
  return prepareRecord(form, { ...base, ...values }, { locale, today: '2025-03-14' })
}

describe('prepareRecord: formulas', () => {
  it('computes formulas in dependency order, exactly, rounded to the money scale', () => {
    const { values, issues } = prepare({ net: '0.10', tax_rate: '0.0600' })
    expect(values).toMatchObject({ tax: '0.01', gross: '0.11' })
    expect(issues).toEqual([])
    expect(prepare({ net: '1234.57' }).values).toMatchObject({ tax: '160.49', gross: '1395.06' })
  })

  it('leaves a formula empty while what it reads is empty, never treating null as 0', () => {
    expect(prepare({ net: null }).values).toMatchObject({ tax: null, gross: null })
  })

  it('overrides values sent for formulas with its own', () => {
    expect(prepare({ tax: '999.99', gross: '0' }).values).toMatchObject({ tax: '13.00', gross: '113.00' })
  })

  it('reports a formula that cannot be computed on the formula field', () => {
    const broken = formWith(
      { key: 'a', type: 'money', label: 'A' },
      { key: 'b', type: 'money', label: 'B' },
      { key: 'ratio', type: 'formula', label: { 'zh-CN': '比例', en: 'Ratio' }, result: 'number',
        scale: 2, expression: { 'dec/': [{ var: 'a' }, { var: 'b' }] } },
    )
    const result = prepareRecord(broken, { a: '1', b: '0' }, { locale: 'zh-CN' })
    expect(result.values.ratio).toBeNull()
    expect(result.issues).toEqual([{
      field: 'ratio',
      rule: 'formula',
      message: '「比例」无法计算：dec/: division by zero ("1" / "0")',
    }])
    expect(prepareRecord(broken, { a: '1', b: '3' }, { locale: 'en' }).values.ratio).toBe(0.33)
  })

  it('skips formulas reading fields already found invalid', () => {
    const result = prepareRecord(form, { ...base, net: 'abc' }, {
      locale: 'en', invalid: new Set(['net']),
    })
    expect(result.values).toMatchObject({ tax: null, gross: null })
    expect(result.issues).toEqual([])
  })
})

describe('prepareRecord: visibleWhen and requiredWhen', () => {
  it('hides a field while its condition is false, empties it and does not require it', () => {
    const hidden = prepare({ method: 'transfer', bill_number: 'B-1' })
    expect(hidden.hidden).toEqual(['bill_number'])
    expect(hidden.values.bill_number).toBeNull()
    expect(hidden.issues).toEqual([])

    const shown = prepare({ method: 'acceptance' }, 'zh-CN')
    expect(shown.hidden).toEqual([])
    expect(shown.required).toContain('bill_number')
    expect(shown.issues).toEqual([{
      field: 'bill_number', rule: 'required', message: '「票据号」不能为空', expected: { required: true },
    }])
  })

  it('requires a field while its condition holds, reading formulas', () => {
    expect(prepare({ net: '90000.00', tax_rate: '0.0600' }).issues).toEqual([])
    const large = prepare({ net: '90000.00', tax_rate: '0.1300' })
    expect(large.values.gross).toBe('101700.00')
    expect(large.required).toContain('reason')
    expect(large.issues.map((issue) => [issue.field, issue.rule])).toEqual([['reason', 'required']])
  })

  it('lets the static schema leave conditionally shown required fields to prepareRecord', () => {
    const validator = createValidator()
    const values = { ...base, method: 'transfer' }
    expect(validator.validate(form, values, { locale: 'en' })).toEqual([])
  })
})

describe('prepareRecord: cross-field rules', () => {
  it('compares dates as dates and puts the message on the named fields', () => {
    const late = prepare({ due_date: '2025-02-28' }, 'zh-CN')
    expect(late.issues).toEqual([{
      field: 'due_date',
      rule: 'rule',
      message: '到期日不能早于开票日期',
      expected: { rule: 'due_after_invoice' },
    }])
    expect(prepare({ due_date: '2025-03-01' }).issues).toEqual([])
  })

  it('skips a rule while a field it names is empty', () => {
    expect(prepare({ due_date: null }).issues).toEqual([])
  })

  it('skips a rule reading a field already found invalid', () => {
    const result = prepareRecord(form, { ...base, due_date: '2025-02-30' }, {
      locale: 'en', invalid: new Set(['due_date']),
    })
    expect(result.issues).toEqual([])
  })
})

describe('the write path: validate, normalize, prepare', () => {
  it('ignores computed values in validation and normalization', () => {
    const validator = createValidator()
    const input = { ...base, number: 'forged', tax: '1', gross: 'x' }
    expect(validator.validate(form, input, { locale: 'en' })).toEqual([])
    expect(normalizeValues(form, input)).toEqual(base)
  })
})
