import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type Actor, type FormDefinition } from '@tessera/core'
import { compileReport, runReport, tableSource, type ReportSpec } from '@tessera/reports'
import { databaseSuites } from '@tessera/store/testing'
import { Platform } from '../src/index.js'

// A report rollup over the same records as a stored rollup field starts from
// the stored column and subtracts the records its `where` leaves out, when the
// reader reads that column as stored. These cases hold its answers to the
// direct computation and to figures worked out by hand, on the boundary day,
// with an empty date, after later writes, and for a reader who sees only some
// of the records (who must not get the stored total).

const APP = 'ledger_probe'

const account: FormDefinition = {
  key: 'acct',
  label: '账户',
  titleField: 'name',
  fields: [
    { key: 'name', type: 'text', label: '名称', required: true, unique: true },
    { key: 'amount', type: 'money', label: '金额', required: true },
    { key: 'paid', type: 'rollup', label: '已付', form: 'pay', link: 'acct', agg: 'sum', field: 'amount' },
    { key: 'pays', type: 'rollup', label: '笔数', form: 'pay', link: 'acct', agg: 'count' },
    { key: 'last_paid', type: 'rollup', label: '最近付款', form: 'pay', link: 'acct', agg: 'max', field: 'date' },
    { key: 'biggest', type: 'rollup', label: '最大一笔', form: 'pay', link: 'acct', agg: 'max', field: 'amount' },
  ],
}
const payment: FormDefinition = {
  key: 'pay',
  label: '付款',
  fields: [
    { key: 'acct', type: 'link', form: 'acct', label: '账户', required: true },
    { key: 'date', type: 'date', label: '日期' },
    { key: 'amount', type: 'money', label: '金额', required: true },
  ],
}

const asOf = (where: string) => ({
  '<=': { '<=': [{ var: 'date' }, { param: 'asOf' }] },
  '>=': { '>=': [{ param: 'asOf' }, { var: 'date' }] },
  '<': { '<': [{ var: 'date' }, { param: 'asOf' }] },
})[where]

const spec: ReportSpec = {
  key: 'balances',
  label: '余额',
  source: 'acct',
  params: [{ key: 'asOf', type: 'date', required: true }],
  let: {
    paid: { rollup: { form: 'pay', link: 'acct', agg: 'sum', value: { var: 'amount' }, where: asOf('<=') } },
  },
  dimensions: [{ key: 'name', expr: { var: 'name' } }],
  measures: [
    { key: 'paid', agg: 'sum', expr: { ref: 'paid' }, type: 'money' },
    { key: 'open', agg: 'sum', expr: { '-': [{ var: 'amount' }, { ref: 'paid' }] }, type: 'money' },
    { key: 'count', agg: 'sum', type: 'integer',
      expr: { rollup: { form: 'pay', link: 'acct', agg: 'count', where: asOf('>=') } } },
    { key: 'before', agg: 'sum', type: 'money',
      expr: { rollup: { form: 'pay', link: 'acct', agg: 'sum', value: { var: 'amount' }, where: asOf('<') } } },
    { key: 'ever', agg: 'sum', type: 'money',
      expr: { rollup: { form: 'pay', link: 'acct', agg: 'sum', value: { var: 'amount' } } } },
    { key: 'last', agg: 'max', type: 'date',
      expr: { rollup: { form: 'pay', link: 'acct', agg: 'max', value: { var: 'date' }, where: asOf('<=') } } },
    { key: 'biggest', agg: 'max', type: 'money',
      expr: { rollup: { form: 'pay', link: 'acct', agg: 'max', value: { var: 'amount' }, where: asOf('<=') } } },
  ],
} as unknown as ReportSpec

type Row = {
  name: string; paid: string; open: string; count: number; before: string; ever: string
  last: string | null; biggest: string | null
}
const row = (
  name: string, paid: string, open: string, count: number, before: string, ever: string,
  last: string | null = null, biggest: string | null = null,
): Row => ({ name, paid, open, count, before, ever, last, biggest })

/** A result's rows in the shape of `row`: counts as numbers, empty extremes as null. */
const rowsOf = (result: { rows: Array<Record<string, unknown>> }): Row[] => result.rows.map((r) => row(
  r.name as string, r.paid as string, r.open as string, Number(r.count), r.before as string, r.ever as string,
  (r.last ?? null) as string | null, (r.biggest ?? null) as string | null,
))

describe.each(databaseSuites())('as-of rollups read from stored totals on $name', (suite) => {
  let platform: Platform
  const admin: Actor = { ...SYSTEM_ACTOR }
  const clerk: Actor = { id: '31', roles: [`${APP}/clerk`] }
  const ids: Record<string, number> = {}
  let lateId = 0

  const figures = async (actor: Actor, day: string) =>
    rowsOf(await platform.runReport(actor, APP, 'balances', { asOf: day }))

  /** The same spec computed straight from the payments: a source that never offers stored totals. */
  const direct = async (day: string) => {
    const plain = Object.assign((form: Parameters<typeof tableSource>[0], alias: string) => tableSource(form, alias), {})
    const result = await runReport(platform.database.db, spec, platform.catalog.resolver(APP), { asOf: day }, {
      timeZone: 'Asia/Shanghai', locale: 'zh-CN', source: plain,
    })
    return rowsOf(result)
  }

  const compiledFor = async (actor: Actor) => {
    const compiled = await compileReport(spec, platform.catalog.resolver(APP), { asOf: '2026-02-01' }, {
      timeZone: 'Asia/Shanghai', locale: 'zh-CN', source: platform.records.query.reportSource(actor),
    })
    return compiled.query.compile(platform.database.db).sql
  }

  beforeAll(async () => {
    platform = new Platform(await suite.open())
    await platform.catalog.saveApp({ key: APP, label: '台账探针' })
    await platform.catalog.saveDraft(APP, account)
    await platform.catalog.saveDraft(APP, payment)
    await platform.catalog.publish(APP, ['acct', 'pay'], admin)
    await platform.catalog.putMeta(APP, 'report', 'balances', spec, admin)
    await platform.roles.save(admin, APP, {
      key: 'clerk',
      label: '出纳',
      forms: {
        acct: { actions: ['read'] },
        pay: { actions: ['create', 'read'], rows: { kind: 'own' } },
      },
      reports: ['balances'],
    })

    for (const [name, amount] of [['A', '100.00'], ['B', '50.00'], ['C', '70.00']]) {
      ids[name] = (await platform.records.create(admin, APP, 'acct', { name, amount })).id
    }
    const pay = (actor: Actor, name: string, date: string | null, amount: string) =>
      platform.records.create(actor, APP, 'pay', { acct: ids[name], date, amount })
    await pay(clerk, 'A', '2026-01-05', '7.00')
    await pay(admin, 'A', '2026-01-10', '10.00')
    await pay(admin, 'A', '2026-02-01', '20.00')
    lateId = (await pay(admin, 'A', '2026-03-01', '30.00')).id
    await pay(admin, 'A', null, '5.00')
    await pay(admin, 'B', '2026-03-05', '50.00')
  })
  afterAll(() => platform?.close())

  it('counts the boundary day, leaves out later and undated payments, and agrees with the direct sum', async () => {
    const expected = [
      row('A', '37.00', '63.00', 3, '17.00', '72.00', '2026-02-01', '20.00'),
      row('B', '0.00', '50.00', 0, '0.00', '50.00'),
      row('C', '0.00', '70.00', 0, '0.00', '0.00'),
    ]
    expect(await figures(admin, '2026-02-01')).toEqual(expected)
    expect(await direct('2026-02-01')).toEqual(expected)
    // Before anything was paid, and after everything dated was.
    expect((await figures(admin, '2025-12-31')).map((r) => r.paid)).toEqual(['0.00', '0.00', '0.00'])
    expect(await figures(admin, '2026-12-31')).toEqual(await direct('2026-12-31'))
    expect((await figures(admin, '2026-12-31')).map((r) => r.paid)).toEqual(['67.00', '50.00', '0.00'])
    expect((await figures(admin, '2026-12-31')).map((r) => [r.last, r.biggest])).toEqual([
      ['2026-03-01', '30.00'], ['2026-03-05', '50.00'], [null, null],
    ])
  })

  it('starts from the stored column for a reader who reads it whole, and not for one who does not', async () => {
    const mine = await compiledFor(admin)
    expect(mine).toMatch(/"paid"/)
    expect(mine).toMatch(/\("t\d+"\."date" > \$\d+::date\) or "t\d+"\."date" is null/)
    expect(mine).toMatch(/case when "r\d+"\."k" is null then "t0"\."last_paid" else/)
    const theirs = await compiledFor(clerk)
    expect(theirs).not.toMatch(/is null or/)
  })

  it('gives a reader who sees only their own payments sums of those alone', async () => {
    expect(await figures(clerk, '2026-02-01')).toEqual([
      row('A', '7.00', '93.00', 1, '7.00', '7.00', '2026-01-05', '7.00'),
      row('B', '0.00', '50.00', 0, '0.00', '0.00'),
      row('C', '0.00', '70.00', 0, '0.00', '0.00'),
    ])
  })

  it('follows later writes: a new later payment changes nothing as of the day, a payment moved earlier does', async () => {
    await platform.records.create(admin, APP, 'pay', { acct: ids.C, date: '2026-05-01', amount: '70.00' })
    const late = await platform.records.get(admin, APP, 'pay', lateId)
    await platform.records.update(admin, APP, 'pay', lateId, {
      version: late.version, values: { ...late.values, date: '2026-01-15' },
    })
    const expected = [
      row('A', '67.00', '33.00', 4, '47.00', '72.00', '2026-02-01', '30.00'),
      row('B', '0.00', '50.00', 0, '0.00', '50.00'),
      row('C', '0.00', '70.00', 0, '0.00', '70.00'),
    ]
    expect(await figures(admin, '2026-02-01')).toEqual(expected)
    expect(await direct('2026-02-01')).toEqual(expected)
  })
})
