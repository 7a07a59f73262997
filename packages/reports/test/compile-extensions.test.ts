import { describe, expect, it } from 'vitest'

import { type ReportSpec, checkReportSpec, compileReport } from '../src/index.js'
import { agingSpec, staticForms } from './fixtures.js'

const OPTIONS = { timeZone: 'Asia/Shanghai', locale: 'en' } as const
const forms = staticForms()

function invoices(parts: Partial<ReportSpec>): ReportSpec {
  return {
    key: 'probe',
    label: 'probe',
    source: 'invoice',
    measures: [{ key: 'amount', agg: 'sum', expr: { var: 'amount' } }],
    ...parts,
  }
}

async function issuesOf(spec: unknown) {
  const error = await checkReportSpec(spec, forms, { locale: 'en' }).catch((caught) => caught)
  expect(error).toMatchObject({ code: 'report.invalid' })
  return (error as { issues: Array<{ field: string; rule: string; message: string }> }).issues
}

describe('compiling the engine extensions', () => {
  it('truncates a date to its period as a plain timestamp and labels it with to_char', async () => {
    const spec = invoices({
      dimensions: [
        { key: 'week', expr: { var: 'invoice_date' }, grain: 'week' },
        { key: 'day', expr: { var: '_created_at' }, grain: 'day' },
      ],
    })
    const { sql } = await compileReport(spec, forms, {}, OPTIONS)
    expect(sql).toContain(
      `cast(date_trunc('week', cast("t0"."invoice_date" as timestamp)) as date) as "__d0"`,
    )
    expect(sql).toContain(
      `cast(date_trunc('day', cast((timezone($1::text, "t0"."_created_at"))::date as timestamp)) as date) as "__d1"`,
    )
    expect(sql).toContain(`select to_char("__d0", 'IYYY-"W"IW') as "week", to_char("__d1", 'YYYY-MM-DD') as "day"`)
    expect(sql).toMatch(/order by "__d0" asc nulls last, "__d1" asc nulls last$/)
  })

  it('cuts equal ranges with floor and labels them from parameters', async () => {
    const spec = invoices({
      dimensions: [{ key: 'size', buckets: { expr: { var: 'amount' }, width: 250, origin: 10 } }],
    })
    const { sql, parameters } = await compileReport(spec, forms, {}, OPTIONS)
    expect(sql).toContain('cast(floor(("t0"."amount" - $1::numeric) / $2::numeric) as bigint) as "__d0"')
    expect(sql).toContain(`('[' || ($3::numeric + "__d0" * $4::numeric)::text || ', ' ||`)
    expect(sql).toContain('"__d0" as "size__index"')
    expect(parameters.slice(0, 4)).toEqual([10, 250, 10, 250])
  })

  it('computes ratios and running totals over the groups, after grouping', async () => {
    const spec = invoices({
      dimensions: [{ key: 'month', expr: { var: 'invoice_date' }, grain: 'month' }],
      measures: [
        { key: 'amount', agg: 'sum', expr: { var: 'amount' } },
        { key: 'n', agg: 'count' },
        { key: 'average', agg: 'ratio', of: ['amount', 'n'], scale: 2 },
        { key: 'to_date', agg: 'running', of: 'amount' },
      ],
    })
    const { sql } = await compileReport(spec, forms, {}, OPTIONS)
    expect(sql).toContain([
      '"__derived" as (select *, (cast("__m0" as numeric) / nullif("__m1", 0)) as "__m2",',
      'sum(round(cast("__m0" as numeric), 2)) over (order by "__d0" asc nulls last rows between unbounded preceding',
      'and current row) as "__m3" from "__grouped")',
    ].join(' '))
    expect(sql).toContain('round(cast("__m2" as numeric), 2) as "average"')
    expect(sql).toContain('round(cast("__m3" as numeric), 2) as "to_date"')
  })

  it('plans the previous period as a second branch and merges both by dimension', async () => {
    const spec = invoices({
      params: [{ key: 'period', type: 'period', default: 'this_month' }],
      where: { '<=': [{ param: 'period.from' }, { var: 'invoice_date' }, { param: 'period.to' }] },
      measures: [{ key: 'amount', agg: 'sum', expr: { var: 'amount' }, compare: 'previous' }],
    })
    const now = new Date('2024-03-15T00:00:00Z')
    const { sql, parameters, params } = await compileReport(spec, forms, {}, { ...OPTIONS, now })
    expect(params).toEqual({ period: { from: '2024-03-01', to: '2024-03-31' } })
    expect(parameters).toEqual(['2024-03-01', '2024-03-31', '2024-02-01', '2024-02-29'])
    expect(sql).toContain('"__p__base" as (select "t0"."amount" as "__m0" from "rpt_demo"."invoice" as "t0"')
    expect(sql).toContain([
      '"__merged" as (select coalesce(max("__m0"), 0) as "__m0",',
      'coalesce(max("__m0__p"), 0) as "__m0__p" from (select "__m0", null as "__m0__p"',
      'from "__grouped" union all select null as "__m0", "__m0" as "__m0__p"',
      'from "__p__grouped") as "__sides")',
    ].join(' '))
    // The change is of the figures as shown, each held to its cents first.
    expect(sql).toContain('round(cast((round(cast("__m0" as numeric), 2) - round(cast("__m0__p" as numeric), 2)) as numeric), 2)' +
      ' as "amount__change"')
  })

  it('gives a rate\u2019s change in percentage points, its previous value and change rate as rates', async () => {
    const spec = invoices({
      params: [{ key: 'period', type: 'period', default: 'this_month' }],
      where: { '<=': [{ param: 'period.from' }, { var: 'invoice_date' }, { param: 'period.to' }] },
      measures: [
        { key: 'amount', agg: 'sum', expr: { var: 'amount' } },
        { key: 'big', agg: 'sum', expr: { if: [{ '>': [{ var: 'amount' }, 1000] }, { var: 'amount' }, 0] } },
        { key: 'share', agg: 'ratio', of: ['big', 'amount'], compare: 'previous' },
      ],
    })
    const { columns } = await compileReport(spec, forms, {}, OPTIONS)
    const share = Object.fromEntries(columns.filter((column) => column.key.startsWith('share')).map((column) => [column.key, column]))
    expect(share.share).toMatchObject({ ratio: true })
    expect(share.share__previous).toMatchObject({ ratio: true, role: 'previous' })
    expect(share.share__change).toMatchObject({ points: true, role: 'change' })
    expect(share.share__change.ratio).toBeUndefined()
    expect(share.share__change_rate).toMatchObject({ role: 'change_rate' })
  })

  it('ranks the top values with a window and folds the rest by an inlined n', async () => {
    const spec = invoices({
      dimensions: [{ key: 'customer', expr: { var: 'customer.name' } }],
      top: { n: 3, by: 'amount' },
    })
    const { sql, parameters } = await compileReport(spec, forms, {}, OPTIONS)
    expect(sql).toContain([
      '"__ranked" as (select *, dense_rank() over (order by "__top_value" desc nulls last,',
      '"__d0" collate "C" asc nulls last) as "__rank" from (select *, sum("__m0") over',
      '(partition by "__d0") as "__top_value" from "__grouped") as "__v")',
    ].join(' '))
    expect(sql).toContain('group by (case when "__rank" <= 3 then "__d0" end), ("__rank" > 3)')
    expect(sql).toContain('(case when "__others" then $1::text else "__d0" end) as "customer"')
    expect(sql).toMatch(/order by "__others" asc, "__d0" collate "C" asc nulls last$/)
    expect(parameters).toEqual(['Others'])
  })

  it('totals a pivot with grouping sets in the same statement', async () => {
    const spec = { ...agingSpec(), limit: undefined, pivot: { columns: ['bucket'] } }
    const compiled = await compileReport(spec, forms, { asOf: '2024-06-30' }, OPTIONS)
    expect(compiled.sql).toContain([
      '(grouping("__d1") <> 0) as "__row_total", (grouping("__d0") <> 0) as "__column_total"',
      'from "__bucketed" group by grouping sets (("__d0", "__d1"), ("__d0"), ("__d1"), ()))',
    ].join(' '))
    expect(compiled.sql).not.toContain('__filled')
    expect(compiled.pivot).toEqual({ rows: ['customer'], columns: ['bucket'] })
  })

  it('multiplies a ratio by its factor and rolls up siblings through a link of the row', async () => {
    const spec = invoices({
      let: {
        customer_total: {
          rollup: { form: 'invoice', link: 'customer', on: 'customer', agg: 'sum',
            value: { var: 'amount' } },
        },
      },
      measures: [
        { key: 'amount', agg: 'sum', expr: { var: 'amount' } },
        { key: 'of_customer', agg: 'sum', expr: { ref: 'customer_total' } },
        { key: 'share', agg: 'ratio', of: ['amount', 'of_customer'], factor: 100, scale: 1 },
      ],
    })
    const { sql, parameters } = await compileReport(spec, forms, {}, OPTIONS)
    expect(sql).toContain([
      'with "__rollup1" as (select "t1"."customer_id" as "k", sum("t1"."amount") as "v1"',
      'from "rpt_demo"."invoice" as "t1" where "t1"."customer_id" is not null group by 1)',
    ].join(' '))
    expect(sql).toContain('left join "__rollup1" as "r2" on "r2"."k" = "t0"."customer_id"')
    expect(sql).toContain('((cast("__m0" as numeric) * $1::numeric) / nullif("__m1", 0)) as "__m2"')
    expect(parameters).toEqual([100])
  })

  it('adds run-time filters as typed parameters on joined paths', async () => {
    const spec = invoices({ dimensions: [{ key: 'status', expr: { var: 'status' } }] })
    const { sql, parameters } = await compileReport(spec, forms, {}, {
      ...OPTIONS,
      filters: [
        { field: 'customer.region.name', values: ['华东', null] },
        { field: 'invoice_date', from: '2024-01-01' },
        { field: 'customer.credit_days', to: '30' },
      ],
    })
    expect(sql).toContain([
      'where ("t2"."name" in ($1::text) or "t2"."name" is null)',
      'and ("t0"."invoice_date" >= $2::date) and ("t1"."credit_days" <= $3::numeric)',
    ].join(' '))
    expect(parameters).toEqual(['华东', '2024-01-01', '30'])
  })

  it('names every problem with derived measures, top and pivot', async () => {
    const issues = await issuesOf(invoices({
      dimensions: [
        { key: 'age', buckets: { expr: { var: 'amount' }, edges: [0], width: 10 } },
        { key: 'month', expr: { var: 'number' }, grain: 'month' },
      ],
      measures: [
        { key: 'amount', agg: 'sum', expr: { var: 'amount' } },
        { key: 'people', agg: 'count_distinct', expr: { var: 'customer' } },
        { key: 'rate', agg: 'ratio', of: ['amount', 'nope'] },
        { key: 'total', agg: 'running', of: 'rate' },
        { key: 'then', agg: 'sum', expr: { var: 'amount' }, compare: 'previous' },
      ],
      top: { n: 0, by: 'people' },
    }))
    expect(issues.map((issue) => [issue.field, issue.rule])).toEqual([
      ['dimensions[0].buckets', 'expression'],
      ['dimensions[1].expr', 'type'],
      ['measures[2].of[1]', 'unknown_key'],
      ['measures[3].of', 'unknown_key'],
      ['measures[3].along', 'unknown_key'],
      ['measures[4].compare', 'unknown_param'],
      ['top.dimension', 'unknown_key'],
      ['top.n', 'type'],
      ['top.by', 'unknown_key'],
      ['measures[1].agg', 'top_others'],
    ])
  })

  it('refuses a pivot with a running total and a period read as a whole', async () => {
    const issues = await issuesOf(invoices({
      params: [{ key: 'period', type: 'period', required: true }],
      where: { '<=': [{ param: 'period' }, { var: 'invoice_date' }] },
      dimensions: [
        { key: 'customer', expr: { var: 'customer.name' } },
        { key: 'month', expr: { var: 'invoice_date' }, grain: 'month' },
      ],
      measures: [
        { key: 'amount', agg: 'sum', expr: { var: 'amount' } },
        { key: 'to_date', agg: 'running', of: 'amount', along: 'month' },
      ],
      pivot: { columns: ['month'] },
    }))
    expect(issues.map((issue) => [issue.field, issue.rule])).toEqual([
      ['where.<=[0].param', 'param_part'],
      ['measures[1]', 'pivot'],
    ])
  })

  it('refuses a pivot with every dimension across, which would have no rows to total', async () => {
    const issues = await issuesOf(invoices({
      dimensions: [{ key: 'customer', expr: { var: 'customer.name' } }],
      measures: [{ key: 'amount', agg: 'sum', expr: { var: 'amount' } }],
      pivot: { columns: ['customer'] },
    }))
    expect(issues.map((issue) => [issue.field, issue.rule, issue.message])).toEqual([
      ['pivot.columns', 'pivot', 'a pivot keeps at least one dimension as its rows; pivot.columns cannot list every dimension (customer)'],
    ])
  })
})
