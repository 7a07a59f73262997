import { describe, expect, it } from 'vitest'
import type { FieldIssue } from '@tessera/core'
import { createValidator } from './create-validator.js'
import { normalizeValues } from './normalize-values.js'
import { publish, SUPPLIER } from './test-forms.js'

const form = publish(SUPPLIER)
const validator = createValidator()

function check(values: Record<string, unknown>, locale: 'zh-CN' | 'en' = 'en'): FieldIssue[] {
  return validator.validate(form, { active: true, ...values }, { locale })
}

function only(values: Record<string, unknown>, locale: 'zh-CN' | 'en' = 'en') {
  const issues = check(values, locale)
  expect(issues).toHaveLength(1)
  return issues[0]
}

describe('validate: text of a known shape', () => {
  it('accepts valid values of every kind', () => {
    expect(check({
      credit_code: '91330100799655058B',
      phone: '138 0013 8000',
      email: 'ar@example.com',
      account: '6222 0212 3456 7890',
      region: '广东/深圳市',
      signed_at: '2025-03-14T09:30:00+08:00',
    })).toEqual([])
  })

  it('explains a wrong check character of a credit code in both languages', () => {
    const issue = only({ credit_code: '91330100799655058C' })
    expect(issue).toEqual({
      field: 'credit_code',
      rule: 'format',
      message: '"Credit code" has a wrong check character; please check the code',
      expected: { format: 'uscc', reason: 'check' },
      received: '91330100799655058C',
    })
    expect(only({ credit_code: '91330100799655058C' }, 'zh-CN').message)
      .toBe('「信用代码」的校验码不正确，请核对统一社会信用代码')
    expect(only({ credit_code: '9133010079965505' }, 'zh-CN').message)
      .toBe('「信用代码」应为 18 位统一社会信用代码')
  })

  it('names the accepted layouts of a phone number', () => {
    expect(only({ phone: '12345' }, 'zh-CN').message).toContain('手机号（如 13800138000）')
    expect(only({ phone: '12345' }).expected).toEqual({ format: 'phone', reason: 'format' })
  })

  it('quotes the bounds of e-mail, bank account and region messages', () => {
    expect(only({ email: 'not-an-address' }).message)
      .toBe('"E-mail" is not an e-mail address such as name@example.com')
    expect(only({ account: '1234' }, 'zh-CN').message).toBe('「银行账号」应为 8–30 位数字')
    expect(only({ account: '1234-5678' }).message)
      .toBe('"Account" may only hold digits (spaces between groups are fine)')
    expect(only({ region: '广东省/深圳市/南山区' }, 'zh-CN').message).toBe('「地区」最多填写 2 级')
    expect(only({ region: '深圳市' }).rule).toBe('format')
  })

  it('refuses a date-time without an offset, saying so', () => {
    expect(only({ signed_at: '2025-03-14T09:30' }, 'zh-CN').message)
      .toBe('「签约时间」缺少时区，例如 "2025-03-14T09:30:00+08:00"')
    expect(only({ signed_at: 1710379800000 }).message)
      .toBe('"Signed at" must be a date and time with an offset, such as "2025-03-14T09:30:00+08:00"')
  })

  it('refuses numbers where text of a shape is expected', () => {
    expect(only({ account: 6222021234567890 })).toMatchObject({ rule: 'type' })
  })
})

describe('validate: percent', () => {
  it('takes the fraction as decimal text, at most scale + 2 digits', () => {
    expect(check({ tax_rate: '0.13' })).toEqual([])
    expect(check({ tax_rate: '0.0625' })).toEqual([])
    expect(only({ tax_rate: '0.00625' }, 'zh-CN').message).toBe('「税率」的百分数最多保留 2 位小数')
  })

  it('states bounds and examples as percentages', () => {
    expect(only({ tax_rate: '1.5' }, 'zh-CN').message).toBe('「税率」必须小于或等于 100%')
    expect(only({ tax_rate: '-0.01' }).message).toBe('"Tax rate" must be at least 0%')
    expect(only({ tax_rate: 0.13 }).message)
      .toBe('"Tax rate" must be a fraction written as decimal text, such as "0.13" (for 13%)')
    expect(only({ tax_rate: '13%' }, 'zh-CN').message)
      .toBe('「税率」必须是普通的小数比例，例如 "0.13"（表示 13%）')
  })
})

describe('validate: yes/no', () => {
  it('takes true and false only; required means answered', () => {
    expect(check({ active: false })).toEqual([])
    expect(only({ active: 'yes' })).toMatchObject({
      rule: 'type',
      message: '"Active" must be true (yes) or false (no)',
    })
    expect(only({ active: 0 }).rule).toBe('type')
    expect(only({ active: null }).rule).toBe('required')
  })
})

describe('validate: multiple choice', () => {
  it('takes a list of distinct option values', () => {
    expect(check({ tags: ['risk', 'vip'] })).toEqual([])
    expect(check({ tags: [] })).toEqual([])
    expect(only({ tags: ['vip', 'gold'] }, 'zh-CN')).toMatchObject({
      field: 'tags',
      rule: 'enum',
      message: '「标签」必须是以下选项之一：「重点」、「新客」、「风险」',
    })
    expect(only({ tags: ['vip', 'vip'] }).message).toBe('"Tags" lists an option twice')
    expect(only({ tags: 'vip' }).message)
      .toBe('"Tags" must be a list of option values from "VIP", "New", "Risk"')
  })

  it('refuses an empty list when required', () => {
    const required = publish({
      ...SUPPLIER,
      fields: SUPPLIER.fields.map((f) => (f.key === 'tags' ? { ...f, required: true } : f)),
    }, 2)
    const issues = validator.validate(required, { active: true, tags: [] }, { locale: 'en' })
    expect(issues.map((issue) => [issue.field, issue.rule])).toEqual([['tags', 'required']])
  })
})

describe('normalize: canonical spellings', () => {
  it('stores every kind in the one spelling a unique index can rely on', () => {
    const stored = normalizeValues(form, {
      credit_code: ' 9133 0100 7996 5505 8b ',
      phone: '+86 138-0013-8000',
      email: 'AR@Example.COM',
      account: '6222 0212 3456 7890',
      region: '广东 / 深圳市',
      tax_rate: '0.13',
      signed_at: '2025-03-14T09:30:00+08:00',
      active: true,
      tags: ['risk', 'vip'],
    })
    expect(stored).toEqual({
      credit_code: '91330100799655058B',
      phone: '13800138000',
      email: 'AR@example.com',
      account: '6222021234567890',
      region: '广东省/深圳市',
      tax_rate: '0.1300',
      signed_at: '2025-03-14T01:30:00.000Z',
      active: true,
      tags: ['vip', 'risk'],
    })
  })

  it('stores empty optional values as null, an empty list included', () => {
    expect(normalizeValues(form, { tags: [], phone: ' ', active: false }))
      .toEqual({ tags: null, phone: null, active: false })
  })
})
