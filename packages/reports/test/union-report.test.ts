import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { PublishedForm } from '@tessera/core'

import { databaseSuites } from '@tessera/store/testing'

import { type ReportSpec, type RowSource, checkReportSpec, compileReport, runDrill, runReport } from '../src/index.js'
import { seedAging } from './aging-data.js'
import { type DemoDatabase, openDemo } from './demo-database.js'
import { staticForms } from './fixtures.js'

const OPTIONS = { timeZone: 'Asia/Shanghai', locale: 'en' } as const

/**
 * A customer ledger over the aging book's invoices (debits) and
 * allocations (credits): everything dated before the period folded into
 * one opening line per customer, then each document of the period, with a
 * running balance along the date and the document.
 */
function ledgerSpec(): ReportSpec {
  const before = { '<': [{ var: 'date' }, { param: 'period.from' }] }
  return {
    key: 'customer_ledger',
    label: 'customer ledger',
    union: {
      columns: [
        { key: 'customer', type: 'link', form: 'customer' },
        { key: 'date', type: 'date' },
        { key: 'document', type: 'text' },
        { key: 'kind', type: 'text' },
        { key: 'debit', type: 'money' },
        { key: 'credit', type: 'money' },
      ],
      from: [
        {
          form: 'invoice',
          values: {
            customer: { var: 'customer' }, date: { var: 'invoice_date' }, document: { var: 'number' },
            kind: 'invoice', debit: { var: 'amount' }, credit: 0,
          },
        },
        {
          // An allocation reaches its customer through its invoice; it leaves the debit out (empty).
          form: 'allocation',
          values: {
            customer: { var: 'invoice.customer' }, date: { var: 'date' }, document: { var: 'invoice.number' },
            kind: 'allocation', credit: { var: 'amount' },
          },
        },
      ],
    },
    params: [{ key: 'period', type: 'period', required: true }],
    let: { before },
    where: { '<=': [{ var: 'date' }, { param: 'period.to' }] },
    dimensions: [
      { key: 'customer', expr: { var: 'customer.name' } },
      { key: 'date', expr: { if: [{ ref: 'before' }, { add_days: [{ param: 'period.from' }, -1] }, { var: 'date' }] } },
      { key: 'document', expr: { if: [{ ref: 'before' }, 'opening', { var: 'document' }] } },
      { key: 'kind', expr: { if: [{ ref: 'before' }, '', { var: 'kind' }] } },
    ],
    measures: [
      { key: 'debit', agg: 'sum', expr: { var: 'debit' }, type: 'money' },
      { key: 'credit', agg: 'sum', expr: { var: 'credit' }, type: 'money' },
      {
        key: 'net', agg: 'sum', type: 'money',
        expr: { '-': [{ coalesce: [{ var: 'debit' }, 0] }, { coalesce: [{ var: 'credit' }, 0] }] },
      },
      { key: 'balance', agg: 'running', of: 'net', along: ['date', 'document', 'kind'] },
    ],
  }
}

describe('checking a union report', () => {
  const forms = staticForms()
  const issuesOf = async (spec: unknown) => {
    const error = await checkReportSpec(spec, forms, { locale: 'en' }).catch((caught: unknown) => caught)
    expect(error).toMatchObject({ code: 'report.invalid' })
    return (error as { issues: Array<{ field: string; rule: string; message: string }> }).issues
  }
  const withUnion = (change: (union: Record<string, unknown>) => void, rest: Partial<ReportSpec> = {}) => {
    const spec = structuredClone(ledgerSpec()) as unknown as Record<string, unknown>
    change(spec.union as Record<string, unknown>)
    return { ...spec, ...rest }
  }

  it('compiles each form\'s values cast to the column types, joined with union all, read like a form', async () => {
    const { sql } = await compileReport(ledgerSpec(), forms, { period: '2024-06-01..2024-06-30' }, OPTIONS)
    expect(sql).toMatch(/from \(select cast\("t\d+"\."customer_id" as bigint\) as "customer", cast\("t\d+"\."invoice_date" as date\) as "date"/)
    expect(sql).toContain(' union all select ')
    // A form leaving a column out gives it empty; money is held at its scale.
    expect(sql).toContain('round(cast(null as numeric), 2) as "debit"')
    // The union's link column joins its form, as a link field would.
    expect(sql).toMatch(/\) as "t0" left join "[^"]+"\."[^"]+" as "t\d+" on "t\d+"\."id" = "t0"\."customer"/)
  })

  it('refuses a hidden flag that is not true or false', async () => {
    const spec = ledgerSpec()
    spec.measures = spec.measures!.map((measure) => measure.key === 'net' ? { ...measure, hidden: 'yes' as unknown as boolean } : measure)
    expect(await issuesOf(spec)).toEqual([expect.objectContaining({ field: 'measures[2].hidden', rule: 'type',
      message: 'hidden must be true or false, got "yes"' })])
  })

  it('refuses what a union cannot be, naming where', async () => {
    const cases: Array<[unknown, string, string]> = [
      [{ ...ledgerSpec(), source: 'invoice' }, 'union', 'expression'],
      [withUnion((union) => { union.from = [] }), 'union.from', 'type'],
      [withUnion((union) => { (union.columns as unknown[]).push({ key: 'id', type: 'integer' }) }), 'union.columns[6].key', 'key'],
      [withUnion((union) => { (union.columns as unknown[]).push({ key: 'note', type: 'blob' }) }), 'union.columns[6].type', 'type'],
      [withUnion((union) => { (union.columns as Array<Record<string, unknown>>)[0].form = 'nowhere' }), 'union.columns[0].form', 'unknown_form'],
      [withUnion((union) => { (union.from as Array<Record<string, unknown>>)[1].form = 'nowhere' }), 'union.from[1].form', 'unknown_form'],
      // A value of the wrong type, a link to another form, a column the union lacks.
      [withUnion((union) => { ((union.from as Array<Record<string, Record<string, unknown>>>)[0].values).date = { var: 'amount' } }),
        'union.from[0].values.date', 'type'],
      [withUnion((union) => { ((union.from as Array<Record<string, Record<string, unknown>>>)[1].values).customer = { var: 'invoice' } }),
        'union.from[1].values.customer', 'type'],
      [withUnion((union) => { ((union.from as Array<Record<string, Record<string, unknown>>>)[1].values).extra = 1 }),
        'union.from[1].values.extra', 'unknown_key'],
      // A form's values are of its own records: no lets there.
      [withUnion((union) => { ((union.from as Array<Record<string, Record<string, unknown>>>)[0].values).kind = { ref: 'before' } }),
        'union.from[0].values.kind.ref', 'ref_scope'],
      // The union's rows are no records: no ids, no rollups onto them, no others row.
      [withUnion(() => undefined, { measures: [{ key: 'ids', agg: 'count_distinct', expr: { var: 'id' } }] }), 'measures[0].expr.var', 'unknown_field'],
      [withUnion(() => undefined, { let: { ...ledgerSpec().let, x: { rollup: { form: 'allocation', link: 'invoice', agg: 'count' } } },
        measures: [{ key: 'x', agg: 'sum', expr: { ref: 'x' } }] }), 'let.x.rollup.on', 'union'],
      [withUnion(() => undefined, { dimensions: [{ key: 'customer', expr: { var: 'customer.name' } }],
        measures: [{ key: 'net', agg: 'sum', expr: { var: 'debit' } }], top: { n: 1, by: 'net' } }), 'top.others', 'union'],
    ]
    for (const [spec, field, rule] of cases) {
      const issues = await issuesOf(spec)
      expect(issues.map((issue) => [issue.field, issue.rule]), JSON.stringify(spec).slice(0, 300)).toContainEqual([field, rule])
    }
  })
})

describe.each(databaseSuites())('running a union report on $name', (suite) => {
  let demo: DemoDatabase

  beforeAll(async () => {
    demo = await openDemo(suite)
    await seedAging(demo)
  })
  afterAll(() => demo?.close())
  const table = async (key: string) => {
    const form = await demo.forms.getForm(key)
    return sql.id(form.table.schema, form.table.name)
  }

  it('lists each customer\'s opening balance and documents of the period with a running balance, exactly', async () => {
    const result = await runReport(demo.database.db, ledgerSpec(), demo.forms, { period: '2024-06-01..2024-06-30' }, OPTIONS)
    const line = (customer: string, date: string, document: string, kind: string, debit: string, credit: string, net: string, balance: string) =>
      ({ customer, date, document, kind, debit, credit, net, balance })
    expect(result.rows).toEqual([
      // 丙公司: two invoices before June, nothing in it.
      line('丙公司', '2024-05-31', 'opening', '', '195.50', '0.00', '195.50', '195.50'),
      // 乙公司: four invoices before June; in June three allocations (one of 0.00), I11 before I4 by code point.
      line('乙公司', '2024-05-31', 'opening', '', '1300.25', '0.00', '1300.25', '1300.25'),
      line('乙公司', '2024-06-01', 'I4', 'allocation', '0.00', '0.99', '-0.99', '1299.26'),
      line('乙公司', '2024-06-30', 'I11', 'allocation', '0.00', '0.00', '0.00', '1299.26'),
      line('乙公司', '2024-06-30', 'I4', 'allocation', '0.00', '99.00', '-99.00', '1200.26'),
      // 甲公司: I6 invoiced and paid before June, I2 invoiced; in June I1, its part payment and I10
      // (I2's payment on 5 July and I9 of 2 July fall after the period).
      line('甲公司', '2024-05-31', 'opening', '', '3500.00', '3000.00', '500.00', '500.00'),
      line('甲公司', '2024-06-01', 'I1', 'invoice', '1000.10', '0.00', '1000.10', '1500.10'),
      line('甲公司', '2024-06-10', 'I1', 'allocation', '0.00', '200.05', '-200.05', '1300.05'),
      line('甲公司', '2024-06-15', 'I10', 'invoice', '60.00', '0.00', '60.00', '1360.05'),
    ])
    // Read through a link column, a run-time filter narrows the rows like any field.
    const east = await runReport(demo.database.db, ledgerSpec(), demo.forms, { period: '2024-06-01..2024-06-30' },
      { ...OPTIONS, filters: [{ field: 'customer.region.name', values: ['华东'] }] })
    expect(east.rows.map((row) => row.customer)).toEqual(['甲公司', '甲公司', '甲公司', '甲公司'])
  })

  it('runs the balance over a hidden movement, which is neither a column nor in the rows', async () => {
    const period = { period: '2024-06-01..2024-06-30' }
    const shown = await runReport(demo.database.db, ledgerSpec(), demo.forms, period, OPTIONS)
    const spec = ledgerSpec()
    spec.measures = spec.measures!.map((measure) => measure.key === 'net' ? { ...measure, hidden: true } : measure)
    const hidden = await runReport(demo.database.db, spec, demo.forms, period, OPTIONS)
    expect(hidden.columns.map((column) => column.key)).toEqual(['customer', 'date', 'document', 'kind', 'debit', 'credit', 'balance'])
    expect(hidden.rows).toEqual(shown.rows.map(({ net: _net, ...row }) => row))
    // A record's share of the movement is still there for the line's drilled list (the opening balance's makeup).
    const drill = await runDrill(demo.database.db, spec, demo.forms, period,
      { customer: '甲公司', document: 'opening' }, { ...OPTIONS, form: 'invoice' })
    expect(drill.columns.map((column) => column.key)).toContain('net')
  })

  it('holds money columns at their scale, so that lines and the balance agree to the cent', async () => {
    const spec = ledgerSpec()
    const thirds = structuredClone(spec)
    thirds.union!.from[0].values.debit = { '/': [{ var: 'amount' }, 3] }
    const result = await runReport(demo.database.db, { ...thirds, where: undefined, let: undefined,
      dimensions: [spec.dimensions![2]].map((dimension) => ({ ...dimension, expr: { var: 'document' } })),
      measures: [spec.measures![0], { key: 'to_date', agg: 'running', of: 'debit' }] }, demo.forms, { period: '2024-01-01..2024-12-31' }, OPTIONS)
    let total = 0n
    for (const row of result.rows) {
      expect(String(row.debit)).toMatch(/^\d+\.\d{2}$/)
      total += BigInt(String(row.debit).replace('.', ''))
      expect(BigInt(String(row.to_date).replace('.', ''))).toBe(total)
    }
    // 1000.10 / 3 is 333.37 on its line (not 333.3666…), and the total runs over the lines as shown.
    expect(result.rows.find((row) => row.document === 'I1')?.debit).toBe('333.37')
  })

  it('runs a total over the groups as shown, so that it adds up the rows even for a computed money measure', async () => {
    const thirds: ReportSpec = {
      key: 'thirds', label: 'thirds', source: 'invoice',
      dimensions: [{ key: 'number', expr: { var: 'number' } }],
      measures: [
        { key: 'third', agg: 'sum', expr: { '/': [{ var: 'amount' }, 3] }, type: 'money' },
        { key: 'to_date', agg: 'running', of: 'third' },
      ],
    }
    const result = await runReport(demo.database.db, thirds, demo.forms, {}, OPTIONS)
    let total = 0n
    for (const row of result.rows) {
      total += BigInt(String(row.third).replace('.', ''))
      expect(BigInt(String(row.to_date).replace('.', '')), String(row.number)).toBe(total)
    }
  })

  it('reads each form of the union through the reader\'s rows, and refuses a drill into records', async () => {
    const counting = { ...ledgerSpec(), dimensions: [{ key: 'kind', expr: { var: 'kind' } }], measures: [{ key: 'lines', agg: 'count' as const }] }
    const year = { period: '2024-01-01..2024-12-31' }
    const all = await runReport(demo.database.db, counting, demo.forms, year, OPTIONS)
    expect(all.rows).toEqual([{ kind: 'allocation', lines: 6 }, { kind: 'invoice', lines: 11 }])
    // A reader who may read 甲公司's invoices only: the invoices' part of the union holds those five.
    const customers = await demo.forms.getForm('customer')
    const [{ id: first }] = (await sql<{ id: number }>`select id from ${sql.id(customers.table.schema, customers.table.name)}
      where name = '甲公司'`.execute(demo.database.db)).rows
    const own: RowSource = Object.assign(
      (form: PublishedForm, alias: string) => form.key === 'invoice'
        ? sql`(select * from ${sql.id(form.table.schema, form.table.name)} where customer_id = ${first}) as ${sql.id(alias)}`
        : sql`${sql.id(form.table.schema, form.table.name)} as ${sql.id(alias)}`,
      { readsStored: () => false },
    )
    const limited = await runReport(demo.database.db, counting, demo.forms, year, { ...OPTIONS, source: own })
    expect(limited.rows).toEqual([{ kind: 'allocation', lines: 6 }, { kind: 'invoice', lines: 5 }])

    const refused = await runDrill(demo.database.db, ledgerSpec(), demo.forms, { period: '2024-06-01..2024-06-30' },
      { customer: '甲公司' }, OPTIONS).catch((error: unknown) => error)
    expect(refused).toMatchObject({ code: 'request.invalid', issues: [{ field: 'form', rule: 'form' }] })
    expect(String((refused as Error).message)).toContain('one of invoice, allocation')
    const elsewhere = await runDrill(demo.database.db, ledgerSpec(), demo.forms, { period: '2024-06-01..2024-06-30' },
      { customer: '甲公司' }, { ...OPTIONS, form: 'customer' }).catch((error: unknown) => error)
    expect(elsewhere).toMatchObject({ code: 'request.invalid', details: { expected: ['invoice', 'allocation'], received: 'customer' } })

    // The reader's rows hold for a drill of one form of the union too.
    const own甲 = await runDrill(demo.database.db, counting, demo.forms, year, { kind: 'invoice' },
      { ...OPTIONS, source: own, form: 'invoice' })
    const { rows: theirs } = await sql<{ id: number }>`select id from ${await table('invoice')} where customer_id = ${first}
      order by id`.execute(demo.database.db)
    expect(own甲.rows.map((row) => row.id)).toEqual(theirs.map((row) => Number(row.id)))
  })

  it('lists the records of one form behind a line of the union, each with its share', async () => {
    const june = { period: '2024-06-01..2024-06-30' }
    const [{ id: customer }] = (await sql<{ id: number }>`select id from ${await table('customer')} where name = '甲公司'`
      .execute(demo.database.db)).rows
    // The opening line: everything of 甲公司 dated before June, by form.
    const opening = { customer: '甲公司', document: 'opening' }
    const invoices = await runDrill(demo.database.db, ledgerSpec(), demo.forms, june, opening, { ...OPTIONS, form: 'invoice' })
    const { rows: before } = await sql<{ id: number; amount: string; fee: string; half: string; number: string }>`
      select id, amount::text, (amount + 1)::text as fee, round((amount + 1) / 2, 2)::text as half, number from ${await table('invoice')}
      where customer_id = ${customer} and invoice_date < '2024-06-01' order by id`.execute(demo.database.db)
    expect(before.length).toBeGreaterThan(0)
    expect(invoices.rows.map((row) => [row.id, row.debit])).toEqual(before.map((row) => [Number(row.id), row.amount]))
    // Each record titled as its form's lists title it.
    expect(invoices.rows.map((row) => row.__title)).toEqual(before.map((row) => row.number))
    expect(invoices.total).toBe(before.length)

    const allocations = await runDrill(demo.database.db, ledgerSpec(), demo.forms, june, opening,
      { ...OPTIONS, form: 'allocation' })
    const { rows: paid } = await sql<{ id: number; amount: string }>`select a.id, a.amount::text from ${await table('allocation')} a
      join ${await table('invoice')} i on i.id = a.invoice_id where i.customer_id = ${customer} and a.date < '2024-06-01'
      order by a.id`.execute(demo.database.db)
    expect(allocations.rows.map((row) => [row.id, row.credit, row.net]))
      .toEqual(paid.map((row) => [Number(row.id), row.amount, `-${row.amount}`]))
    // The line's figure is the sum of the shares, form by form.
    const line = (await runReport(demo.database.db, ledgerSpec(), demo.forms, june, OPTIONS)).rows
      .find((row) => row.customer === '甲公司' && row.document === 'opening')
    const cents = (values: unknown[]) => values.reduce<bigint>((sum, value) => sum + BigInt(String(value).replace('.', '')), 0n)
    expect(cents([...invoices.rows, ...allocations.rows].map((row) => row.net))).toBe(cents([line?.net]))

    // A form listed twice (each invoice once as its amount, again as a fee of 1.00): one row per record, the shares added.
    const twice = structuredClone(ledgerSpec())
    twice.union?.from.push({ form: 'invoice', values: { customer: { var: 'customer' }, date: { var: 'invoice_date' },
      document: { var: 'number' }, kind: 'fee', debit: 1 } })
    // An average's share is the average of the record's rows, held to the money's scale.
    twice.measures?.push({ key: 'mean', agg: 'avg', expr: { var: 'debit' }, type: 'money' })
    const doubled = await runDrill(demo.database.db, twice, demo.forms, june, opening, { ...OPTIONS, form: 'invoice' })
    expect(doubled.rows.map((row) => [row.id, row.debit, row.mean]))
      .toEqual(before.map((row) => [Number(row.id), row.fee, row.half]))
    expect(doubled.total).toBe(before.length)
  })
})
