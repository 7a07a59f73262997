import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { Dec } from '@tessera/core'
import { databaseSuites } from '@tessera/store/testing'

import {
  type ReportOptions,
  type ReportResult,
  type ReportSpec,
  runDrill,
  runReport,
} from '../src/index.js'
import { AS_OF, INVOICES, type SeededBook, expectedOpen, seedAging } from './aging-data.js'
import { type DemoDatabase, openDemo } from './demo-database.js'
import { agingSpec } from './fixtures.js'
import { customerName, groupBy, isoWeek, quarterOf, regionOf, sum } from './oracle.js'

const SHANGHAI: ReportOptions = { timeZone: 'Asia/Shanghai', locale: 'zh-CN' }

/** Invoiced amount and count by a dimension over every invoice. */
function invoiced(dimension: NonNullable<ReportSpec['dimensions']>[number]): ReportSpec {
  return {
    key: 'invoiced',
    label: '开票',
    source: 'invoice',
    dimensions: [dimension],
    measures: [
      { key: 'amount', agg: 'sum', expr: { var: 'amount' } },
      { key: 'invoices', agg: 'count' },
    ],
  }
}

/** The open amount as of AS_OF by region and customer (a two-level drill). */
function openByRegion(): ReportSpec {
  return {
    ...agingSpec(),
    dimensions: [
      { key: 'region', expr: { var: 'customer.region.name' } },
      { key: 'customer', expr: { var: 'customer.name' } },
    ],
    sort: undefined,
    limit: undefined,
  }
}

const byEngine = new Map<string, Record<string, ReportResult>>()

describe.each(databaseSuites())('date grains, ranges and run-time filters on $name', (suite) => {
  let demo: DemoDatabase
  let book: SeededBook
  const results: Record<string, ReportResult> = {}

  beforeAll(async () => {
    demo = await openDemo(suite)
    book = await seedAging(demo)
    byEngine.set(suite.name, results)
  })
  afterAll(() => demo?.close())

  const run = (spec: ReportSpec, params: Record<string, unknown> = {}, options = SHANGHAI) =>
    runReport(demo.database.db, spec, demo.forms, params, options)

  it('cuts dates into months, ISO weeks, quarters and years, in time order', async () => {
    const cases = [
      ['month', (date: string) => date.slice(0, 7)],
      ['week', isoWeek],
      ['quarter', quarterOf],
      ['year', (date: string) => date.slice(0, 4)],
    ] as const
    for (const [grain, label] of cases) {
      const result = await run(invoiced({ key: 'period', expr: { var: 'invoice_date' }, grain }))
      results[grain] = result

      const groups = groupBy(INVOICES, (item) => label(item.invoice_date))
      const expected = [...groups.keys()].sort().map((name) => ({
        period: name,
        amount: sum((groups.get(name) ?? []).map((item) => item.amount)),
        invoices: groups.get(name)?.length,
      }))
      expect(result.rows, grain).toEqual(expected)
      expect(result.columns[0]).toMatchObject({ key: 'period', type: 'text', grain })
    }
  })

  it('labels ISO weeks across a year end and reads timestamps in the company time zone', async () => {
    // 2024-12-30 is a Monday in ISO week 1 of 2025; 2021-01-03 a Sunday in week 53 of 2020.
    await demo.insert('region', [
      { name: 'W-a', _created_at: '2024-12-29T17:00:00Z' }, // Shanghai: Monday 2024-12-30
      { name: 'W-b', _created_at: '2021-01-03T15:00:00Z' }, // Shanghai: Sunday 2021-01-03 23:00
      { name: 'W-c', _created_at: '2021-01-03T16:30:00Z' }, // Shanghai: Monday 2021-01-04
    ])
    const spec: ReportSpec = {
      key: 'weeks',
      label: '周',
      source: 'region',
      where: { in: [{ var: 'name' }, ['W-a', 'W-b', 'W-c']] },
      dimensions: [{ key: 'week', expr: { var: '_created_at' }, grain: 'week' }],
      measures: [{ key: 'n', agg: 'count' }],
    }
    const shanghai = await run(spec)
    expect(shanghai.rows).toEqual([
      { week: '2020-W53', n: 1 },
      { week: '2021-W01', n: 1 },
      { week: '2025-W01', n: 1 },
    ])
    const utc = await run(spec, {}, { timeZone: 'UTC', locale: 'zh-CN' })
    expect(utc.rows).toEqual([
      { week: '2020-W53', n: 2 },
      { week: '2024-W52', n: 1 },
    ])
  })

  it('cuts numbers into equal ranges labelled with exact bounds', async () => {
    const spec = invoiced({ key: 'size', buckets: { expr: { var: 'amount' }, width: 500 } })
    const result = await run(spec)
    results.ranges = result

    const groups = groupBy(INVOICES, (item) =>
      String(new Dec(item.amount).dividedBy(500).floor().toNumber()))
    const expected = [...groups.keys()].map(Number).sort((a, b) => a - b).map((index) => {
      const items = groups.get(String(index)) ?? []
      const label = `[${index * 500}, ${(index + 1) * 500})`
      return { size: label, size__index: index, amount: sum(items.map((item) => item.amount)),
        invoices: items.length }
    })
    expect(result.rows).toEqual(expected)

    const drilled = await runDrill(demo.database.db, spec, demo.forms, {},
      { size: '[500, 1000)' }, SHANGHAI)
    const ids = INVOICES.filter((item) => Number(item.amount) >= 500 && Number(item.amount) < 1000)
      .map((item) => book.invoiceIds[item.number]).sort((a, b) => a - b)
    expect(drilled.rows.map((row) => row.id)).toEqual(ids)
  })

  it('applies run-time filters on link paths, with empty values and date ranges', async () => {
    const spec = invoiced({ key: 'customer', expr: { var: 'customer.name' } })
    const east = await run(spec, {}, {
      ...SHANGHAI,
      filters: [{ field: 'customer.region.name', values: ['华东', null] }],
    })
    results.filtered = east
    const kept = INVOICES.filter((item) => regionOf(item) !== '华北')
    const groups = groupBy(kept, customerName)
    expect(east.rows).toEqual([...groups.keys()].sort().map((name) => ({
      customer: name,
      amount: sum((groups.get(name) ?? []).map((item) => item.amount)),
      invoices: groups.get(name)?.length,
    })))

    const april = await run(spec, {}, {
      ...SHANGHAI,
      filters: [{ field: 'invoice_date', from: '2024-04-01', to: '2024-04-30' }],
    })
    const inApril = INVOICES.filter((item) => item.invoice_date.startsWith('2024-04'))
    expect(april.rows.map((row) => row.invoices).reduce((a, b) => Number(a) + Number(b), 0))
      .toBe(inApril.length)
  })

  it('keeps texts holding a part of a value, in any case, with LIKE signs taken literally', async () => {
    const spec = invoiced({ key: 'customer', expr: { var: 'customer.name' } })
    const contains = (text: string) => run(spec, {}, { ...SHANGHAI, filters: [{ field: 'customer.name', contains: text }] })
    const yi = await contains('乙')
    expect(yi.rows.map((row) => row.customer)).toEqual(['乙公司'])
    expect(yi.rows[0].invoices).toBe(INVOICES.filter((item) => customerName(item) === '乙公司').length)
    expect((await contains('公司')).rows).toHaveLength(3)
    // '%' and '_' match themselves, not any text.
    expect((await contains('%')).rows).toEqual([])
    expect((await contains('_')).rows).toEqual([])
    await expect(run(spec, {}, { ...SHANGHAI, filters: [{ field: 'amount', contains: '1' }] }))
      .rejects.toMatchObject({ code: 'request.invalid', issues: [{ field: 'filters[0].contains', rule: 'type' }] })
  })

  it('refuses a filter on a field the form lacks, or a value of the wrong type', async () => {
    const spec = invoiced({ key: 'customer', expr: { var: 'customer.name' } })
    const unknown = run(spec, {}, { ...SHANGHAI, filters: [{ field: 'customer.planet', values: ['x'] }] })
    await expect(unknown).rejects.toMatchObject({
      code: 'request.invalid',
      issues: [{ field: 'filters[0].field', rule: 'unknown_field' }],
    })
    const wrong = run(spec, {}, { ...SHANGHAI, filters: [{ field: 'invoice_date', from: 'soon' }] })
    await expect(wrong).rejects.toMatchObject({
      code: 'request.invalid',
      issues: [{ field: 'filters[0].from', rule: 'type' }],
    })
  })

  it('runs the longest expressions a spec may hold, and refuses longer ones before they reach the database', async () => {
    const total = (expr: unknown, lets?: Record<string, unknown>) => ({
      key: 'long', label: '长表达式', source: 'invoice', ...(lets ? { let: lets } : {}),
      measures: [{ key: 'x', agg: 'sum', expr }],
    }) as unknown as ReportSpec
    // 64 operands: the amount and 63 ones, summed exactly.
    const many = { '+': [{ var: 'amount' }, ...Array.from({ length: 63 }, () => 1)] }
    const summed = await run(total(many))
    const amounts = sum(INVOICES.map((one) => one.amount))
    expect(summed.rows[0].x).toBe(new Dec(amounts).plus(63 * INVOICES.length).toFixed(2))
    await expect(run(total({ '+': [{ var: 'amount' }, ...Array.from({ length: 64 }, () => 1)] })))
      .rejects.toMatchObject({ issues: [{ field: 'measures[0].expr.+', rule: 'arity' }] })
    // Lets referring through 32 levels (each one more than the last), and one level too many.
    const chain = (levels: number) => Object.fromEntries(Array.from({ length: levels }, (_, index) =>
      [`l${index}`, index === 0 ? { var: 'amount' } : { '+': [{ ref: `l${index - 1}` }, 1] }]))
    const deep = await run(total({ ref: 'l31' }, chain(32)))
    expect(deep.rows[0].x).toBe(new Dec(amounts).plus(31 * INVOICES.length).toFixed(2))
    await expect(run(total({ ref: 'l32' }, chain(33)))).rejects.toMatchObject({ issues: [{ rule: 'depth' }] })
  })

  it('refuses a select value that is none of its options, naming them, and keeps one that is', async () => {
    const spec = invoiced({ key: 'customer', expr: { var: 'customer.name' } })
    const maybe = run(spec, {}, { ...SHANGHAI, filters: [{ field: 'status', values: ['open', 'maybe'] }] })
    await expect(maybe).rejects.toMatchObject({
      code: 'request.invalid',
      issues: [{
        field: 'filters[0].values[1]',
        rule: 'enum',
        expected: ['open', 'void'],
        received: 'maybe',
        message: '筛选值须为该字段的选项之一：open（未结）、void（作废），收到 "maybe"',
      }],
    })
    // Every seeded invoice is open: the option that exists matches them all, the other none.
    const open = await run(spec, {}, { ...SHANGHAI, filters: [{ field: 'status', values: ['open', null] }] })
    expect(open.rows.reduce((total, row) => total + Number(row.invoices), 0)).toBe(INVOICES.length)
    // A label (as a person reads or types it in a link) stands for its option's code.
    const labelled = await run(spec, {}, { ...SHANGHAI, filters: [{ field: 'status', values: ['未结'] }] })
    expect(labelled.rows).toEqual(open.rows)
    const void_ = await run(spec, {}, { ...SHANGHAI, filters: [{ field: 'status', values: ['void'] }] })
    expect(void_.rows).toEqual([])

    // A drill path on a select dimension takes the code or a label (in either language); another
    // value is matched as it is (a removed option's code, still stored, lists its records).
    const byStatus = invoiced({ key: 'status', expr: { var: 'status' } })
    const drill = async (value: unknown) =>
      (await runDrill(demo.database.db, byStatus, demo.forms, {}, { status: value }, SHANGHAI)).rows.length
    expect(await drill('open')).toBe(INVOICES.length)
    expect(await drill('未结')).toBe(INVOICES.length)
    expect(await drill('void')).toBe(0)
    const { table } = await demo.forms.getForm('invoice')
    const invoices = sql.table(`${table.schema}.${table.name}`)
    const first = book.invoiceIds[INVOICES[0].number]
    await sql`update ${invoices} set status = 'retired' where id = ${first}`.execute(demo.database.db)
    expect(await drill('retired')).toBe(1)
    await sql`update ${invoices} set status = 'open' where id = ${first}`.execute(demo.database.db)
  })

  it('groups by one level at a time and keeps a drill path', async () => {
    const params = { asOf: AS_OF }
    const regions = await run(openByRegion(), params, { ...SHANGHAI, group: ['region'] })
    results.regions = regions
    const open = expectedOpen(AS_OF)
    const byRegion = groupBy(open, (row) => regionOf(row.invoice))
    expect(regions.rows).toEqual(['华东', '华北', null].map((region) => ({
      region,
      open: sum((byRegion.get(region) ?? []).map((row) => row.open)),
      invoices: byRegion.get(region)?.length,
    })))
    expect(regions.columns.map((column) => column.key)).toEqual(['region', 'open', 'invoices'])

    const east = await run(openByRegion(), params, {
      ...SHANGHAI,
      group: ['customer'],
      match: { region: '华东' },
    })
    expect(east.rows).toEqual([{
      customer: '甲公司',
      open: sum((byRegion.get('华东') ?? []).map((row) => row.open)),
      invoices: byRegion.get('华东')?.length,
    }])

    const records = await runDrill(demo.database.db, openByRegion(), demo.forms, params,
      { region: '华东', customer: '甲公司' }, SHANGHAI)
    expect(records.rows.map((row) => row.__title).sort()).toEqual(
      (byRegion.get('华东') ?? []).map((row) => row.invoice.number).sort(),
    )
    await expect(run(openByRegion(), params, { ...SHANGHAI, group: ['planet'] }))
      .rejects.toMatchObject({ code: 'request.invalid' })
  })

  it('drills into a month by its label or by any date inside it', async () => {
    const spec = invoiced({ key: 'month', expr: { var: 'invoice_date' }, grain: 'month' })
    const drill = (value: string) =>
      runDrill(demo.database.db, spec, demo.forms, {}, { month: value }, SHANGHAI)
    const april = INVOICES.filter((item) => item.invoice_date.startsWith('2024-04'))
      .map((item) => book.invoiceIds[item.number]).sort((a, b) => a - b)
    expect((await drill('2024-04')).rows.map((row) => row.id)).toEqual(april)
    expect((await drill('2024-04-17')).rows.map((row) => row.id)).toEqual(april)
    await expect(drill('April')).rejects.toMatchObject({ code: 'request.invalid' })
  })
})

describe('both engines', () => {
  it('give the same rows for grains, ranges, filters and drill levels', () => {
    const pglite = byEngine.get('pglite')
    expect(pglite && Object.keys(pglite).length).toBeGreaterThanOrEqual(7)
    expect(byEngine.get('postgres')).toEqual(pglite)
  })
})
