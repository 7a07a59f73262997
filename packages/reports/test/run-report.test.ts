import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { Dec, type FormResolver, TesseraError } from '@tessera/core'
import { databaseSuites } from '@tessera/store/testing'

import {
  type ReportOptions,
  type ReportResult,
  type ReportSpec,
  checkReportSpec,
  runDrill,
  runReport,
} from '../src/index.js'
import {
  AS_OF,
  CUSTOMERS,
  INVOICES,
  type SeededBook,
  bucketOf,
  expectedOpen,
  seedAging,
} from './aging-data.js'
import { type DemoDatabase, openDemo } from './demo-database.js'
import { agingSpec } from './fixtures.js'

const SHANGHAI = { timeZone: 'Asia/Shanghai', locale: 'zh-CN' } as const
const BUCKETS = ['未到期', '1–30', '31–60', '61–90', '90天以上']

/** The aging spec grouped by bucket only. */
function bucketsOnly(): ReportSpec {
  const spec = agingSpec()
  return { ...spec, dimensions: spec.dimensions?.slice(1), sort: undefined, limit: undefined }
}

function sumOf(values: string[]): string {
  return values.reduce((sum, value) => sum.plus(value), new Dec(0)).toFixed(2)
}

/** Results per engine, compared with each other at the end of the file. */
const byEngine = new Map<string, Record<string, ReportResult>>()

describe.each(databaseSuites())('reports on $name', (suite) => {
  let demo: DemoDatabase
  let forms: FormResolver
  let book: SeededBook
  const results: Record<string, ReportResult> = {}

  beforeAll(async () => {
    demo = await openDemo(suite)
    forms = demo.forms
    book = await seedAging(demo)
    byEngine.set(suite.name, results)
  })
  afterAll(() => demo?.close())

  type Values = Record<string, unknown>
  const run = (spec: ReportSpec, params: Values, options: ReportOptions = SHANGHAI) =>
    runReport(demo.database.db, spec, forms, params, options)
  const drill = (spec: ReportSpec, params: Values, dimensionValues: Values) =>
    runDrill(demo.database.db, spec, forms, params, dimensionValues, SHANGHAI)

  it('ages open amounts into buckets with exact decimals at the boundaries', async () => {
    const result = await run(bucketsOnly(), { asOf: AS_OF })
    results.buckets = result

    const oracle = expectedOpen(AS_OF)
    const expected = BUCKETS.map((label, index) => {
      const rows = oracle.filter((row) => bucketOf(row.days) === index)
      return {
        bucket: label,
        bucket__index: index,
        open: sumOf(rows.map((row) => row.open)),
        invoices: rows.length,
      }
    })
    expect(result.rows).toEqual(expected)
    expect(result.params).toEqual({ asOf: AS_OF, customer: null })
  })

  it('puts each boundary day in the bucket the edges say', async () => {
    const cases: Array<[string, string]> = [
      ['I1', '未到期'], // 0 days
      ['I10', '未到期'], // not due for 15 days
      ['I2', '1–30'], // 1
      ['I3', '1–30'], // 30
      ['I4', '31–60'], // 31
      ['I5', '31–60'], // 60
      ['I11', '61–90'], // 61
      ['I7', '61–90'], // 90
      ['I8', '90天以上'], // 91
    ]
    for (const [number, bucket] of cases) {
      const found = await drill(bucketsOnly(), { asOf: AS_OF }, { bucket })
      const ids = found.rows.map((row) => row.id)
      expect(ids, `${number} in ${bucket}`).toContain(book.invoiceIds[number])
    }
  })

  it('counts allocations up to the as-of date only, and ignores later invoices', async () => {
    const all = await drill(bucketsOnly(), { asOf: AS_OF }, {})
    const open = new Map(all.rows.map((row) => [row.id, row.open]))

    expect(open.get(book.invoiceIds.I2)).toBe('500.00') // paid on 07-05, after the as-of date
    expect(open.get(book.invoiceIds.I4)).toBe('900.00') // 0.99 before and 99.00 on the as-of date
    expect(open.has(book.invoiceIds.I6)).toBe(false) // settled in full
    expect(open.has(book.invoiceIds.I9)).toBe(false) // dated after the as-of date

    const later = await drill(bucketsOnly(), { asOf: '2024-07-05' }, {})
    expect(later.rows.map((row) => row.id)).not.toContain(book.invoiceIds.I2)
    expect(later.rows.map((row) => row.id)).toContain(book.invoiceIds.I9)
  })

  it('fills every bucket per customer, sorted by open amount, limited', async () => {
    const result = await run(agingSpec(), { asOf: AS_OF })
    results.aging = result

    const oracle = expectedOpen(AS_OF)
    const all = Object.values(CUSTOMERS).flatMap((customer) =>
      BUCKETS.map((bucket, index) => {
        const rows = oracle.filter((row) =>
          CUSTOMERS[row.invoice.customer].name === customer.name && bucketOf(row.days) === index)
        const open = sumOf(rows.map((row) => row.open))
        const invoices = rows.length
        return { customer: customer.name, bucket, bucket__index: index, open, invoices }
      }),
    )
    const sorted = [...all].sort((a, b) =>
      new Dec(b.open).comparedTo(a.open) ||
      (a.customer < b.customer ? -1 : a.customer > b.customer ? 1 : 0) ||
      a.bucket__index - b.bucket__index,
    )
    expect(result.rows).toHaveLength(10)
    expect(result.rows.map((row) => [row.customer, row.bucket, row.open])).toEqual(
      sorted.slice(0, 10).map((row) => [row.customer, row.bucket, row.open]),
    )
    expect(result.columns.map((column) => [column.key, column.kind, column.type])).toEqual([
      ['customer', 'dimension', 'text'],
      ['bucket', 'dimension', 'text'],
      ['open', 'measure', 'money'],
      ['invoices', 'measure', 'integer'],
    ])
    expect(result.columns[1].buckets).toEqual(BUCKETS)
  })

  it('filters by an optional number param and keeps empty buckets at zero', async () => {
    const params = { asOf: AS_OF, customer: book.customerIds.C }
    const result = await run(bucketsOnly(), params)
    expect(result.rows.map((row) => [row.bucket, row.open, row.invoices])).toEqual([
      ['未到期', '0.00', 0],
      ['1–30', '0.00', 0],
      ['31–60', '120.00', 1],
      ['61–90', '75.50', 1],
      ['90天以上', '0.00', 0],
    ])
  })

  it('uses today in the company time zone when asOf is not given', async () => {
    // 16:30 UTC on June 30 is already July 1 in Shanghai.
    const now = new Date('2024-06-30T16:30:00Z')
    const shanghai = await run(bucketsOnly(), {}, { ...SHANGHAI, now })
    const utc = await run(bucketsOnly(), {}, { timeZone: 'UTC', locale: 'zh-CN', now })
    expect(shanghai.params.asOf).toBe('2024-07-01')
    expect(utc.params.asOf).toBe('2024-06-30')
    expect(utc.rows).toEqual(results.buckets.rows)
  })

  it('groups through links two levels deep, with null for a missing link', async () => {
    const spec: ReportSpec = {
      ...agingSpec(),
      dimensions: [{ key: 'region', label: '地区', expr: { var: 'customer.region.name' } }],
      sort: undefined,
      limit: undefined,
    }
    const result = await run(spec, { asOf: AS_OF })
    results.regions = result

    const oracle = expectedOpen(AS_OF)
    const total = (region: string | null) => sumOf(oracle
      .filter((row) => CUSTOMERS[row.invoice.customer].region === region)
      .map((row) => row.open))
    expect(result.rows).toEqual([
      { region: '华东', open: total('华东'), invoices: 3 },
      { region: '华北', open: total('华北'), invoices: 4 },
      { region: null, open: total(null), invoices: 2 },
    ])
  })

  it('groups a select field by its codes and gives readers the labels of every option', async () => {
    const spec: ReportSpec = {
      ...agingSpec(),
      dimensions: [{ key: 'status', label: '状态', expr: { var: 'status' } }],
      sort: undefined,
      limit: undefined,
    }
    const result = await run(spec, { asOf: AS_OF })
    const oracle = expectedOpen(AS_OF)
    expect(result.rows).toEqual([{ status: 'open', open: sumOf(oracle.map((row) => row.open)), invoices: oracle.length }])
    expect(result.columns[0]).toMatchObject({ key: 'status', choices: { open: '未结', void: '作废' } })
    // A drill (or match) takes the code the row holds.
    const behind = await drill(spec, { asOf: AS_OF }, { status: 'open' })
    expect(behind.total).toBe(oracle.length)
    // A computed text is no select: no choices.
    const computed = await run({ ...spec, dimensions: [{ key: 'number', label: '号', expr: { var: 'number' } }] }, { asOf: AS_OF })
    expect(computed.columns[0].choices).toBeUndefined()
  })

  it('returns one row of totals without dimensions, also when nothing matches', async () => {
    const spec: ReportSpec = {
      ...agingSpec(),
      dimensions: undefined,
      sort: undefined,
      measures: [
        ...(agingSpec().measures ?? []),
        { key: 'oldest', agg: 'min', expr: { var: 'invoice_date' } },
        { key: 'average', agg: 'avg', expr: { ref: 'open' } },
        { key: 'customers', agg: 'count_distinct', expr: { var: 'customer' } },
      ],
    }
    const result = await run(spec, { asOf: AS_OF })
    results.totals = result
    const oracle = expectedOpen(AS_OF)
    const total = sumOf(oracle.map((row) => row.open))
    expect(result.rows).toEqual([{
      open: total,
      invoices: oracle.length,
      oldest: '2024-03-01',
      average: new Dec(total).dividedBy(oracle.length).toFixed(2),
      customers: 3,
    }])

    const empty = await run(spec, { asOf: '2000-01-01' })
    results.empty = empty
    expect(empty.rows).toEqual([
      { open: '0.00', invoices: 0, oldest: null, average: null, customers: 0 },
    ])
  })

  it('drills into one result row: the ids and shares that add up to the cell', async () => {
    const params = { asOf: AS_OF }
    const report = await run(agingSpec(), params)
    const cell = report.rows.find((row) => row.customer === '乙公司' && row.bucket__index === 1)
    const behind = await drill(agingSpec(), params, { customer: '乙公司', bucket__index: 1 })
    results.drill = behind

    expect(behind.rows).toEqual([
      { id: book.invoiceIds.I3, __title: 'I3', open: '250.25', invoices: 1 },
    ])
    expect(behind.total).toBe(1)
    expect(sumOf(behind.rows.map((row) => String(row.open)))).toBe(cell?.open)
    expect(behind.columns.map((column) => column.key)).toEqual(['id', '__title', 'open', 'invoices'])
  })

  it('reads timestamps as calendar dates in the company time zone', async () => {
    // 17:00 UTC on June 30 is 01:00 on July 1 in Shanghai.
    await demo.insert('region', [{ name: '西南', _created_at: '2024-06-30T17:00:00Z' }])
    const spec: ReportSpec = {
      key: 'created',
      label: '创建日',
      source: 'region',
      where: { '==': [{ var: 'name' }, '西南'] },
      dimensions: [{ key: 'day', expr: { add_days: [{ var: '_created_at' }, 0] } }],
      measures: [{ key: 'n', agg: 'count' }],
    }
    const shanghai = await run(spec, {})
    const utc = await run(spec, {}, { timeZone: 'UTC', locale: 'zh-CN' })
    expect(shanghai.rows).toEqual([{ day: '2024-07-01', n: 1 }])
    expect(utc.rows).toEqual([{ day: '2024-06-30', n: 1 }])
  })

  it('keeps SQL semantics where json-logic would differ', async () => {
    const [id] = await demo.insert('invoice', [{
      number: 'P1', customer: book.customerIds.A, invoice_date: '2023-01-01', amount: '1.10',
    }])
    const dime = { invoice: id, date: '2023-01-02', amount: '0.10' }
    await demo.insert('allocation', Array.from({ length: 10 }, () => dime))
    const spec: ReportSpec = {
      key: 'semantics',
      label: '语义',
      source: 'invoice',
      let: {
        paid: {
          rollup: { form: 'allocation', link: 'invoice', agg: 'sum', value: { var: 'amount' } },
        },
        allocations: { rollup: { form: 'allocation', link: 'invoice', agg: 'count' } },
      },
      where: { '==': [{ var: 'number' }, 'P1'] },
      measures: [
        // ten allocations of 0.10 are exactly 1.00, and 3 × 1.10 is 3.30
        { key: 'paid', agg: 'sum', expr: { ref: 'paid' } },
        { key: 'tripled', agg: 'sum', expr: { '*': [{ var: 'amount' }, 3] }, type: 'money' },
        { key: 'allocations', agg: 'sum', expr: { ref: 'allocations' }, type: 'integer' },
        // null < 100 is not true in SQL (json-logic reads null as 0)
        {
          key: 'short_credit',
          agg: 'count',
          expr: { if: [{ '<': [{ var: 'customer.credit_days' }, 100] }, 1] },
        },
        // a due date that is missing gives no days, not 0
        { key: 'days', agg: 'max', expr: { days_between: [{ var: 'due_date' }, '2023-02-01'] } },
        // x / 0 is null rather than an error
        { key: 'ratio', agg: 'max', expr: { '/': [{ var: 'amount' }, 0] } },
      ],
    }
    const result = await run(spec, {})
    expect(result.rows).toEqual([
      { paid: '1.00', tripled: '3.30', allocations: 10, short_credit: 0, days: null, ratio: null },
    ])
  })

  it('keeps a hostile param value a value', async () => {
    const hostile = "'; drop table rpt_demo.invoice; --"
    const spec: ReportSpec = {
      key: 'by_number',
      label: '按编号',
      source: 'invoice',
      params: [{ key: 'number', type: 'text', required: true }],
      where: { '==': [{ var: 'number' }, { param: 'number' }] },
      measures: [{ key: 'n', agg: 'count' }],
    }
    const result = await run(spec, { number: hostile })
    expect(result.rows).toEqual([{ n: 0 }])

    const { rows } = await sql<{ n: number }>`select count(*)::int as n from rpt_demo.invoice`
      .execute(demo.database.db)
    expect(rows[0].n).toBe(INVOICES.length + 1) // and P1 from the semantics test
  })

  it('rejects a field that is not in the metadata before any SQL runs', async () => {
    const spec = { ...bucketsOnly(), where: { '>': [{ var: 'amount"; drop table x; --' }, 0] } }
    const error = await checkReportSpec(spec, forms).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(TesseraError)
    expect((error as TesseraError).code).toBe('report.invalid')
    expect((error as TesseraError).issues[0]).toMatchObject({
      field: 'where.>[0].var',
      rule: 'unknown_field',
    })
    const english = { ...SHANGHAI, locale: 'en' } as const
    await expect(run(spec, { asOf: AS_OF }, english)).rejects.toThrow(
      /form "invoice" has no field "amount"; drop table x; --"/,
    )
  })
})

describe('both engines', () => {
  it('return identical rows and JS types for the same reports', () => {
    const pglite = byEngine.get('pglite')
    const postgres = byEngine.get('postgres')
    expect(pglite && Object.keys(pglite).length).toBeGreaterThanOrEqual(6)
    expect(postgres).toEqual(pglite)

    const types = (result: ReportResult) => result.rows.map((row) =>
      Object.fromEntries(Object.entries(row).map(([key, value]) => [key, typeof value])))
    expect(types(postgres!.totals)).toEqual([{
      open: 'string',
      invoices: 'number',
      oldest: 'string',
      average: 'string',
      customers: 'number',
    }])
    expect(types(postgres!.aging)[0]).toEqual({
      customer: 'string',
      bucket: 'string',
      bucket__index: 'number',
      open: 'string',
      invoices: 'number',
    })
    expect(types(postgres!.drill)[0]).toEqual({
      id: 'number',
      __title: 'string',
      open: 'string',
      invoices: 'number',
    })
  })
})
