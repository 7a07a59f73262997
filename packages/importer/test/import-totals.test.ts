import { Readable } from 'node:stream'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type FormDefinition } from '@tessera/core'
import { Catalog, RecordService, type Database } from '@tessera/store'
import { databaseSuites } from '@tessera/store/testing'
import { runImport } from '../src/index.js'

const APP = 'import_totals'
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
const grant: FormDefinition = {
  key: 'grant',
  label: '拨款',
  fields: [
    { key: 'code', type: 'text', label: '编号', required: true, unique: true },
    { key: 'budget', type: 'link', form: 'budget', label: '预算' },
    { key: 'amount', type: 'money', label: '金额' },
    { key: 'note', type: 'text', label: '备注' },
  ],
  constraints: [{ key: 'within_budget', per: 'budget', sum: 'amount', max: 'cap', message: '超出预算' }],
}

// Upserts by code; a file may leave the amount out (the note-only import).
const mapping = (withAmount: boolean) => ({
  key: withAmount ? 'grants' : 'grant_notes',
  label: '拨款导入',
  format: 'csv',
  columns: {
    Code: { type: 'text', required: true },
    Budget: { type: 'integer', required: true },
    ...(withAmount ? { Amount: { type: 'decimal', required: true } } : { Note: { type: 'text' } }),
  },
  records: [{
    as: 'grant', form: 'grant', key: ['code'],
    values: {
      code: { var: 'row.Code' }, budget: { var: 'row.Budget' },
      ...(withAmount ? { amount: { var: 'row.Amount' } } : { note: { var: 'row.Note' } }),
    },
  }],
})

describe.each(databaseSuites())('imports keep constraint totals on $name', (suite) => {
  let database: Database
  let context: { database: Database; catalog: Catalog; records: RecordService }
  let a: number
  let b: number

  const totals = async () => {
    const { rows } = await sql<{ name: string; total: string; summed: string }>`
      select p.name, ${sql.ref(`p.${TOTAL}`)}::text as total,
        coalesce((select sum(g.amount) from import_totals."grant" g where g.budget_id = p.id), 0)::text as summed
      from import_totals.budget p order by p.name`.execute(database.db)
    return rows
  }
  const file = (head: string, ...lines: string[]) => Readable.from([`${head}\n${lines.join('\n')}`])

  beforeAll(async () => {
    database = await suite.open()
    const catalog = new Catalog(database)
    const records = new RecordService(database, catalog)
    context = { database, catalog, records }
    await catalog.saveApp({ key: APP, label: '导入合计' })
    for (const form of [budget, grant]) await catalog.saveDraft(APP, form)
    await catalog.publish(APP, ['budget', 'grant'], SYSTEM_ACTOR)
    await catalog.putMeta(APP, 'import', 'grants', mapping(true), SYSTEM_ACTOR)
    await catalog.putMeta(APP, 'import', 'grant_notes', mapping(false), SYSTEM_ACTOR)
    a = (await records.create(SYSTEM_ACTOR, APP, 'budget', { name: 'A', cap: '100' })).id
    b = (await records.create(SYSTEM_ACTOR, APP, 'budget', { name: 'B', cap: '50' })).id
  })
  afterAll(() => database?.close())

  it('adds new rows, moves and changes existing ones, and leaves totals equal to the sums', async () => {
    const first = await runImport(context, APP, 'grants', file('Code,Budget,Amount',
      `G-1,${a},30`, `G-2,${a},20.5`, `G-3,${b},10`), { actor: SYSTEM_ACTOR })
    expect(first.status).toBe('succeeded')
    expect(await totals()).toEqual([
      { name: 'A', total: '50.50', summed: '50.50' },
      { name: 'B', total: '10.00', summed: '10.00' },
    ])

    // G-1 moves to B with a new amount; G-2 changes; a file without amounts changes none.
    const second = await runImport(context, APP, 'grants', file('Code,Budget,Amount',
      `G-1,${b},35`, `G-2,${a},1`), { actor: SYSTEM_ACTOR })
    expect(second.status).toBe('succeeded')
    const notes = await runImport(context, APP, 'grant_notes', file('Code,Budget,Note',
      `G-3,${b},只改备注`), { actor: SYSTEM_ACTOR })
    expect(notes.status).toBe('succeeded')
    expect(await totals()).toEqual([
      { name: 'A', total: '1.00', summed: '1.00' },
      { name: 'B', total: '45.00', summed: '45.00' },
    ])
  })

  it('rejects a file that would pass a limit, on the lines adding to it, and keeps the totals as they were', async () => {
    const before = await totals()
    // Batches of two: G-4 and G-5 together pass B's limit; G-6 and G-7 to A are fine; G-8 in the
    // third batch passes A's, so the import went on after the first refusal.
    const result = await runImport(context, APP, 'grants', file('Code,Budget,Amount',
      `G-4,${b},5`, `G-5,${b},0.01`, `G-6,${a},1`, `G-7,${a},60`, `G-8,${a},40`), { actor: SYSTEM_ACTOR, batchSize: 2 })
    expect(result.status).toBe('rejected')
    expect(result.errors.map((error) => [error.line, error.column, error.message])).toEqual([
      [2, 'Amount', '超出预算（预算「B」：合计 50.01，上限 50.00）'],
      [3, 'Amount', '超出预算（预算「B」：合计 50.01，上限 50.00）'],
      [6, 'Amount', '超出预算（预算「A」：合计 102.00，上限 100.00）'],
    ])
    expect(await totals()).toEqual(before)
    const { rows } = await sql`select code from import_totals."grant" where code in ('G-4', 'G-5')`.execute(database.db)
    expect(rows).toEqual([])
  })
})
