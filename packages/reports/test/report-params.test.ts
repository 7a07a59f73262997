import { describe, expect, it } from 'vitest'

import { TesseraError } from '@tessera/core'

import { type ReportParamSpec, resolveParams } from '../src/index.js'

const SPECS: ReportParamSpec[] = [
  { key: 'asOf', type: 'date', default: 'today' },
  { key: 'minimum', type: 'number' },
  { key: 'name', type: 'text' },
  { key: 'since', type: 'date', default: '2024-01-01' },
]
const EN = {
  timeZone: 'Asia/Shanghai',
  locale: 'en',
  now: new Date('2024-03-31T18:00:00Z'),
} as const

type Options = Parameters<typeof resolveParams>[2]

function failure(values: unknown, specs = SPECS, options: Options = EN): TesseraError {
  try {
    resolveParams(specs, values, options)
  } catch (error) {
    if (error instanceof TesseraError) return error
    throw error
  }
  throw new Error('expected report.param_invalid')
}

describe('resolveParams', () => {
  it('applies defaults: today in the company time zone, and literal defaults', () => {
    expect(resolveParams(SPECS, {}, EN)).toEqual({
      asOf: '2024-04-01', // 18:00 UTC is 02:00 the next day in Shanghai
      minimum: null,
      name: null,
      since: '2024-01-01',
    })
    expect(resolveParams(SPECS, {}, { ...EN, timeZone: 'UTC' }).asOf).toBe('2024-03-31')
  })

  it('keeps given values; a decimal string stays exact', () => {
    const minimum = '12345678901234567890.01'
    const values = { asOf: '2024-02-29', minimum, name: "O'Brien", since: '' }
    expect(resolveParams(SPECS, values, EN)).toEqual({
      asOf: '2024-02-29',
      minimum,
      name: "O'Brien",
      since: '2024-01-01',
    })
    expect(resolveParams(SPECS, { minimum: -2.5 }, EN).minimum).toBe(-2.5)
  })

  it('rejects dates that are not real calendar dates', () => {
    for (const asOf of ['2023-02-29', '2024-13-01', '2024-1-5', '20240105', 20240105]) {
      const error = failure({ asOf })
      expect(error.code).toBe('report.param_invalid')
      expect(error.issues).toEqual([{
        field: 'asOf',
        rule: 'type',
        message: `param "asOf" expects a date "YYYY-MM-DD" from 1900-01-01 to 9999-12-31, received ${JSON.stringify(asOf)}`,
        expected: 'a date "YYYY-MM-DD" from 1900-01-01 to 9999-12-31',
        received: asOf,
      }])
    }
  })

  it('rejects numbers that are not finite and numeric texts that are not plain decimals', () => {
    for (const minimum of [Number.NaN, Number.POSITIVE_INFINITY, '1e3', '12,5', true]) {
      expect(failure({ minimum }).issues[0]).toMatchObject({ field: 'minimum', rule: 'type' })
    }
  })

  it('rejects texts no database text can hold: NUL, or half of a surrogate pair', () => {
    for (const name of ['a\u0000b', 'x\ud800', '\udc00y']) {
      expect(failure({ name }).issues[0]).toMatchObject({ field: 'name', rule: 'type' })
    }
    expect(resolveParams(SPECS, { name: '合同😀' }, EN).name).toBe('合同😀')
  })

  it('rejects an unknown param, naming the declared ones', () => {
    const error = failure({ asof: '2024-01-01' })
    expect(error.issues).toEqual([{
      field: 'asof',
      rule: 'unknown',
      message: 'the report has no param "asof"',
      expected: 'asOf, minimum, name, since',
      received: '2024-01-01',
    }])
    expect(error.details).toMatchObject({ param: 'asof' })
  })

  it('requires a required param without default', () => {
    const specs: ReportParamSpec[] = [{ key: 'customer', type: 'number', required: true }]
    expect(failure({}, specs).issues[0]).toMatchObject({ field: 'customer', rule: 'required' })
    expect(failure({ customer: null }, specs).message).toBe(
      'fill in "customer" (param "customer" is required: expected a finite number or a decimal string, received nothing)',
    )
    // Named by its label where it has one, as the page shows it.
    const labelled: ReportParamSpec[] = [{ ...specs[0], label: { 'zh-CN': '客户', en: 'Customer' } }]
    expect(failure({}, labelled).message).toMatch(/^fill in "Customer" \(param "customer" is required/)
  })

  it('takes a period of at most 100 years, counted to the day', () => {
    const specs: ReportParamSpec[] = [{ key: 'period', type: 'period', required: true }]
    for (const period of ['1926-12-07..2026-12-06', '1900-01-01..1999-12-31', '2025-12-31..2125-01-01', '2024-02-29..2124-02-28',
      '9900-01-01..9900-01-01', '9998-12-01..9998-12-31', '9899-12-31..9999-12-30']) {
      expect(resolveParams(specs, { period }, EN).period, period).toMatchObject({ from: period.slice(0, 10) })
    }
    for (const period of ['1926-12-07..2026-12-07', '1900-01-01..2000-01-01', '2024-02-29..2124-02-29', '9899-12-31..9999-12-31']) {
      expect(failure({ period }, specs).issues?.[0], period).toMatchObject({ field: 'period', rule: 'type' })
    }
  })

  it('asks for a required text given empty or blank, as for one not given', () => {
    const specs: ReportParamSpec[] = [{ key: 'customer', type: 'text', label: '客户', required: true }, { key: 'note', type: 'text' }]
    for (const customer of ['', '   ']) {
      expect(failure({ customer }, specs).issues?.[0], JSON.stringify(customer)).toMatchObject({ field: 'customer', rule: 'required' })
    }
    // An optional text may be empty: that is its value.
    expect(resolveParams(specs, { customer: '甲公司', note: '' }, EN)).toEqual({ customer: '甲公司', note: '' })
  })

  it('rejects texts that are too long and values of the wrong kind', () => {
    for (const name of ['x'.repeat(1001), 42]) {
      expect(failure({ name }).issues[0]).toMatchObject({ field: 'name', rule: 'type' })
    }
  })

  it('collects every problem, and speaks Chinese for zh-CN', () => {
    const values = { asOf: 'today', minimum: 'many', extra: 1 }
    const error = failure(values, SPECS, { ...EN, locale: 'zh-CN' })
    expect(error.issues.map((issue) => [issue.field, issue.rule])).toEqual([
      ['extra', 'unknown'],
      ['asOf', 'type'],
      ['minimum', 'type'],
    ])
    expect(error.message).toBe('报表没有参数 extra (+2 more)')
    expect(error.issues[1].message).toBe('参数 asOf 应为1900-01-01 至 9999-12-31 之间的日期（YYYY-MM-DD），收到 "today"')
  })
})
