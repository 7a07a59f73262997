import { Readable } from 'node:stream'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type FormDefinition } from '@tessera/core'
import { Catalog, RecordService, type Database } from '@tessera/store'
import { databaseSuites } from '@tessera/store/testing'
import { importForm } from '../src/index.js'

const APP = 'close-sheet'

const bill: FormDefinition = {
  key: 'bill',
  label: { 'zh-CN': '账单', en: 'Bill' },
  titleField: 'number',
  periodField: 'issued',
  fields: [
    { key: 'number', type: 'text', label: { 'zh-CN': '单号', en: 'Number' }, required: true, unique: true },
    { key: 'issued', type: 'date', label: { 'zh-CN': '开票日期', en: 'Issued' }, required: true },
    { key: 'amount', type: 'money', label: { 'zh-CN': '金额', en: 'Amount' }, required: true },
  ],
}

const columns = { 单号: 'number', 开票日期: 'issued', 金额: 'amount' }
const csv = (...lines: string[]) => Readable.from([`${Object.keys(columns).join(',')}\n${lines.join('\n')}`])

describe.each(databaseSuites())('importing into a form with closed periods on $name', (suite) => {
  let database: Database
  let catalog: Catalog
  let context: { database: Database; catalog: Catalog; records: RecordService }

  const bills = async () => (await sql<{ number: string; issued: string; amount: string }>`
    select number, to_char(issued, 'YYYY-MM-DD') as issued, amount::text from close_sheet.bill order by number`
    .execute(database.db)).rows
  const run = async (locale: 'zh-CN' | 'en', ...lines: string[]) => importForm(context, await catalog.getForm(APP, 'bill'), csv(...lines), {
    actor: SYSTEM_ACTOR, format: 'csv', spec: { columns, key: ['number'] }, locale,
  })

  beforeAll(async () => {
    database = await suite.open()
    catalog = new Catalog(database)
    context = { database, catalog, records: new RecordService(database, catalog) }
    await catalog.saveApp({ key: APP, label: '结账导入' })
    await catalog.saveDraft(APP, bill)
    await catalog.publish(APP, ['bill'], SYSTEM_ACTOR)
    expect(await run('zh-CN', 'A-1,2025-03-10,100.00', 'A-2,2025-04-10,200.00')).toMatchObject({ status: 'succeeded' })
    await sql`update tessera.setting set value = '"2025-03-31"'::jsonb where key = 'closedThrough'`.execute(database.db)
  })
  afterAll(() => database?.close())

  it('fails each line that would write into a closed period, on the date column, and writes nothing', async () => {
    const result = await run('zh-CN',
      'A-1,2025-03-10,150.00', // changes a record of the closed period
      'A-2,2025-03-15,200.00', // moves an open record into it
      'A-3,2025-03-31,1.00', // a new record on the close's last day
      'A-4,2025-04-01,1.00', // a new record of the open period: fine, but the file is rejected
    )
    expect(result.status).toBe('rejected')
    expect(result.errors.map((error) => [error.line, error.column, error.value, error.message])).toEqual([
      [2, '开票日期', '2025-03-10', '开票日期 2025-03-10 在已结账期间内（已结账至 2025-03-31），不能修改该期间的记录'],
      [3, '开票日期', '2025-03-15', '开票日期 2025-03-15 在已结账期间内（已结账至 2025-03-31），不能把记录改到该期间'],
      [4, '开票日期', '2025-03-31', '开票日期 2025-03-31 在已结账期间内（已结账至 2025-03-31），不能新建该期间的记录'],
    ])
    expect(await bills()).toEqual([
      { number: 'A-1', issued: '2025-03-10', amount: '100.00' },
      { number: 'A-2', issued: '2025-04-10', amount: '200.00' },
    ])
  })

  it('passes a line that matches a closed record without changing it: the same file imported again', async () => {
    const result = await run('en', 'A-1,2025-03-10,100.00', 'A-2,2025-04-10,250.00', 'A-5,2025-04-02,5.00')
    expect(result).toMatchObject({ status: 'succeeded', forms: { bill: { created: 1, updated: 1, unchanged: 1 } } })
    expect(await bills()).toEqual([
      { number: 'A-1', issued: '2025-03-10', amount: '100.00' },
      { number: 'A-2', issued: '2025-04-10', amount: '250.00' },
      { number: 'A-5', issued: '2025-04-02', amount: '5.00' },
    ])
    const refused = await run('en', 'A-6,2025-01-05,5.00')
    expect(refused.errors).toEqual([{
      line: 2, column: '开票日期', value: '2025-01-05',
      message: 'Issued 2025-01-05 is in a closed period (closed through 2025-03-31): a record of a closed period cannot be created',
    }])
  })
})
