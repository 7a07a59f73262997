import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { Dec } from '@tessera/core'
import { databaseSuites } from '@tessera/store/testing'

import {
  type ReportExpr,
  type ReportOptions,
  type ReportResult,
  type ReportSpec,
  runDrill,
  runReport,
} from '../src/index.js'
import { AS_OF, INVOICES, expectedOpen, seedAging } from './aging-data.js'
import { type DemoDatabase, openDemo } from './demo-database.js'
import { agingSpec } from './fixtures.js'
import { customerName, groupBy, invoicedIn, ratio, sum } from './oracle.js'

const SHANGHAI: ReportOptions = { timeZone: 'Asia/Shanghai', locale: 'zh-CN' }
const BUCKETS = ['未到期', '1–30', '31–60', '61–90', '90天以上']

/** The aging spec with an overdue measure and the overdue rate. */
function overdueRate(): ReportSpec {
  const spec = agingSpec()
  return {
    ...spec,
    let: {
      ...spec.let,
      overdue: { if: [{ '>': [{ ref: 'days_past_due' }, 0] }, { ref: 'open' }, 0] },
    },
    dimensions: [],
    sort: undefined,
    limit: undefined,
    measures: [
      { key: 'open', agg: 'sum', expr: { ref: 'open' }, type: 'money' },
      { key: 'overdue', agg: 'sum', expr: { ref: 'overdue' }, type: 'money' },
      { key: 'overdue_rate', agg: 'ratio', of: ['overdue', 'open'] },
    ],
  }
}

/** Invoiced in a period, by customer, compared with the previous period. */
function invoicedInPeriod(): ReportSpec {
  return {
    key: 'invoiced',
    label: '开票',
    source: 'invoice',
    params: [{ key: 'period', type: 'period', required: true }],
    where: { '<=': [{ param: 'period.from' }, { var: 'invoice_date' }, { param: 'period.to' }] },
    dimensions: [{ key: 'customer', expr: { var: 'customer.name' } }],
    measures: [
      { key: 'amount', label: { 'zh-CN': '金额', en: 'Amount' }, agg: 'sum', expr: { var: 'amount' }, compare: 'previous' },
      { key: 'invoices', agg: 'count', compare: 'previous' },
    ],
  }
}

const byEngine = new Map<string, Record<string, ReportResult>>()

describe.each(databaseSuites())('ratios, running totals, comparisons, top N and pivots on $name', (suite) => {
  let demo: DemoDatabase
  const results: Record<string, ReportResult> = {}

  beforeAll(async () => {
    demo = await openDemo(suite)
    await seedAging(demo)
    byEngine.set(suite.name, results)
  })
  afterAll(() => demo?.close())

  const run = (spec: ReportSpec, params: Record<string, unknown> = {}, options = SHANGHAI) =>
    runReport(demo.database.db, spec, demo.forms, params, options)

  it('divides two measures exactly, and gives null for a zero denominator', async () => {
    const result = await run(overdueRate(), { asOf: AS_OF })
    results.ratio = result
    const open = expectedOpen(AS_OF)
    const total = sum(open.map((row) => row.open))
    const overdue = sum(open.filter((row) => row.days > 0).map((row) => row.open))
    expect(result.rows).toEqual([{ open: total, overdue, overdue_rate: ratio(overdue, total) }])
    expect(result.columns[2]).toMatchObject({ key: 'overdue_rate', type: 'number', scale: 4, ratio: true })
    expect(result.columns[0].ratio).toBeUndefined()

    const empty = await run(overdueRate(), { asOf: '2000-01-01' })
    expect(empty.rows).toEqual([{ open: '0.00', overdue: '0.00', overdue_rate: null }])

    // Times a factor it is a plain number (days, or percent points), not a fraction to show as a percentage.
    const spec = overdueRate()
    const days = await run({ ...spec, measures: [...(spec.measures ?? []).slice(0, 2), { key: 'overdue_rate', agg: 'ratio', of: ['overdue', 'open'], factor: 90, scale: 1 }] }, { asOf: AS_OF })
    expect(days.columns[2].ratio).toBeUndefined()
    expect(days.rows[0].overdue_rate).toBe(new Dec(overdue).div(total).times(90).toDecimalPlaces(1).toFixed(1))
  })

  it('runs a total along months, restarting per customer', async () => {
    const spec: ReportSpec = {
      key: 'cumulative',
      label: '累计',
      source: 'invoice',
      dimensions: [
        { key: 'customer', expr: { var: 'customer.name' } },
        { key: 'month', expr: { var: 'invoice_date' }, grain: 'month' },
      ],
      measures: [
        { key: 'amount', agg: 'sum', expr: { var: 'amount' } },
        { key: 'to_date', agg: 'running', of: 'amount', along: 'month' },
      ],
    }
    const result = await run(spec)
    results.running = result

    const expected = [...groupBy(INVOICES, customerName).entries()]
      .sort(([a], [b]) => String(a) < String(b) ? -1 : 1)
      .flatMap(([customer, items]) => {
        const months = groupBy(items, (item) => item.invoice_date.slice(0, 7))
        let running = new Dec(0)
        return [...months.keys()].sort().map((month) => {
          const amount = sum((months.get(month) ?? []).map((item) => item.amount))
          running = running.plus(amount)
          return { customer, month, amount, to_date: running.toFixed(2) }
        })
      })
    expect(result.rows).toEqual(expected)
  })

  it('compares each group with the previous period: value, previous, change, rate', async () => {
    const result = await run(invoicedInPeriod(), { period: '2024-06-01..2024-06-30' })
    results.compare = result

    const now = groupBy(invoicedIn('2024-06-01', '2024-06-30'), customerName)
    const before = groupBy(invoicedIn('2024-05-01', '2024-05-31'), customerName)
    const names = [...new Set([...now.keys(), ...before.keys()])].sort()
    expect(result.rows).toEqual(names.map((customer) => {
      const amount = sum((now.get(customer) ?? []).map((item) => item.amount))
      const previous = sum((before.get(customer) ?? []).map((item) => item.amount))
      const count = now.get(customer)?.length ?? 0
      const countBefore = before.get(customer)?.length ?? 0
      return {
        customer,
        amount,
        amount__previous: previous,
        amount__change: new Dec(amount).minus(previous).toFixed(2),
        amount__change_rate: ratio(new Dec(amount).minus(previous).toFixed(2), previous),
        invoices: count,
        invoices__previous: countBefore,
        invoices__change: count - countBefore,
        invoices__change_rate: ratio(String(count - countBefore), String(countBefore)),
      }
    }))
    expect(result.columns.map((column) => [column.key, column.type, column.role ?? ''])).toEqual([
      ['customer', 'text', ''],
      ['amount', 'money', ''],
      ['amount__previous', 'money', 'previous'],
      ['amount__change', 'money', 'change'],
      ['amount__change_rate', 'number', 'change_rate'],
      ['invoices', 'integer', ''],
      ['invoices__previous', 'integer', 'previous'],
      ['invoices__change', 'integer', 'change'],
      ['invoices__change_rate', 'number', 'change_rate'],
    ])
    // Each comparison column says what it holds, in both languages.
    const labels = result.columns.filter((column) => column.of === 'amount').map((column) => column.label)
    expect(labels).toEqual([
      { 'zh-CN': '金额（上期）', en: 'Amount (previous)' },
      { 'zh-CN': '金额（变动）', en: 'Amount (change)' },
      { 'zh-CN': '金额（变动率）', en: 'Amount (change rate)' },
    ])
  })

  it('gives the change of a figure as the difference of the figures shown, so that each row adds up', async () => {
    const spec = invoicedInPeriod()
    spec.measures?.push({ key: 'average', agg: 'ratio', of: ['amount', 'invoices'], compare: 'previous' },
      // A twelfth of each amount (a month's share of a year's fee): sums with more digits than the cents shown.
      { key: 'twelfth', agg: 'sum', expr: { '/': [{ var: 'amount' }, 12] }, type: 'money', compare: 'previous' },
      // An average shown as a whole number (of sevenths: a share of a week).
      { key: 'mean', agg: 'avg', expr: { '/': [{ var: 'amount' }, 7] }, type: 'integer', compare: 'previous' })
    const result = await run(spec, { period: '2024-06-01..2024-06-30' })
    const now = groupBy(invoicedIn('2024-06-01', '2024-06-30'), customerName)
    const before = groupBy(invoicedIn('2024-05-01', '2024-05-31'), customerName)
    const compared = result.rows.map((row) => {
      const customer = String(row.customer)
      const shown = ratio(sum((now.get(customer) ?? []).map((item) => item.amount)), String(now.get(customer)?.length ?? 0))
      const shownBefore = ratio(sum((before.get(customer) ?? []).map((item) => item.amount)),
        String(before.get(customer)?.length ?? 0))
      const change = shown === null || shownBefore === null ? null : new Dec(shown).minus(shownBefore).toFixed(4)
      const twelfth = (items: typeof now extends Map<unknown, infer T> ? T | undefined : never) =>
        new Dec(sum((items ?? []).map((item) => item.amount))).dividedBy(12).toDecimalPlaces(2, Dec.ROUND_HALF_UP).toFixed(2)
      const [twelfthNow, twelfthBefore] = [twelfth(now.get(customer)), twelfth(before.get(customer))]
      const mean = (items: typeof now extends Map<unknown, infer T> ? T | undefined : never) => items === undefined ? null
        : new Dec(sum(items.map((item) => item.amount))).dividedBy(items.length * 7).toDecimalPlaces(0, Dec.ROUND_HALF_UP).toNumber()
      const [meanNow, meanBefore] = [mean(now.get(customer)), mean(before.get(customer))]
      return {
        got: [row.average, row.average__previous, row.average__change, row.average__change_rate,
          row.twelfth, row.twelfth__previous, row.twelfth__change, row.mean__change],
        expected: [shown, shownBefore, change, change === null || shownBefore === null ? null : ratio(change, shownBefore),
          twelfthNow, twelfthBefore, new Dec(twelfthNow).minus(twelfthBefore).toFixed(2),
          meanNow === null || meanBefore === null ? null : meanNow - meanBefore],
      }
    })
    expect(compared.filter((one) => one.expected[2] !== null).length).toBeGreaterThan(0)
    for (const { got, expected } of compared) expect(got).toEqual(expected)
    // Which columns a table may total: sums and counts, their previous values and changes; not a
    // ratio, a change rate.
    expect(result.columns.filter((column) => column.additive).map((column) => column.key)).toEqual([
      'amount', 'amount__previous', 'amount__change', 'invoices', 'invoices__previous', 'invoices__change',
      'twelfth', 'twelfth__previous', 'twelfth__change',
    ])
  })

  it('compares a KPI without dimensions, the previous period being whole months', async () => {
    const spec = { ...invoicedInPeriod(), dimensions: [] }
    const result = await run(spec, { period: { from: '2024-04-01', to: '2024-05-31' } })
    const now = invoicedIn('2024-04-01', '2024-05-31')
    const before = invoicedIn('2024-02-01', '2024-03-31')
    expect(result.rows[0]).toMatchObject({
      amount: sum(now.map((item) => item.amount)),
      amount__previous: sum(before.map((item) => item.amount)),
      invoices: now.length,
      invoices__previous: before.length,
    })
  })

  it('compares months with the months of the previous period, moved forward by the period', async () => {
    const spec = {
      ...invoicedInPeriod(),
      dimensions: [{ key: 'month', expr: { var: 'invoice_date' }, grain: 'month' }],
    } as ReportSpec
    const result = await run(spec, { period: { from: '2024-04-01', to: '2024-05-31' } })
    const total = (from: string, to: string) => sum(invoicedIn(from, to).map((item) => item.amount))
    const months = result.rows.map((row) => [row.month, row.amount, row.amount__previous])
    // April stands beside February, May beside March.
    expect(months).toEqual([
      ['2024-04', total('2024-04-01', '2024-04-30'), total('2024-02-01', '2024-02-29')],
      ['2024-05', total('2024-05-01', '2024-05-31'), total('2024-03-01', '2024-03-31')],
    ].filter(([, now, before]) => now !== '0.00' || before !== '0.00'))

    // A period of days moves by its length: the week before.
    const days = await run({ ...spec, dimensions: [{ key: 'day', expr: { var: 'invoice_date' }, grain: 'day' }] },
      { period: { from: '2024-05-02', to: '2024-05-08' } })
    // 30 April's invoice (the week before) stands on 7 May.
    expect(days.rows.find((row) => row.day === '2024-05-07')?.amount__previous).toBe(total('2024-04-30', '2024-04-30'))
    for (const row of days.rows) {
      const day = String(row.day)
      const weekBefore = new Date(Date.parse(`${day}T00:00:00Z`) - 7 * 86_400_000).toISOString().slice(0, 10)
      expect(row.amount__previous ?? '0.00').toBe(total(weekBefore, weekBefore))
    }
  })

  it('keeps the top customers and folds the rest into one last row', async () => {
    const spec: ReportSpec = {
      key: 'top_customers',
      label: '前几名',
      source: 'invoice',
      dimensions: [{ key: 'customer', expr: { var: 'customer.name' } }],
      measures: [
        { key: 'amount', agg: 'sum', expr: { var: 'amount' } },
        { key: 'invoices', agg: 'count' },
        { key: 'largest', agg: 'max', expr: { var: 'amount' } },
      ],
      sort: [{ key: 'amount', dir: 'desc' }],
      top: { n: 1, by: 'amount', others: { 'zh-CN': '其他客户', en: 'Other customers' } },
    }
    const result = await run(spec)
    results.top = result

    const groups = [...groupBy(INVOICES, customerName).entries()].map(([customer, items]) => ({
      customer,
      amount: sum(items.map((item) => item.amount)),
      invoices: items.length,
      largest: items.map((item) => item.amount).sort((a, b) => new Dec(b).comparedTo(a))[0],
    })).sort((a, b) => new Dec(b.amount).comparedTo(a.amount))
    const rest = groups.slice(1)
    expect(result.rows).toEqual([
      groups[0],
      {
        customer: '其他客户',
        amount: sum(rest.map((row) => row.amount)),
        invoices: rest.reduce((total, row) => total + row.invoices, 0),
        largest: rest.map((row) => row.largest).sort((a, b) => new Dec(b).comparedTo(a))[0],
      },
    ])
    expect(result.columns[0].others).toBe('其他客户')

    const dropped = await run({ ...spec, top: { n: 2, by: 'amount', others: false } })
    expect(dropped.rows).toEqual(groups.slice(0, 2))

    // Drilling into the "others" row gives exactly the invoices of the
    // customers outside the top one, and matching it in a run gives the row.
    const drilled = await runDrill(demo.database.db, spec, demo.forms, {}, { customer__others: true }, SHANGHAI)
    const outside = INVOICES.filter((item) => customerName(item) !== groups[0].customer)
    expect(drilled.rows.map((row) => row.amount)).toEqual(outside.map((item) => item.amount))
    expect(sum(drilled.rows.map((row) => row.amount as string))).toBe(sum(rest.map((row) => row.amount)))
    // Matched in a run, the others open up: the next customer, then the rest.
    const matched = await runReport(demo.database.db, spec, demo.forms, {},
      { ...SHANGHAI, match: { customer__others: true } })
    expect(matched.rows[0]).toEqual(groups[1])
    expect(sum(matched.rows.map((row) => row.amount as string))).toBe(result.rows[1].amount)

    await expect(runDrill(demo.database.db, spec, demo.forms, {}, { customer__others: 'yes' }, SHANGHAI))
      .rejects.toMatchObject({ code: 'request.invalid' })
    await expect(runDrill(demo.database.db, { ...spec, top: { n: 1, by: 'amount', others: false } },
      demo.forms, {}, { customer__others: true }, SHANGHAI)).rejects.toMatchObject({ code: 'request.invalid' })
  })

  it('keeps a comparison\'s previous period to the same "others" customers', async () => {
    const spec: ReportSpec = {
      ...invoicedInPeriod(),
      top: { n: 1, by: 'amount' },
    }
    const params = { period: '2024-04-01..2024-06-30' }
    const whole = await run(spec, params)
    const others = whole.rows.find((row) => row.customer === '其他')!
    expect(others).toBeDefined()
    const matched = await runReport(demo.database.db, { ...spec, top: undefined }, demo.forms, params,
      { ...SHANGHAI, match: { customer__others: true } })
      .catch((error) => error)
    expect(matched).toMatchObject({ code: 'request.invalid' })

    // Without the customer dimension the others fold into one KPI row: the
    // previous period counts the same customers' invoices.
    const kpi = await runReport(demo.database.db, spec, demo.forms, params,
      { ...SHANGHAI, match: { customer__others: true }, group: [] })
    expect(kpi.rows).toHaveLength(1)
    expect(kpi.rows[0].amount).toBe(others.amount)
    expect(kpi.rows[0].amount_previous).toBe(others.amount_previous)
  })

  it('rolls up the other records of the row\'s customer, with a rollup inside', async () => {
    const paid: ReportExpr = {
      rollup: { form: 'allocation', link: 'invoice', agg: 'sum', value: { var: 'amount' } },
    }
    const spec: ReportSpec = {
      key: 'customer_balance',
      label: '客户余额',
      source: 'invoice',
      let: {
        balance: {
          rollup: {
            form: 'invoice',
            link: 'customer',
            on: 'customer',
            agg: 'sum',
            value: { '-': [{ var: 'amount' }, { coalesce: [paid, 0] }] },
          },
        },
      },
      dimensions: [{ key: 'number', expr: { var: 'number' } }],
      measures: [{ key: 'balance', agg: 'max', expr: { ref: 'balance' }, type: 'money' }],
      sort: [{ key: 'number' }],
    }
    const result = await run(spec)
    results.siblings = result

    const balanceOf = (customer: string) => sum(INVOICES
      .filter((item) => item.customer === customer)
      .flatMap((item) => [item.amount, ...item.allocations.map((one) => `-${one.amount}`)]))
    expect(result.rows).toEqual([...INVOICES]
      .sort((a, b) => (a.number < b.number ? -1 : 1))
      .map((item) => ({ number: item.number, balance: balanceOf(item.customer) })))
  })

  it('pivots customers × age buckets with row, column and grand totals from the database', async () => {
    const spec: ReportSpec = {
      ...agingSpec(),
      sort: [{ key: 'open', dir: 'desc' }],
      limit: undefined,
      measures: [
        { key: 'open', agg: 'sum', expr: { ref: 'open' }, type: 'money' },
        { key: 'customers', agg: 'count_distinct', expr: { var: 'customer' } },
      ],
      pivot: { columns: ['bucket'] },
    }
    const result = await run(spec, { asOf: AS_OF })
    results.pivot = result
    const open = expectedOpen(AS_OF)
    const bucketOfRow = (days: number) => [0, 30, 60, 90].filter((edge) => days > edge).length

    const pivot = result.pivot
    expect(pivot?.rowDimensions).toEqual(['customer'])
    expect(pivot?.headers).toEqual(BUCKETS.map((bucket) => ({ bucket })))
    const customers = [...groupBy(open, (row) => customerName(row.invoice)).entries()]
      .map(([customer, rows]) => ({ customer, rows, total: sum(rows.map((row) => row.open)) }))
      .sort((a, b) => new Dec(b.total).comparedTo(a.total))
    expect(pivot?.rows).toEqual(customers.map(({ customer, rows, total }) => ({
      key: { customer },
      cells: BUCKETS.map((_, index) => {
        const inside = rows.filter((row) => bucketOfRow(row.days) === index)
        return inside.length === 0 ? null : { open: sum(inside.map((row) => row.open)), customers: 1 }
      }),
      total: { open: total, customers: 1 },
    })))
    expect(pivot?.totals.cells).toEqual(BUCKETS.map((_, index) => {
      const inside = open.filter((row) => bucketOfRow(row.days) === index)
      if (inside.length === 0) return null
      const distinct = new Set(inside.map((row) => row.invoice.customer)).size
      return { open: sum(inside.map((row) => row.open)), customers: distinct }
    }))
    expect(pivot?.totals.total).toEqual({ open: sum(open.map((row) => row.open)), customers: 3 })
    expect(result.rows.every((row) => !('__row_total' in row))).toBe(true)
    expect(pivot?.omitted).toBeUndefined()

    // With a limit the totals still count every customer, and say how many are not listed.
    const limited = await run({ ...spec, limit: 2 }, { asOf: AS_OF })
    expect(limited.pivot?.rows.map((row) => row.key)).toEqual(customers.slice(0, 2).map(({ customer }) => ({ customer })))
    expect(limited.pivot?.totals.total).toEqual(pivot?.totals.total)
    expect(limited.pivot?.omitted).toBe(customers.length - 2)
  })
})

describe('both engines', () => {
  it('give the same ratios, running totals, comparisons, tops and pivots', () => {
    const pglite = byEngine.get('pglite')
    expect(pglite && Object.keys(pglite).length).toBe(6)
    expect(byEngine.get('postgres')).toEqual(pglite)
  })
})
