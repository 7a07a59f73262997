import { describe, expect, it } from 'vitest'
import type { FieldIssue } from '@tessera/core'
import { createValidator } from './create-validator.js'
import { INVOICE, publish, VALID_INVOICE } from './test-forms.js'

const form = publish(INVOICE)
const validator = createValidator()

function check(values: Record<string, unknown>, locale: 'zh-CN' | 'en' = 'en'): FieldIssue[] {
  return validator.validate(form, { ...VALID_INVOICE, ...values }, { locale })
}

/** The rules broken, by field: { amount: ['min'] }. */
function rules(issues: FieldIssue[]): Record<string, string[]> {
  const result: Record<string, string[]> = {}
  for (const issue of issues) (result[issue.field ?? ''] ??= []).push(issue.rule)
  return result
}

describe('validate: whole records', () => {
  it('accepts valid values', () => {
    expect(check({})).toEqual([])
    expect(check({
      note: 'ok',
      quantity: 3,
      rate: 0.29,
      fee: '0.125',
      due_date: '2028-02-29',
      status: 'paid',
    })).toEqual([])
  })

  it('reports missing required fields, in field order', () => {
    const issues = validator.validate(form, {}, { locale: 'en' })
    expect(issues.map((issue) => [issue.field, issue.rule])).toEqual([
      ['number', 'required'],
      ['amount', 'required'],
      ['customer', 'required'],
    ])
  })

  it('refuses values that are not an object', () => {
    for (const values of [null, [], 'x', 3]) {
      const issues = validator.validate(form, values, { locale: 'en' })
      expect(issues).toEqual([{
        rule: 'type',
        message: 'Record values must be an object keyed by field',
        expected: { type: 'object' },
      }])
    }
  })

  it('reports an unknown property instead of dropping it', () => {
    const issues = check({ isAdmin: true })
    expect(issues).toEqual([{
      field: 'isAdmin',
      rule: 'unknown_field',
      message: 'Form "Invoice" has no field "isAdmin"',
      received: true,
    }])
    expect(check({ isAdmin: true }, 'zh-CN')[0].message).toBe('表单「发票」没有字段「isAdmin」')
  })
})

describe('validate: text', () => {
  it('checks length and pattern on the trimmed text', () => {
    expect(rules(check({ number: 'A' }))).toEqual({ number: ['minLength', 'pattern'] })
    expect(rules(check({ number: 'ABCDEFG-123' }))).toEqual({ number: ['maxLength'] })
    expect(rules(check({ number: 'inv-1' }))).toEqual({ number: ['pattern'] })
    expect(check({ number: '  INV-1  ' })).toEqual([])
    expect(rules(check({ note: 'abcdef' }))).toEqual({ note: ['maxLength'] })
  })

  it('treats blank text of a required field as missing', () => {
    const [issue] = check({ number: '   ' })
    expect([issue.rule, issue.message]).toEqual(['required', '"Number" is required'])
  })

  it('refuses a number where text is expected', () => {
    expect(check({ note: 123 })).toEqual([{
      field: 'note',
      rule: 'type',
      message: '"Note" must be text',
      expected: { type: 'string' },
      received: 123,
    }])
  })
})

describe('validate: text pattern', () => {
  const projects = (patternHint?: string) => publish({
    key: 'project',
    label: { 'zh-CN': '项目', en: 'Project' },
    fields: [{ key: 'code', type: 'text', label: { 'zh-CN': '项目编号', en: 'Code' }, pattern: '^[A-Z]{2}-[0-9]{3}$', ...(patternHint ? { patternHint } : {}) }],
  })

  it('says what the format is, in the field’s own words or else as the expression', () => {
    expect(validator.validate(projects('两个大写字母、短横线、三位数字，如 RD-001'), { code: 'abc-12' }, { locale: 'zh-CN' }))
      .toMatchObject([{ field: 'code', rule: 'pattern', message: '「项目编号」的格式不正确，应为：两个大写字母、短横线、三位数字，如 RD-001' }])
    expect(validator.validate(projects(), { code: 'abc-12' }, { locale: 'zh-CN' }))
      .toMatchObject([{ rule: 'pattern', message: '「项目编号」的格式不正确，应符合正则表达式 ^[A-Z]{2}-[0-9]{3}$' }])
    expect(validator.validate(projects(), { code: 'RD-001' }, { locale: 'en' })).toEqual([])
  })
})

describe('validate: number', () => {
  const counts = publish({
    key: 'stock',
    label: { 'zh-CN': '库存', en: 'Stock' },
    fields: [{ key: 'count', type: 'number', label: { 'zh-CN': '数量', en: 'Count' } }],
  })

  it('refuses a number of more significant digits than a double keeps, given as a number or as text', () => {
    // 12345678901234567 arrives from JSON as 12345678901234568: storing it would change what was typed.
    const issues = validator.validate(counts, { count: 12345678901234567 }, { locale: 'zh-CN' })
    expect(issues).toMatchObject([{
      field: 'count', rule: 'significant_digits', message: '「数量」最多 15 位有效数字，更长的数字无法原样保存',
    }])
    // The web input keeps such a number as typed, as text, and is told the same.
    expect(validator.validate(counts, { count: '12345678901234567' }, { locale: 'zh-CN' }))
      .toMatchObject([{ field: 'count', rule: 'significant_digits' }])
    expect(validator.validate(counts, { count: 0.12345678901234567 }, { locale: 'en' }))
      .toMatchObject([{ rule: 'significant_digits', message: '"Count" keeps at most 15 significant digits; a longer number cannot be stored as given' }])
    // Past 2^53 a whole number may have been rounded on its way in, whatever its text shows.
    for (const count of [10000000000000001, 1e21]) {
      expect(validator.validate(counts, { count }, { locale: 'en' }), String(count)).toMatchObject([{ rule: 'significant_digits' }])
    }
    // Fifteen digits, and small numbers of few digits, are kept exactly.
    for (const count of [123456789012345, 0.000123456789012345, 900719925474099, -4.5e-7, 1.5e15]) {
      expect(validator.validate(counts, { count }, { locale: 'en' }), String(count)).toEqual([])
    }
    // Text that is no number is still "must be a number".
    expect(validator.validate(counts, { count: '12a' }, { locale: 'en' })).toMatchObject([{ rule: 'type' }])
  })

  it('checks integers, bounds and scale', () => {
    expect(rules(check({ quantity: 1.5 }))).toEqual({ quantity: ['type'] })
    expect(rules(check({ quantity: 0 }))).toEqual({ quantity: ['min'] })
    expect(rules(check({ quantity: 1001 }))).toEqual({ quantity: ['max'] })
    expect(rules(check({ rate: 0.125 }))).toEqual({ rate: ['scale'] })
    expect(rules(check({ rate: -1 }))).toEqual({ rate: ['min'] })
    expect(rules(check({ rate: '0.5' }))).toEqual({ rate: ['type'] })
  })

  it('checks scale exactly, where multipleOf would fail on floats', () => {
    expect(check({ rate: 0.29 })).toEqual([])
    expect(check({ rate: 1.13 })).toEqual([])
    expect(rules(check({ rate: 0.1 + 0.2 }))).toEqual({ rate: ['scale', 'significant_digits'] })
  })
})

describe('validate: money', () => {
  it('accepts plain decimal text within scale and bounds', () => {
    for (const amount of ['0', '12', '12.5', '12.50', '1000000', '0.01']) {
      expect(check({ amount })).toEqual([])
    }
  })

  it('explains that money is a decimal string when given a number', () => {
    const [en] = check({ amount: 12.5 })
    expect(en).toEqual({
      field: 'amount',
      rule: 'type',
      message: '"Amount" must be a decimal string such as "12.50"',
      expected: { type: 'decimal string', example: '12.50' },
      received: 12.5,
    })
    expect(check({ fee: 1 })[0].message).toBe('"Fee" must be a decimal string such as "12.500"')
    expect(check({ amount: 12.5 }, 'zh-CN')[0].message)
      .toBe('「金额」必须是文本形式的金额，例如 "12.50"')
  })

  it('refuses text that is not a plain decimal', () => {
    for (const amount of ['1e3', '+1', '1,000.00', ' 1', '.5', '1.', 'abc']) {
      expect(rules(check({ amount }))).toEqual({ amount: ['format'] })
    }
    expect(check({ amount: 'abc' }, 'zh-CN')[0].message).toBe('「金额」应为金额数字，例如 "12.50"')
  })

  it('checks scale, digits and bounds exactly', () => {
    expect(rules(check({ amount: '1.005' }))).toEqual({ amount: ['scale'] })
    expect(rules(check({ amount: '-0.01' }))).toEqual({ amount: ['min'] })
    expect(rules(check({ amount: '1000000.01' }))).toEqual({ amount: ['max'] })
    expect(rules(check({ fee: '1234567890123456789.5' }))).toEqual({ fee: ['digits'] })
    expect(check({ fee: '12345678901234567.125' })).toEqual([])
  })

  it('words bounds in both locales, with the field label', () => {
    expect(check({ amount: '-1' }, 'zh-CN')[0].message).toBe('「金额」必须大于或等于 0')
    expect(check({ amount: '-1' }, 'en')[0]).toMatchObject({
      message: '"Amount" must be at least 0',
      expected: { min: '0' },
      received: '-1',
    })
  })
})

describe('validate: date', () => {
  it('accepts real dates within bounds', () => {
    expect(check({ due_date: '2028-02-29' })).toEqual([])
  })

  it('refuses impossible dates, other layouts and dates out of bounds', () => {
    expect(rules(check({ due_date: '2025-02-30' }))).toEqual({ due_date: ['format'] })
    expect(rules(check({ due_date: '2025-9-30' }))).toEqual({ due_date: ['format'] })
    expect(rules(check({ due_date: '2024-12-31' }))).toEqual({ due_date: ['min'] })
    expect(rules(check({ due_date: '2031-01-01' }))).toEqual({ due_date: ['max'] })
    expect(rules(check({ due_date: 20250101 }))).toEqual({ due_date: ['type'] })
    expect(check({ due_date: '2024-12-31' }, 'zh-CN')[0].message)
      .toBe('「到期日」不能早于 2025-01-01')
  })

  it('refuses a date before 1900 even where the field sets no bound, as reports and imports do', () => {
    const free = publish({ key: 'free', label: '自由', fields: [{ key: 'day', type: 'date', label: '日期' }] })
    const issues = (day: string) => validator.validate(free, { day }, { locale: 'zh-CN' })
    expect(issues('1900-01-01')).toEqual([])
    expect(issues('9999-12-31')).toEqual([])
    // A slip of the keyboard (1000 for 2000), and the years 1–99 that JavaScript's Date.UTC misreads.
    // (0000-01-01 never reached the database, which refused it naming no field.)
    for (const day of ['1899-12-31', '1000-01-01', '0099-01-02', '0001-01-01', '0000-01-01']) {
      expect(issues(day)).toEqual([expect.objectContaining({ field: 'day', rule: 'min', message: '「日期」不能早于 1900-01-01' })])
    }
    // A field's own later bound still holds.
    expect(rules(check({ due_date: '1899-01-01' }))).toEqual({ due_date: ['min'] })
  })
})

describe('validate: select', () => {
  it('accepts option values only, naming the options in the message', () => {
    expect(check({ status: 'open' })).toEqual([])
    expect(check({ status: 'Open' })[0]).toMatchObject({
      rule: 'enum',
      message: '"Status" must be one of "Open", "Paid"',
      expected: { options: ['open', 'paid'] },
    })
    expect(check({ status: 'x' }, 'zh-CN')[0].message).toBe('「状态」必须是以下选项之一：「未结」、「已结」')
    expect(rules(check({ status: 1 }))).toEqual({ status: ['type'] })
  })
})

describe('validate: link', () => {
  it('accepts positive integer ids only', () => {
    const message = '"Customer" must be the id of the linked record (a whole number from 1)'
    expect(check({ customer: 1 })).toEqual([])
    for (const customer of [0, -3, 1.5, '7']) {
      const [issue] = check({ customer })
      expect([issue.rule, issue.message]).toEqual(['type', message])
    }
  })
})

describe('validate: empty values', () => {
  it('accepts null and "" for optional fields of every type', () => {
    const empty = { note: null, quantity: null, rate: '', fee: '', due_date: null, status: '' }
    expect(check(empty)).toEqual([])
  })

  it('refuses null and "" for required fields, with one required issue each', () => {
    const issues = check({ number: null, amount: '', customer: null }, 'zh-CN')
    expect(issues.map((issue) => [issue.field, issue.rule, issue.message])).toEqual([
      ['number', 'required', '「发票号」不能为空'],
      ['amount', 'required', '「金额」不能为空'],
      ['customer', 'required', '「客户」不能为空'],
    ])
  })
})

describe('validate: partial updates', () => {
  const partial = (values: Record<string, unknown>) =>
    validator.validate(form, values, { locale: 'en', partial: true })

  it('skips required for absent keys', () => {
    expect(partial({ note: 'hi' })).toEqual([])
    expect(partial({})).toEqual([])
  })

  it('still refuses explicit null or "" on required fields', () => {
    expect(rules(partial({ amount: null, number: '' }))).toEqual({
      number: ['required'],
      amount: ['required'],
    })
  })

  it('still checks the values that are present', () => {
    expect(rules(partial({ amount: '1.234', extra: 1 }))).toEqual({
      amount: ['scale'],
      extra: ['unknown_field'],
    })
  })
})

describe('validator cache', () => {
  it('returns the same compiled function for a form version', () => {
    const own = createValidator()
    const first = own.compile(form)
    expect(own.compile(publish(INVOICE))).toBe(first)
    expect(own.compile(form, { partial: true })).not.toBe(first)
    expect(own.compile(publish(INVOICE, 2))).not.toBe(first)
    expect(own.size).toBe(3)
  })

  it('does not compile again for 1000 fresh copies of the same form version', () => {
    const own = createValidator()
    for (let index = 0; index < 1000; index += 1) {
      const copy = structuredClone(form)
      own.validate(copy, { ...VALID_INVOICE, amount: String(index) }, { locale: 'en' })
    }
    expect(own.size).toBe(1)
  })
})
