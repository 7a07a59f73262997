import { sql, type KyselyPlugin } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type FormDefinition } from '@tessera/core'
import pg from 'pg'
import { Catalog, Database, migrate, openDatabase, RecordService } from '../src/index.js'
import { createTestPostgresUrl, databaseSuites } from '../src/testing.js'

const APP = 'limit_lab'
const TOTAL = '_total__grant__within_budget'

const budget: FormDefinition = {
  key: 'budget',
  label: '预算',
  titleField: 'name',
  fields: [
    { key: 'name', type: 'text', label: '名称', required: true },
    { key: 'cap', type: 'money', label: '上限' },
  ],
}

/** Every kind of field whose create can go as one statement, to compare its audit line with what is read. */
const grant: FormDefinition = {
  key: 'grant',
  label: '拨款',
  fields: [
    { key: 'code', type: 'text', label: '编号', required: true, unique: true },
    { key: 'budget', type: 'link', form: 'budget', label: '预算' },
    { key: 'amount', type: 'money', label: '金额' },
    { key: 'rate', type: 'percent', label: '比例' },
    { key: 'share', type: 'formula', label: '分摊', result: 'money',
      expression: { 'dec*': [{ var: 'amount' }, { var: 'rate' }] } },
    { key: 'count', type: 'number', label: '份数', integer: true },
    { key: 'weight', type: 'number', label: '权重', scale: 3 },
    { key: 'on', type: 'date', label: '日期' },
    { key: 'urgent', type: 'boolean', label: '加急' },
    { key: 'kind', type: 'select', label: '类别', options: [{ value: 'a', label: '甲' }, { value: 'b', label: '乙' }] },
    { key: 'tags', type: 'multiselect', label: '标签', options: [{ value: 'x', label: 'X' }, { value: 'y', label: 'Y' }] },
    { key: 'note', type: 'text', multiline: true, label: '备注' },
    { key: 'phone', type: 'phone', label: '电话' },
    { key: 'mail', type: 'email', label: '邮箱' },
    { key: 'bank', type: 'bank_account', label: '账号' },
    { key: 'where', type: 'region', label: '地区' },
    { key: 'uscc', type: 'uscc', label: '信用代码' },
  ],
  constraints: [{ key: 'within_budget', per: 'budget', sum: 'amount', max: 'cap', message: '超出预算' }],
}

// The statements sent, counted when their results come back (BEGIN and
// COMMIT do not pass through kysely's plugins, so a transaction is seen
// by its statements only).
/**
 * The statements a database handle runs, each by its text where it is raw
 * SQL. The company time zone is read again at most every five seconds by a
 * statement of its own (`refreshes` counts those), which a slow machine
 * can meet between two writes; the other statements are what a write costs.
 */
function counted(database: Database) {
  const statements: string[] = []
  const texts = new Map<string, string>()
  let refreshes = 0
  const plugin: KyselyPlugin = {
    transformQuery: (args) => {
      const node = args.node as { kind: string; sqlFragments?: readonly string[] }
      if (node.kind === 'RawNode') texts.set(args.queryId.queryId, (node.sqlFragments ?? []).join('?'))
      return args.node
    },
    transformResult: async (args) => {
      const text = texts.get(args.queryId.queryId) ?? ''
      if (/from tessera\.setting where key = 'timeZone'/.test(text)) refreshes += 1
      else statements.push(String(args.queryId.queryId))
      return args.result
    },
  }
  return {
    watched: new Database(database.db.withPlugin(plugin), database.kind, database.location),
    statements,
    refreshes: () => refreshes,
  }
}

describe.each(databaseSuites())('constraint totals kept in the limited record on $name', (suite) => {
  let database: Database
  let catalog: Catalog
  let records: RecordService

  const stored = async (id: number) => {
    const { rows } = await sql<{ total: string }>`
      select ${sql.ref(TOTAL)}::text as total from limit_lab.budget where id = ${id}`.execute(database.db)
    return rows[0].total
  }
  const summed = async (id: number) => {
    const { rows } = await sql<{ total: string }>`
      select coalesce(sum(amount), 0)::text as total from limit_lab."grant" where budget_id = ${id}`.execute(database.db)
    return rows[0].total
  }
  const budgetOf = async (name: string, cap: string | null) =>
    (await records.create(SYSTEM_ACTOR, APP, 'budget', { name, cap })).id

  beforeAll(async () => {
    database = await suite.open()
    catalog = new Catalog(database)
    records = new RecordService(database, catalog)
    await catalog.saveApp({ key: APP, label: '预算实验' })
    for (const form of [budget, grant]) await catalog.saveDraft(APP, form)
    await catalog.publish(APP, ['budget', 'grant'], SYSTEM_ACTOR)
  })
  afterAll(() => database?.close())

  it('creates in one statement, and its audit line holds the record as it reads', async () => {
    const id = await budgetOf('一号', '1000')
    const { watched, statements } = counted(database)
    const service = new RecordService(watched, catalog)
    await service.create(SYSTEM_ACTOR, APP, 'grant', { code: 'G-0', budget: id, amount: '1' })
    statements.length = 0

    const created = await service.create(SYSTEM_ACTOR, APP, 'grant', {
      code: 'G-1', budget: id, amount: '12.5', rate: '0.13', count: 3, weight: 1.25, on: '2026-02-28',
      urgent: true, kind: 'b', tags: ['y', 'x'], note: '第一行\n第二行', phone: '13800138000',
      mail: 'AP@Example.com', bank: '6222 0212 3456 7890', where: '浙江/杭州市/余杭区',
      uscc: '9133 0100 7996 5505 8b',
    })
    expect(statements, 'the create, its total, audit and read-back').toHaveLength(1)
    expect(created.values).toMatchObject({
      amount: '12.50', rate: '0.1300', share: '1.63', weight: 1.25, count: 3, tags: ['x', 'y'],
      where: '浙江省/杭州市/余杭区', uscc: '91330100799655058B', mail: 'AP@example.com',
    })
    const { rows } = await sql<{ after: unknown; before: unknown; action: string }>`
      select after, before, action from tessera.audit
      where app_key = ${APP} and form_key = 'grant' and record_id = ${created.id}`.execute(database.db)
    expect(rows).toEqual([{ after: created.values, before: null, action: 'record.create' }])
    expect(await records.get(SYSTEM_ACTOR, APP, 'grant', created.id)).toEqual(created)
    expect(await stored(id)).toBe('13.50')
  })

  it('refuses a create past the limit with the figures, keeping no record, audit line or total', async () => {
    const id = await budgetOf('二号', '20')
    await records.create(SYSTEM_ACTOR, APP, 'grant', { code: 'R-1', budget: id, amount: '19.99' })
    const audits = async () => (await sql<{ n: number }>`select count(*)::int as n from tessera.audit`.execute(database.db)).rows[0].n
    const before = await audits()

    const attempt = records.create(SYSTEM_ACTOR, APP, 'grant', { code: 'R-2', budget: id, amount: '0.02' })
    await expect(attempt).rejects.toMatchObject({
      code: 'conflict.constraint',
      message: '超出预算（预算「二号」：合计 20.01，上限 20.00）',
      issues: [{ field: 'amount', rule: 'constraint', received: '20.01', expected: { constraint: 'within_budget', record: id, max: '20.00' } }],
    })
    expect(await audits()).toBe(before)
    expect(await stored(id)).toBe('19.99')
    const { rows } = await sql`select id from limit_lab."grant" where code = 'R-2'`.execute(database.db)
    expect(rows).toEqual([])

    // Exactly up to the limit is allowed; a budget without a cap holds nothing back.
    await records.create(SYSTEM_ACTOR, APP, 'grant', { code: 'R-3', budget: id, amount: '0.01' })
    const open = await budgetOf('无上限', null)
    await records.create(SYSTEM_ACTOR, APP, 'grant', { code: 'R-4', budget: open, amount: '99999999' })
    expect(await stored(open)).toBe('99999999.00')
  })

  it('turns a duplicate into a field issue and leaves the total as it was', async () => {
    const id = await budgetOf('三号', '100')
    await records.create(SYSTEM_ACTOR, APP, 'grant', { code: 'D-1', budget: id, amount: '5' })
    const attempt = records.create(SYSTEM_ACTOR, APP, 'grant', { code: 'D-1', budget: id, amount: '5' }, { locale: 'en' })
    await expect(attempt).rejects.toMatchObject({ code: 'conflict.unique', issues: [{ field: 'code', rule: 'unique' }] })
    expect(await stored(id)).toBe('5.00')
  })

  it('never lets 100 parallel writers past the limit, and the total is the sum', async () => {
    const id = await budgetOf('并发', '37')
    const attempts = Array.from({ length: 100 }, (_, n) =>
      records.create(SYSTEM_ACTOR, APP, 'grant', { code: `P-${n}`, budget: id, amount: '1' }))
    const results = await Promise.allSettled(attempts)
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(37)
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.code))
      .toEqual(Array(63).fill('conflict.constraint'))
    expect(await summed(id)).toBe('37.00')
    expect(Number(await stored(id))).toBe(37)
  })

  it('follows updates, moves and deletes, and refuses an update past the limit', async () => {
    const a = await budgetOf('甲', '100')
    const b = await budgetOf('乙', '50')
    const one = await records.create(SYSTEM_ACTOR, APP, 'grant', { code: 'M-1', budget: a, amount: '30' })
    const two = await records.create(SYSTEM_ACTOR, APP, 'grant', { code: 'M-2', budget: a, amount: '20' })

    const raised = await records.update(SYSTEM_ACTOR, APP, 'grant', one.id, { version: one.version, values: { amount: '45.5' } })
    expect([await stored(a), await summed(a)].map(Number)).toEqual([65.5, 65.5])

    await records.update(SYSTEM_ACTOR, APP, 'grant', two.id, { version: two.version, values: { budget: b } })
    expect([await stored(a), await stored(b)].map(Number)).toEqual([45.5, 20])

    const past = records.update(SYSTEM_ACTOR, APP, 'grant', raised.id, { version: raised.version, values: { budget: b } })
    await expect(past).rejects.toMatchObject({ code: 'conflict.constraint' })
    expect([await stored(a), await stored(b)].map(Number)).toEqual([45.5, 20])

    await records.update(SYSTEM_ACTOR, APP, 'grant', raised.id, { version: raised.version, values: { note: '只改备注' } })
    await records.delete(SYSTEM_ACTOR, APP, 'grant', raised.id)
    expect([await stored(a), await summed(a)].map(Number)).toEqual([0, 0])

    // Lowering the limit below the total is refused by the stored total.
    const low = records.update(SYSTEM_ACTOR, APP, 'budget', b, { version: 1, values: { cap: '19' } })
    await expect(low).rejects.toMatchObject({ code: 'conflict.constraint', issues: [{ field: 'cap' }] })
  })

  it('starts each update or delete from the record as committed, so racing writers keep the total', async () => {
    const a = await budgetOf('竞争甲', '1000')
    const b = await budgetOf('竞争乙', '1000')
    for (let round = 0; round < 5; round += 1) {
      const x = await records.create(SYSTEM_ACTOR, APP, 'grant', { code: `RC-${round}`, budget: a, amount: '10' })
      const deletes = await Promise.allSettled([
        records.delete(SYSTEM_ACTOR, APP, 'grant', x.id),
        records.delete(SYSTEM_ACTOR, APP, 'grant', x.id),
      ])
      expect(deletes.map((d) => d.status).sort()).toEqual(['fulfilled', 'rejected'])
      expect(deletes.flatMap((d) => (d.status === 'rejected' ? [d.reason.code] : []))).toEqual(['not_found'])

      // A move and a delete of the same record, neither naming a version.
      const y = await records.create(SYSTEM_ACTOR, APP, 'grant', { code: `RM-${round}`, budget: a, amount: '10' })
      await Promise.allSettled([
        records.update(SYSTEM_ACTOR, APP, 'grant', y.id, { version: undefined as never, values: { budget: b } }),
        records.delete(SYSTEM_ACTOR, APP, 'grant', y.id),
      ])
      // Two changes of one record without versions: both land, one after the other.
      const z = await records.create(SYSTEM_ACTOR, APP, 'grant', { code: `RZ-${round}`, budget: a, amount: '10' })
      await Promise.all([
        records.update(SYSTEM_ACTOR, APP, 'grant', z.id, { version: undefined as never, values: { budget: b } }),
        records.update(SYSTEM_ACTOR, APP, 'grant', z.id, { version: undefined as never, values: { amount: '30' } }),
      ])
    }
    expect(Number(await stored(a))).toBe(Number(await summed(a)))
    expect(Number(await stored(b))).toBe(Number(await summed(b)))
    expect(await summed(b)).toBe('150.00')
  })

  it('moves records between limits while the limits change, without a deadlock reaching the writer', async () => {
    const a = await budgetOf('往返甲', '1000')
    const b = await budgetOf('往返乙', '1000')
    const ids: number[] = []
    for (let n = 0; n < 8; n += 1) {
      ids.push((await records.create(SYSTEM_ACTOR, APP, 'grant', { code: `MV-${n}`, budget: n % 2 ? a : b, amount: '1' })).id)
    }
    const failures: string[] = []
    const attempt = async (write: () => Promise<unknown>) => {
      try {
        await write()
      } catch (error) {
        // Another writer changed the record since it was read: expected, and not a failure of the write path.
        if ((error as { code?: string }).code !== 'conflict.version') failures.push(String((error as { code?: string }).code ?? error))
      }
    }
    await Promise.all([
      ...ids.map(async (id) => {
        for (let i = 0; i < 15; i += 1) {
          await attempt(async () => {
            const now = await records.get(SYSTEM_ACTOR, APP, 'grant', id)
            const to = now.values.budget === a ? b : a
            await records.update(SYSTEM_ACTOR, APP, 'grant', id, { version: now.version, values: { budget: to } })
          })
        }
      }),
      ...[a, b].map(async (id) => {
        for (let i = 0; i < 20; i += 1) {
          await attempt(async () => {
            const now = await records.get(SYSTEM_ACTOR, APP, 'budget', id)
            await records.update(SYSTEM_ACTOR, APP, 'budget', id, { version: now.version, values: { cap: String(1000 + i) } })
          })
        }
      }),
    ])
    expect(failures).toEqual([])
    expect([await stored(a), await stored(b)]).toEqual([await summed(a), await summed(b)])
    expect(Number(await stored(a)) + Number(await stored(b))).toBe(8)
  })

  it('fills the total when a constraint is published over existing records, and drops it when taken out', async () => {
    const id = await budgetOf('后加', '10')
    const { constraints: _, ...bare } = grant
    await catalog.saveDraft(APP, bare)
    await catalog.publish(APP, ['grant'], SYSTEM_ACTOR)
    const column = async () => (await sql<{ n: number }>`
      select count(*)::int as n from information_schema.columns
      where table_schema = ${APP} and table_name = 'budget' and column_name = ${TOTAL}`.execute(database.db)).rows[0].n
    expect(await column()).toBe(0)

    // Without the constraint nothing holds the amounts back.
    await records.create(SYSTEM_ACTOR, APP, 'grant', { code: 'L-1', budget: id, amount: '8' })
    await records.create(SYSTEM_ACTOR, APP, 'grant', { code: 'L-2', budget: id, amount: '7' })

    await catalog.saveDraft(APP, grant)
    await catalog.publish(APP, ['grant'], SYSTEM_ACTOR)
    expect(await column()).toBe(1)
    expect(await stored(id)).toBe(await summed(id))
    expect(await stored(id)).toBe('15.00')
    // Over its limit already: a further amount is refused, a smaller one too until it fits.
    await expect(records.create(SYSTEM_ACTOR, APP, 'grant', { code: 'L-3', budget: id, amount: '1' }))
      .rejects.toMatchObject({ code: 'conflict.constraint' })
  })

  it('gives forms published before totals were kept their columns, filled (at every migrate)', async () => {
    const id = await budgetOf('旧', '500')
    await records.create(SYSTEM_ACTOR, APP, 'grant', { code: 'O-1', budget: id, amount: '3.25' })
    await sql`alter table limit_lab.budget drop column ${sql.ref(TOTAL)}`.execute(database.db)
    await migrate(database)
    expect(await stored(id)).toBe('3.25')
    // Every budget, not only this one, is filled.
    const { rows } = await sql<{ wrong: number }>`
      select count(*)::int as wrong from limit_lab.budget as b
      where ${sql.ref(`b.${TOTAL}`)} <> coalesce((select sum(amount) from limit_lab."grant" g where g.budget_id = b.id), 0)`
      .execute(database.db)
    expect(rows[0].wrong).toBe(0)
  })
})

describe.each(databaseSuites())('constraint totals over computed amounts on $name', (suite) => {
  const APP2 = 'derived_lab'
  let database: Database
  let catalog: Catalog
  let records: RecordService

  const cap: FormDefinition = {
    key: 'cap', label: '上限', titleField: 'name',
    fields: [{ key: 'name', type: 'text', label: '名称' }, { key: 'max', type: 'money', label: '上限' }],
  }
  // An order's gross is a formula; its billed amount a formula over a rollup of its bills.
  const order = (times: string): FormDefinition => ({
    key: 'order', label: '订单',
    fields: [
      { key: 'cap', type: 'link', form: 'cap', label: '上限' },
      { key: 'amount', type: 'money', label: '金额' },
      { key: 'gross', type: 'formula', label: '含税', result: 'money',
        expression: { 'dec*': [{ var: 'amount' }, times] } },
      { key: 'billed', type: 'rollup', label: '已开票', form: 'bill', link: 'order', agg: 'sum', field: 'amount' },
      // A constraint sums number, money or percent fields: a formula reading the rollup.
      { key: 'billed_amount', type: 'formula', label: '开票额', result: 'money', expression: { var: 'billed' } },
    ],
    constraints: [
      { key: 'gross_within', per: 'cap', sum: 'gross', max: 'max', message: '含税超限' },
      { key: 'billed_within', per: 'cap', sum: 'billed_amount', max: 'max', message: '开票超限' },
    ],
  })
  const bill: FormDefinition = {
    key: 'bill', label: '发票',
    fields: [{ key: 'order', type: 'link', form: 'order', label: '订单' }, { key: 'amount', type: 'money', label: '金额' }],
  }
  // A node limits the amounts of the nodes under it, itself included when it is its own parent.
  const node: FormDefinition = {
    key: 'node', label: '节点', titleField: 'name',
    fields: [
      { key: 'name', type: 'text', label: '名称' },
      { key: 'parent', type: 'link', form: 'node', label: '上级' },
      { key: 'amt', type: 'money', label: '金额' },
      { key: 'lim', type: 'money', label: '上限' },
    ],
    constraints: [{ key: 'under', per: 'parent', sum: 'amt', max: 'lim', message: '超出' }],
  }
  const totals = async (id: number) => {
    const { rows } = await sql<{ gross: string; billed: string }>`
      select _total__order__gross_within::text as gross, _total__order__billed_within::text as billed
      from derived_lab.cap where id = ${id}`.execute(database.db)
    return rows[0]
  }

  beforeAll(async () => {
    database = await suite.open()
    catalog = new Catalog(database)
    records = new RecordService(database, catalog)
    await catalog.saveApp({ key: APP2, label: '派生实验' })
    await catalog.saveDraft(APP2, cap)
    await catalog.saveDraft(APP2, order('1'))
    await catalog.saveDraft(APP2, bill)
    await catalog.saveDraft(APP2, node)
    await catalog.publish(APP2, ['cap', 'order', 'bill', 'node'], SYSTEM_ACTOR)
  })
  afterAll(() => database?.close())

  it('fills the totals again when the summed formula is defined anew', async () => {
    const id = (await records.create(SYSTEM_ACTOR, APP2, 'cap', { name: '甲', max: '100' })).id
    await records.create(SYSTEM_ACTOR, APP2, 'order', { cap: id, amount: '10.40' })
    await records.create(SYSTEM_ACTOR, APP2, 'order', { cap: id, amount: '10.40' })
    expect((await totals(id)).gross).toBe('20.80')

    await catalog.saveDraft(APP2, order('3'))
    await catalog.publish(APP2, ['order'], SYSTEM_ACTOR)
    expect((await totals(id)).gross).toBe('62.40')
    // 62.40 + 39.00 is past 100: refused, as the real sum says.
    await expect(records.create(SYSTEM_ACTOR, APP2, 'order', { cap: id, amount: '13' }))
      .rejects.toMatchObject({ code: 'conflict.constraint', message: expect.stringContaining('合计 101.40') })
  })

  it('keeps and checks a total over a rollup when the rolled-up records are written', async () => {
    const id = (await records.create(SYSTEM_ACTOR, APP2, 'cap', { name: '乙', max: '100' })).id
    const o = (await records.create(SYSTEM_ACTOR, APP2, 'order', { cap: id, amount: '1' })).id
    const b = await records.create(SYSTEM_ACTOR, APP2, 'bill', { order: o, amount: '40' })
    await records.create(SYSTEM_ACTOR, APP2, 'bill', { order: o, amount: '2.50' })
    expect((await totals(id)).billed).toBe('42.50')
    await records.delete(SYSTEM_ACTOR, APP2, 'bill', b.id)
    expect((await totals(id)).billed).toBe('2.50')

    // A bill that carries the orders' billed amounts past the cap is refused, and nothing of it stays.
    const past = records.create(SYSTEM_ACTOR, APP2, 'bill', { order: o, amount: '97.51' })
    await expect(past).rejects.toMatchObject({ code: 'conflict.constraint', message: '开票超限' })
    expect((await totals(id)).billed).toBe('2.50')
    await records.create(SYSTEM_ACTOR, APP2, 'bill', { order: o, amount: '97.50' })
    expect((await totals(id)).billed).toBe('100.00')
  })

  it('names a broken limit once when a record limits itself', async () => {
    const me = await records.create(SYSTEM_ACTOR, APP2, 'node', { name: 'me', amt: '50', lim: '10' })
    const attempt = records.update(SYSTEM_ACTOR, APP2, 'node', me.id, { version: me.version, values: { parent: me.id } })
    await expect(attempt).rejects.toMatchObject({
      code: 'conflict.constraint',
      message: '超出（节点「me」：合计 50.00，上限 10.00，此前尚余 10.00）',
      issues: [{ rule: 'constraint' }],
    })
    const issues = await attempt.then(() => [], (e: { issues: unknown[] }) => e.issues)
    expect(issues).toHaveLength(1)
  })
})

// A refill that waited for a row lock held by another writer must not lose
// that writer's amount: the lock is taken first, the sum read after it. A
// second connection holds the row so the timing is certain (PostgreSQL
// only: PGlite has one connection).
describe('constraint totals refilled while others write, on postgres', () => {
  const APP3 = 'race_lab'
  let database: Database
  let catalog: Catalog
  let records: RecordService
  let drop: () => Promise<void>
  let url: string

  const budget: FormDefinition = { key: 'budget', label: '预算', fields: [{ key: 'limit', type: 'money', label: '上限' }] }
  const item = (plus: string): FormDefinition => ({
    key: 'item', label: '条目',
    fields: [
      { key: 'budget', type: 'link', form: 'budget', label: '预算' },
      { key: 'base', type: 'money', label: '基数' },
      { key: 'spent', type: 'rollup', label: '花费', form: 'cost', link: 'item', agg: 'sum', field: 'amount' },
      { key: 'used', type: 'formula', label: '占用', result: 'money',
        expression: { 'dec+': [{ var: 'base' }, { var: 'spent' }, plus] } },
    ],
    constraints: [{ key: 'within', per: 'budget', sum: 'used', max: 'limit', message: '超出预算' }],
  })
  const cost: FormDefinition = {
    key: 'cost', label: '花费',
    fields: [{ key: 'item', type: 'link', form: 'item', label: '条目' }, { key: 'amount', type: 'money', label: '金额' }],
  }
  const check = async (id: number) => {
    const { rows } = await sql<{ total: string; summed: string }>`
      select b._total__item__within::text as total,
        (select coalesce(sum(i.used), 0) from race_lab.item i where i.budget_id = b.id)::text as summed
      from race_lab.budget b where b.id = ${id}`.execute(database.db)
    return rows[0]
  }
  /** Holds budget `id` locked on a connection of its own while `writes` start, then lets go. */
  const whileHeld = async (id: number, writes: () => Promise<unknown>[]) => {
    const holder = new pg.Client({ connectionString: url })
    await holder.connect()
    try {
      await holder.query('begin')
      await holder.query('select 1 from race_lab.budget where id = $1 for no key update', [id])
      const started = writes()
      await new Promise((resolve) => setTimeout(resolve, 400))
      await holder.query('commit')
      return await Promise.all(started)
    } finally {
      await holder.end()
    }
  }

  beforeAll(async () => {
    ;({ url, drop } = await createTestPostgresUrl())
    database = await openDatabase({ url })
    await migrate(database)
    catalog = new Catalog(database)
    records = new RecordService(database, catalog)
    await catalog.saveApp({ key: APP3, label: '竞争实验' })
    for (const form of [budget, item('0'), cost]) await catalog.saveDraft(APP3, form)
    await catalog.publish(APP3, ['budget', 'item', 'cost'], SYSTEM_ACTOR)
  })
  afterAll(async () => {
    await database?.close()
    await drop?.()
  })

  it('keeps a create that commits while a publish fills the totals again', async () => {
    const id = (await records.create(SYSTEM_ACTOR, APP3, 'budget', { limit: '1000' })).id
    await records.create(SYSTEM_ACTOR, APP3, 'item', { budget: id, base: '10' })
    await catalog.saveDraft(APP3, item('0.00'))
    await whileHeld(id, () => [
      records.create(SYSTEM_ACTOR, APP3, 'item', { budget: id, base: '5' }),
      new Promise((resolve) => setTimeout(resolve, 150)).then(() => catalog.publish(APP3, ['item'], SYSTEM_ACTOR)),
    ])
    const { total, summed } = await check(id)
    expect(summed).toBe('15.00')
    expect(total).toBe(summed)
  })

  it('keeps a create that commits while a rollup write fills the totals again', async () => {
    const id = (await records.create(SYSTEM_ACTOR, APP3, 'budget', { limit: '1000' })).id
    const first = (await records.create(SYSTEM_ACTOR, APP3, 'item', { budget: id, base: '10' })).id
    await whileHeld(id, () => [
      records.create(SYSTEM_ACTOR, APP3, 'item', { budget: id, base: '5' }),
      new Promise((resolve) => setTimeout(resolve, 150))
        .then(() => records.create(SYSTEM_ACTOR, APP3, 'cost', { item: first, amount: '1' })),
    ])
    const { total, summed } = await check(id)
    expect(summed).toBe('16.00')
    expect(total).toBe(summed)
  })
})
