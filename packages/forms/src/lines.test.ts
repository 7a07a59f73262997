import { describe, expect, it } from 'vitest'
import { isTesseraError, type FieldIssue } from '@tessera/core'
import { checkFormDefinition } from './check-form-definition.js'
import { createValidator } from './create-validator.js'
import { normalizeValues } from './normalize-values.js'
import { prepareRecord } from './prepare-record.js'
import { publish, QUOTE } from './test-forms.js'

const form = publish(QUOTE)
const validator = createValidator()
const line = (item: string, qty: number, price: string, delivery?: string) =>
  ({ item, qty, price, ...(delivery ? { delivery } : {}) })

function validate(values: Record<string, unknown>, locale: 'zh-CN' | 'en' = 'en') {
  return validator.validate(form, values, { locale })
}

describe('line items: validation', () => {
  it('accepts rows of valid values and ignores line formulas sent', () => {
    expect(validate({ items: [line('A', 2, '1.50'), { ...line('B', 1, '3'), amount: 'x' }] })).toEqual([])
  })

  it('places each problem on its row and line field', () => {
    const issues = validate({
      items: [line('A', 2, '1.50'), { item: ' ', qty: 0, price: 3.5 }, { item: 'C', price: '1', color: 'red' }],
    })
    expect(issues.map((issue) => [issue.field, issue.rule, issue.message])).toEqual([
      ['items[1].item', 'required', '"Items row 2: Item" is required'],
      ['items[1].qty', 'min', '"Items row 2: Qty" must be at least 1'],
      ['items[1].price', 'type', '"Items row 2: Price" must be a decimal string such as "12.50"'],
      ['items[2].color', 'unknown_field', 'Form "Items row 3" has no field "color"'],
    ])
    expect(validate({ items: [{ item: 'A' }] }, 'zh-CN')[0].message).toBe('「明细第1行·单价」不能为空')
  })

  it('refuses too many rows, a non-list, and no rows when required', () => {
    const four = Array.from({ length: 4 }, () => line('A', 1, '1'))
    expect(validate({ items: four }).map((issue) => [issue.field, issue.rule])).toEqual([['items', 'max_rows']])
    expect(validate({ items: 'A' }).map((issue) => issue.rule)).toEqual(['type'])
    expect(validate({ items: [] }).map((issue) => issue.rule)).toEqual(['required'])
  })

  it('normalizes rows field by field and treats a missing list as no rows', () => {
    const values = normalizeValues(form, { items: [{ item: ' A ', qty: 2, price: '1.5', amount: '9' }] })
    expect(values).toEqual({ items: [{ item: 'A', qty: 2, price: '1.50' }] })
    expect(normalizeValues(publish({ ...QUOTE, fields: QUOTE.fields.map((f) => ({ ...f, required: false })) }), {
      items: null,
    })).toEqual({ items: [] })
  })
})

describe('line items: formulas and rollups', () => {
  it('computes each row and rolls the rows up exactly', () => {
    const items = [line('A', 3, '0.10', '2025-03-01'), line('B', 1, '0.20', '2025-04-01'), line('C', 2, '1.00')]
    const { values, issues } = prepareRecord(form, { items, paid: '0.30' }, { locale: 'en' })
    expect(issues).toEqual([])
    expect((values.items as Record<string, unknown>[]).map((row) => row.amount)).toEqual(['0.30', '0.20', '2.00'])
    expect(values).toMatchObject({ total: '2.50', count: 3, last: '2025-04-01', open: '2.20' })
  })

  it('starts a rollup over another form at the aggregate of no rows', () => {
    const { values } = prepareRecord(form, { items: [line('A', 1, '5')] }, { locale: 'en' })
    expect(values).toMatchObject({ paid: '0.00', total: '5.00', open: '5.00' })
  })

  it('names the row of a line formula that fails', () => {
    const broken = publish({
      ...QUOTE,
      fields: QUOTE.fields.map((field) => field.type !== 'lines' ? field : {
        ...field,
        fields: field.fields.map((f) => f.key !== 'amount' ? f : {
          ...f, expression: { 'dec/': [{ var: 'price' }, { var: 'qty' }] },
        }),
      }),
    })
    const { issues } = prepareRecord(broken, { items: [line('A', 1, '1'), line('B', 0, '1')] }, { locale: 'zh-CN' })
    expect(issues.map((issue) => [issue.field, issue.message])).toEqual([
      ['items[1].amount', '「明细第2行·金额」无法计算：dec/: division by zero ("1" / 0)'],
    ])
  })
})

describe('line items: amounts past what a column stores', () => {
  it('names the row and field of a line amount with more digits than money holds, instead of failing the write', () => {
    const { issues } = prepareRecord(form, { items: [line('A', 1, '5'), line('B', 1e15, '99999.99')] }, { locale: 'zh-CN' })
    expect(issues.map((issue) => [issue.field, issue.rule, issue.message])).toEqual([
      ['items[1].amount', 'range', '「明细第2行·金额」的计算结果超出可存储的范围（整数部分最多 18 位）'],
    ])
    // Just inside: 18 digits before the point.
    const fits = prepareRecord(form, { items: [line('A', 1e12, '999999.99')] }, { locale: 'en' })
    expect(fits.issues).toEqual([])
    expect((fits.values.items as Record<string, unknown>[])[0].amount).toBe('999999990000000000.00')
  })
})

describe('line items, rollups and lookups: definitions', () => {
  const issuesOf = (def: unknown): [string | undefined, string][] => {
    try {
      checkFormDefinition(def, { forms: ['quote', 'customer', 'receipt'] })
    } catch (error) {
      if (!isTesseraError(error)) throw error
      return error.issues.map((issue: FieldIssue) => [issue.field, issue.message])
    }
    return []
  }
  const sample = (...fields: unknown[]) => ({ key: 'sample', label: '样例', fields })
  const lines = (...fields: unknown[]) => ({ key: 'items', type: 'lines', label: '明细', fields })

  it('accepts the quote', () => {
    expect(issuesOf(QUOTE)).toEqual([])
  })

  it('checks line fields like fields, with their own keys and types', () => {
    expect(issuesOf(sample(lines(
      { key: 'position', type: 'text', label: 'p' },
      { key: 'a', type: 'text', label: 'a' },
      { key: 'a', type: 'number', label: 'a2', min: 3, max: 1 },
      { key: 'sub', type: 'lines', label: 's', fields: [] },
      { key: 'f', type: 'formula', label: 'f', result: 'money', expression: { var: 'zzz' } },
    )))).toEqual([
      ['fields[0].fields[3].type', 'unknown field type "lines"; expected one of text, number, money, ' +
        'percent, date, boolean, select, link, formula, phone, email'],
      ['fields[0].fields[0].key', 'field key "position" is reserved for system columns'],
      ['fields[0].fields[2].key', 'field key "a" is already used by fields[0].fields[1]'],
      ['fields[0].fields[2].min', 'min 3 is greater than max 1'],
      ['fields[0].fields[4].expression.var', 'data path "zzz" does not exist'],
    ])
  })

  it('checks rollup sources and what they aggregate', () => {
    const item = lines({ key: 'note', type: 'text', label: 'n' }, { key: 'qty', type: 'number', label: 'q' })
    expect(issuesOf(sample(
      item,
      { key: 'a', type: 'rollup', label: 'a', agg: 'sum', field: 'qty' },
      { key: 'b', type: 'rollup', label: 'b', lines: 'items', form: 'receipt', link: 'x', agg: 'count' },
      { key: 'c', type: 'rollup', label: 'c', lines: 'items', agg: 'sum', field: 'note' },
      { key: 'd', type: 'rollup', label: 'd', lines: 'nope', agg: 'count' },
      { key: 'e', type: 'rollup', label: 'e', lines: 'items', agg: 'max' },
      { key: 'f', type: 'rollup', label: 'f', form: 'ghost', link: 'x', agg: 'count' },
    ))).toEqual([
      ['fields[1]', 'a rollup reads either line items ("lines") or another form ("form" and "link")'],
      ['fields[2]', 'a rollup reads either line items ("lines") or another form ("form" and "link")'],
      ['fields[3].field', 'a sum reads number, money, percent values, not text'],
      ['fields[4].lines', '"nope" is not a lines field of this form'],
      ['fields[5].field', 'a max needs the field it aggregates'],
      ['fields[6].form', 'form "ghost" does not exist'],
    ])
  })

  it('checks lookups name a link, and keeps them out of form logic', () => {
    expect(issuesOf(sample(
      { key: 'name', type: 'text', label: 'n' },
      { key: 'region', type: 'lookup', label: 'r', link: 'name', field: 'region' },
      { key: 'shout', type: 'formula', label: 's', result: 'text', expression: { upper: { var: 'region' } } },
    ))).toEqual([
      ['fields[2].expression.upper.var', 'data path "region" does not exist'],
      ['fields[1].link', '"name" is not a link field of this form'],
    ])
  })
})
