import { describe, expect, it } from 'vitest'

import { TesseraError } from '@tessera/core'

import { type ReportSpec, compileDrill, compileReport } from '../src/index.js'
import { agingSpec, staticForms } from './fixtures.js'

const OPTIONS = { timeZone: 'Asia/Shanghai', locale: 'en' } as const
const forms = staticForms()

/** A report over invoices with every feature the SQL text test pins. */
function regionalAging(): ReportSpec {
  return {
    key: 'regional_aging',
    label: '地区账龄',
    source: 'invoice',
    params: [{ key: 'asOf', type: 'date', required: true }],
    let: {
      paid: {
        rollup: {
          form: 'allocation',
          link: 'invoice',
          agg: 'sum',
          value: { var: 'amount' },
          where: { '<=': [{ var: 'date' }, { param: 'asOf' }] },
        },
      },
      open: { '-': [{ var: 'amount' }, { ref: 'paid' }] },
      age: { days_between: [{ var: 'due_date' }, { param: 'asOf' }] },
    },
    where: { '>': [{ ref: 'open' }, 0] },
    dimensions: [
      { key: 'region', expr: { var: 'customer.region.name' } },
      { key: 'age', buckets: { expr: { ref: 'age' }, edges: [0, 30] } },
    ],
    measures: [{ key: 'open', agg: 'sum', expr: { ref: 'open' } }],
  }
}

/** A spec over invoices with one measure whose expression is under test. */
function measuring(expr: ReportSpec['where'], where?: ReportSpec['where']): ReportSpec {
  return {
    key: 'probe',
    label: 'probe',
    source: 'invoice',
    params: [{ key: 'name', type: 'text' }],
    where,
    measures: [{ key: 'value', agg: 'max', expr }],
  }
}

async function sqlOf(spec: ReportSpec, params: Record<string, unknown> = {}) {
  return compileReport(spec, forms, params, OPTIONS)
}

describe('compileReport', () => {
  it('compiles links two levels deep, a rollup, buckets and a param to one statement', async () => {
    const compiled = await sqlOf(regionalAging(), { asOf: '2024-06-30' })

    expect(compiled.sql).toBe([
      'with "__rollup1" as (select "t1"."invoice_id" as "k", sum("t1"."amount") as "v1"',
      'from "rpt_demo"."allocation" as "t1"',
      'where "t1"."invoice_id" is not null and ("t1"."date" <= $1::date) group by 1),',
      '"__base" as (select "t4"."name" as "__d0", ($2::date - "t0"."due_date") as "__d1",',
      '("t0"."amount" - coalesce("r2"."v1", 0)) as "__m0"',
      'from "rpt_demo"."invoice" as "t0"',
      'left join "__rollup1" as "r2" on "r2"."k" = "t0"."id"',
      'left join "rpt_demo"."customer" as "t3" on "t3"."id" = "t0"."customer_id"',
      'left join "rpt_demo"."region" as "t4" on "t4"."id" = "t3"."region_id"',
      'where (("t0"."amount" - coalesce("r2"."v1", 0)) > $3::numeric)),',
      '"__bucketed" as (select "__d0", (case when "__d1" <= $4::bigint then 0',
      'when "__d1" <= $5::bigint then 1 when "__d1" is not null then 2 end) as "__d1", "__m0"',
      'from "__base"),',
      '"__grouped" as (select "__d0", "__d1", coalesce(sum("__m0"), 0) as "__m0"',
      'from "__bucketed" group by "__d0", "__d1")',
      'select "__d0" as "region",',
      '(case "__d1" when 0 then $6::text when 1 then $7::text when 2 then $8::text end) as "age",',
      '"__d1" as "age__index", round(cast("__m0" as numeric), 2) as "open"',
      'from "__grouped"',
      'order by "__d0" collate "C" asc nulls last, "__d1" asc nulls last',
    ].join(' '))
    expect(compiled.parameters).toEqual([
      '2024-06-30', '2024-06-30', 0, 0, 30, '≤ 0', '(0, 30]', '> 30',
    ])
    expect(compiled.params).toEqual({ asOf: '2024-06-30' })
    expect(compiled.columns).toEqual([
      { key: 'region', label: 'region', kind: 'dimension', type: 'text' },
      {
        key: 'age',
        label: 'age',
        kind: 'dimension',
        type: 'text',
        buckets: ['≤ 0', '(0, 30]', '> 30'],
      },
      { key: 'open', label: 'open', kind: 'measure', type: 'money', scale: 2, additive: true },
    ])
  })

  it('joins each link path once and reads "customer.id" from the link column', async () => {
    const spec: ReportSpec = {
      ...regionalAging(),
      dimensions: [
        { key: 'customer', expr: { var: 'customer.name' } },
        { key: 'region', expr: { var: 'customer.region.name' } },
        { key: 'customer_id', expr: { var: 'customer.id' } },
      ],
    }
    const { sql } = await sqlOf(spec, { asOf: '2024-06-30' })
    expect(sql.match(/left join "rpt_demo"\."customer"/g)).toHaveLength(1)
    expect(sql.match(/left join "rpt_demo"\."region"/g)).toHaveLength(1)
    expect(sql).toContain('"t0"."customer_id" as "__d2"')
  })

  it('joins a rollup once however often its let is used', async () => {
    const spec: ReportSpec = {
      ...regionalAging(),
      measures: [
        { key: 'open', agg: 'sum', expr: { ref: 'open' } },
        { key: 'paid', agg: 'sum', expr: { ref: 'paid' } },
      ],
    }
    const { sql } = await sqlOf(spec, { asOf: '2024-06-30' })
    expect(sql.match(/"rpt_demo"\."allocation"/g)).toHaveLength(1)
  })

  it('rolls up the same rows once for every aggregate, in any scope of the statement', async () => {
    const paidUpTo = { '<=': [{ var: 'date' }, { param: 'asOf' }] }
    const spec: ReportSpec = {
      ...regionalAging(),
      let: {
        ...regionalAging().let,
        last_paid: {
          rollup: { form: 'allocation', link: 'invoice', agg: 'max', value: { var: 'date' }, where: paidUpTo },
        },
        customer_paid: {
          rollup: {
            form: 'invoice', link: 'customer', on: 'customer', agg: 'sum',
            value: { rollup: { form: 'allocation', link: 'invoice', agg: 'sum', value: { var: 'amount' }, where: paidUpTo } },
          },
        },
      },
      measures: [
        { key: 'open', agg: 'sum', expr: { ref: 'open' } },
        { key: 'last', agg: 'max', expr: { ref: 'last_paid' } },
        { key: 'of_customer', agg: 'max', expr: { ref: 'customer_paid' } },
      ],
    }
    const { sql } = await sqlOf(spec, { asOf: '2024-06-30' })
    expect(sql.match(/from "rpt_demo"\."allocation"/g)).toHaveLength(1)
    expect(sql).toContain('sum("t1"."amount") as "v1", max("t1"."date") as "v2" from "rpt_demo"."allocation"')
    expect(sql.indexOf('"__rollup1" as (')).toBeLessThan(sql.indexOf('"__rollup2" as ('))
    expect(sql).toContain('left join "__rollup1" as "r')
  })

  it('refuses to run a statement of more values than PostgreSQL takes, naming the report, instead of a 500', async () => {
    const lists: NonNullable<ReportSpec['where']>[] = Array.from({ length: 66 }, (_, n) => ({ in: [{ var: 'number' }, Array.from({ length: 1000 }, (_, i) => `N${n}-${i}`)] }))
    // An or takes at most 64 operands: two of 33 lists each.
    const spec = measuring({ var: 'amount' }, { or: [{ or: lists.slice(0, 33) }, { or: lists.slice(33) }] })
    const refused = await sqlOf(spec).then(() => undefined, (error: unknown) => error)
    expect(refused).toMatchObject({
      code: 'report.invalid',
      details: { report: 'probe', parameters: 66_000, max: 65_535 },
    })
    const fits = measuring({ var: 'amount' }, { or: [{ or: lists.slice(0, 33) }, { or: lists.slice(33, 65) }] })
    expect((await sqlOf(fits)).parameters).toHaveLength(65_000)
  })

  it('passes every value as a typed parameter, never as SQL text', async () => {
    const hostile = "x'); drop table rpt_demo.invoice; --"
    const spec = measuring(
      { if: [{ in: [{ var: 'status' }, ['open', 'late']] }, { var: 'amount' }, 0] },
      {
        and: [
          { '==': [{ var: 'number' }, { param: 'name' }] },
          { '<=': ['2024-01-01', { var: 'due_date' }, '2024-12-31'] },
        ],
      },
    )
    const { sql, parameters } = await sqlOf(spec, { name: hostile })

    expect(sql).not.toContain('drop table')
    expect(sql).not.toContain('2024-01-01')
    expect(parameters).toContain(hostile)
    expect(sql).toContain('("t0"."status" in ($1::text, $2::text))')
    expect(sql).toContain('("t0"."number" = $4::text)')
    expect(sql).toContain('($5::date <= "t0"."due_date" and "t0"."due_date" <= $6::date)')
    expect(parameters.slice(0, 6)).toEqual(['open', 'late', 0, hostile, '2024-01-01', '2024-12-31'])
  })

  it('divides as decimals and gives null for a zero divisor', async () => {
    const ratio = { '/': [{ var: 'amount' }, { var: 'customer.credit_days' }] }
    const { sql } = await sqlOf(measuring(ratio))
    expect(sql).toContain('(cast("t0"."amount" as numeric) / nullif("t1"."credit_days", 0))')
  })

  it('tests emptiness with == null and keeps null comparisons otherwise', async () => {
    const { sql } = await sqlOf(measuring(
      { var: 'amount' },
      {
        or: [
          { '==': [{ var: 'due_date' }, null] },
          { '!=': [null, { var: 'status' }] },
          { '!': { '<': [{ var: 'amount' }, 1] } },
        ],
      },
    ))
    expect(sql).toContain([
      '(("t0"."due_date" is null) or ("t0"."status" is not null)',
      'or (not ("t0"."amount" < $1::numeric)))',
    ].join(' '))
  })

  it('turns an empty in list into false', async () => {
    const { sql } = await sqlOf(measuring({ var: 'amount' }, { in: [{ var: 'status' }, []] }))
    expect(sql).toContain('where false')
  })

  it('rejects bad param values with report.param_invalid naming the param', async () => {
    const attempt = sqlOf(agingSpec(), { asOf: '2024-02-30' })
    await expect(attempt).rejects.toMatchObject({
      code: 'report.param_invalid',
      message: 'param "asOf" expects a date "YYYY-MM-DD" from 1900-01-01 to 9999-12-31, received "2024-02-30"',
      details: { param: 'asOf', received: '2024-02-30' },
    })
  })

  it('reports a bad spec before a bad param', async () => {
    const spec = { ...agingSpec(), where: { '>': [{ var: 'nope' }, 0] } }
    await expect(sqlOf(spec, { asOf: 'soon' })).rejects.toMatchObject({ code: 'report.invalid' })
  })

  it('refuses a time zone that does not exist', async () => {
    const options = { timeZone: 'Asia/Beijing', locale: 'en' } as const
    const attempt = compileReport(agingSpec(), forms, {}, options)
    await expect(attempt).rejects.toBeInstanceOf(TesseraError)
    await expect(attempt).rejects.toMatchObject({ code: 'request.invalid' })
  })
})

describe('compileDrill', () => {
  it('selects the source ids with the same where and the bucket by label', async () => {
    const { sql, parameters } = await compileDrill(
      regionalAging(), forms, { asOf: '2024-06-30' }, { region: '华东', age: '(0, 30]' }, OPTIONS,
    )
    expect(sql).toContain([
      'select "t0"."id" as "id", cast("t0"."number" as text) as "__title",',
      'round(cast(("t0"."amount" - coalesce("r2"."v1", 0)) as numeric), 2) as "open",',
      'cast(count(*) over () as int) as "__total"',
    ].join(' '))
    expect(sql).toContain('("t4"."name" = $3::text)')
    expect(sql).toMatch(/ = \$\d+::int\) order by "t0"\."id"$/)
    expect(parameters).toContain('华东')
    expect(parameters.at(-1)).toBe(1)
  })

  it('gives a distinct count no column: a record has no share of it (its value would be an id)', async () => {
    const spec = regionalAging()
    spec.measures = [...(spec.measures ?? []), { key: 'customers', agg: 'count_distinct', expr: { var: 'customer' } }]
    const drilled = await compileDrill(spec, forms, { asOf: '2024-06-30' }, { region: '华东' }, OPTIONS)
    expect(drilled.columns.map((column) => column.key)).toEqual(['id', '__title', 'open'])
    expect(drilled.sql).not.toContain('"customers"')
    // Drilling on it still gives the records that have a value.
    const on = await compileDrill(spec, forms, { asOf: '2024-06-30' }, { region: '华东' }, { ...OPTIONS, measure: 'customers' })
    expect(on.sql).toContain('"t0"."customer_id" is not null')
  })

  it('rejects an unknown dimension and a label that is no bucket', async () => {
    const drill = (values: Record<string, unknown>) =>
      compileDrill(regionalAging(), forms, { asOf: '2024-06-30' }, values, OPTIONS)
    await expect(drill({ nope: 1 })).rejects.toMatchObject({ code: 'request.invalid' })
    await expect(drill({ age: 'old' })).rejects.toThrow(/bucket label \(≤ 0, \(0, 30\], > 30\)/)
    await expect(drill({ region__index: 0 })).rejects.toMatchObject({ code: 'request.invalid' })
  })
})
