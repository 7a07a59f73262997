import { Readable } from 'node:stream'
import ExcelJS from 'exceljs'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, TesseraError, type FormDefinition } from '@tessera/core'
import { Catalog, RecordService, type Database } from '@tessera/store'
import { databaseSuites } from '@tessera/store/testing'
import {
  importErrorsCsv,
  importForm,
  openTable,
  recallFormImport,
  recordsToXlsx,
  rememberFormImport,
  suggestColumns,
} from '../src/index.js'

const APP = 'sheet-lab'

const client: FormDefinition = {
  key: 'client',
  label: '客户',
  titleField: 'name',
  fields: [{ key: 'name', type: 'text', label: '名称', required: true, unique: true }],
}
const bill: FormDefinition = {
  key: 'bill',
  label: { 'zh-CN': '账单', en: 'Bill' },
  titleField: 'number',
  fields: [
    { key: 'number', type: 'text', label: { 'zh-CN': '单号', en: 'Number' }, required: true, unique: true },
    { key: 'client', type: 'link', form: 'client', label: { 'zh-CN': '客户', en: 'Client' }, required: true },
    { key: 'issued', type: 'date', label: { 'zh-CN': '开票日期', en: 'Issued' }, required: true },
    { key: 'amount', type: 'money', label: { 'zh-CN': '金额', en: 'Amount' }, required: true },
    { key: 'rate', type: 'percent', label: { 'zh-CN': '税率', en: 'Rate' } },
    { key: 'paid', type: 'boolean', label: { 'zh-CN': '已付', en: 'Paid' } },
    { key: 'method', type: 'select', label: { 'zh-CN': '方式', en: 'Method' }, options: [
      { value: 'transfer', label: { 'zh-CN': '银行转账', en: 'Transfer' } },
      { value: 'cash', label: { 'zh-CN': '现金', en: 'Cash' } },
    ] },
    { key: 'tax', type: 'formula', label: { 'zh-CN': '税额', en: 'Tax' }, result: 'money',
      expression: { 'dec*': [{ var: 'amount' }, { var: 'rate' }] } },
    // No column of the files below: a new bill takes the default, a stored one keeps its own.
    { key: 'delivery', type: 'select', label: { 'zh-CN': '送达', en: 'Delivery' }, default: 'post', options: [
      { value: 'post', label: { 'zh-CN': '邮寄', en: 'Post' } },
      { value: 'email', label: { 'zh-CN': '电邮', en: 'E-mail' } },
    ] },
  ],
}

const payment: FormDefinition = {
  key: 'payment',
  label: '付款',
  fields: [
    { key: 'bill', type: 'link', form: 'bill', label: '账单', required: true },
    { key: 'paid_on', type: 'date', label: '付款日期', required: true },
  ],
  uniques: [['bill', 'paid_on']],
  agreements: [{ key: 'after_bill', paths: ['bill.issued', 'paid_on'], compare: '<=',
    message: { 'zh-CN': '付款日期不能早于开票日期', en: 'A payment cannot predate its bill' } }],
}

const columns = { 单号: 'number', 客户: 'client', 开票日期: 'issued', 金额: 'amount', 税率: 'rate', 已付: 'paid', 方式: 'method' }

async function workbook(rows: unknown[][]): Promise<Readable> {
  const book = new ExcelJS.Workbook()
  const sheet = book.addWorksheet('账单')
  sheet.addRow(Object.keys(columns))
  for (const row of rows) sheet.addRow(row)
  return Readable.from([Buffer.from(await book.xlsx.writeBuffer())])
}

const csv = (...lines: string[]) => Readable.from([`${Object.keys(columns).join(',')}\n${lines.join('\n')}`])

describe.each(databaseSuites())('importing a sheet into a form on $name', (suite) => {
  let database: Database
  let catalog: Catalog
  let context: { database: Database; catalog: Catalog; records: RecordService }

  const bills = async () => (await sql<Record<string, unknown>>`
    select number, c.name as client, to_char(issued, 'YYYY-MM-DD') as issued, amount::text, rate::text,
      paid, method, tax::text
    from sheet_lab.bill b join sheet_lab.client c on c.id = b.client_id order by number`.execute(database.db)).rows

  beforeAll(async () => {
    database = await suite.open()
    catalog = new Catalog(database)
    context = { database, catalog, records: new RecordService(database, catalog) }
    await catalog.saveApp({ key: APP, label: '表格实验' })
    await catalog.saveDraft(APP, client)
    await catalog.saveDraft(APP, bill)
    await catalog.saveDraft(APP, payment)
    await catalog.publish(APP, ['client', 'bill', 'payment'], SYSTEM_ACTOR)
    for (const name of ['华东材料', '南方贸易']) {
      await context.records.create(SYSTEM_ACTOR, APP, 'client', { name })
    }
  })
  afterAll(() => database?.close())

  it('imports an Excel sheet: Excel dates and numbers, links by title, options by label', async () => {
    const form = await catalog.getForm(APP, 'bill')
    const file = await workbook([
      ['B-1', '华东材料', new Date(Date.UTC(2025, 2, 14)), 1234.5, 0.13, '是', '银行转账'],
      ['B-2', '南方贸易', '2025/3/15', '99.90', '6%', '否', 'cash'],
    ])
    const result = await importForm(context, form, file, {
      actor: SYSTEM_ACTOR, format: 'xlsx', spec: { columns, key: ['number'] }, fileName: 'bills.xlsx',
    })
    expect(result).toMatchObject({ status: 'succeeded', rows: 2, forms: { bill: { created: 2 } } })
    expect(await bills()).toEqual([
      { number: 'B-1', client: '华东材料', issued: '2025-03-14', amount: '1234.50', rate: '0.1300',
        paid: true, method: 'transfer', tax: '160.49' },
      { number: 'B-2', client: '南方贸易', issued: '2025-03-15', amount: '99.90', rate: '0.0600',
        paid: false, method: 'cash', tax: '5.99' },
    ])
  })

  it('gives new records the form\'s default for a field the file has no column for, and leaves stored ones theirs', async () => {
    const form = await catalog.getForm(APP, 'bill')
    const delivery = async () => Object.fromEntries((await sql<{ number: string; delivery: string | null }>`
      select number, delivery from sheet_lab.bill where number like 'D-%' order by number`.execute(database.db)).rows
      .map((row) => [row.number, row.delivery]))
    const first = await importForm(context, form, csv('D-1,华东材料,2025-03-14,10,,是,现金'), {
      actor: SYSTEM_ACTOR, format: 'csv', spec: { columns, key: ['number'] }, locale: 'zh-CN',
    })
    expect(first).toMatchObject({ status: 'succeeded', forms: { bill: { created: 1 } } })
    expect(await delivery()).toEqual({ 'D-1': 'post' })

    await sql`update sheet_lab.bill set delivery = 'email' where number = 'D-1'`.execute(database.db)
    const again = await importForm(context, form, csv('D-1,华东材料,2025-03-14,12,,是,现金', 'D-2,南方贸易,2025-03-14,5,,否,现金'), {
      actor: SYSTEM_ACTOR, format: 'csv', spec: { columns, key: ['number'] }, locale: 'zh-CN',
    })
    expect(again).toMatchObject({ status: 'succeeded', forms: { bill: { created: 1, updated: 1 } } })
    expect(await delivery()).toEqual({ 'D-1': 'email', 'D-2': 'post' })
    await sql`delete from sheet_lab.bill where number like 'D-%'`.execute(database.db)
  })

  it('rejects a file with bad rows, naming line and file column, and writes nothing', async () => {
    const form = await catalog.getForm(APP, 'bill')
    const result = await importForm(context, form, csv(
      'C-1,华东材料,2025-03-14,10,,是,现金',
      'C-2,无名公司,2025-02-30,abc,,也许,支票',
      'C-3,南方贸易,2025-03-14,-,,,',
    ), { actor: SYSTEM_ACTOR, format: 'csv', spec: { columns, key: ['number'] }, locale: 'zh-CN' })

    expect(result.status).toBe('rejected')
    expect(result.errors.map((error) => [error.line, error.column, error.message])).toEqual([
      [3, '开票日期', '「开票日期」不是存在的日期：该月没有这一天'],
      [3, '金额', '「金额」应为数字，例如 1234.50 或 1,234.50（逗号只能作千位分隔，小数点须为 .）'],
      [3, '已付', '「已付」应为 是 或 否'],
      [3, '方式', '「方式」应为以下选项之一：银行转账、现金'],
      [4, '金额', '「金额」应为数字，例如 1234.50 或 1,234.50（逗号只能作千位分隔，小数点须为 .）'],
    ])
    expect((await bills()).map((row) => row.number)).toEqual(['B-1', 'B-2'])

    const report = importErrorsCsv(result.errors, 'zh-CN')
    expect(report.split('\r\n')[0]).toBe('\uFEFF行号,列,值,问题')
    expect(report).toContain('3,金额,abc,"「金额」应为数字，例如 1234.50 或 1,234.50（逗号只能作千位分隔，小数点须为 .）"')
  })

  it('reports a link title that names no record, and a rule of the form, on the column', async () => {
    const form = await catalog.getForm(APP, 'bill')
    const result = await importForm(context, form, csv('D-1,无名公司,2025-03-14,10,,,'), {
      actor: SYSTEM_ACTOR, format: 'csv', spec: { columns, key: ['number'] }, locale: 'en',
    })
    expect(result.errors).toEqual([
      { line: 2, column: '客户', value: '无名公司', message: 'no client has name = "无名公司"' },
    ])
  })

  it('previews without writing: the first rows as they would be stored', async () => {
    const form = await catalog.getForm(APP, 'bill')
    const result = await importForm(context, form, csv('E-1,华东材料,2025-03-14,100,13%,,', 'E-2,华东材料,2025-03-14,1,,,'), {
      actor: SYSTEM_ACTOR, format: 'csv', spec: { columns, key: ['number'] }, dryRun: true, previewRows: 1,
    })
    expect(result).toMatchObject({ status: 'succeeded', dryRun: true, runId: 0 })
    expect(result.preview).toEqual([{ line: 2, values: expect.objectContaining({ number: 'E-1', amount: '100.00', tax: '13.00' }), titles: { client: '华东材料' } }])
    expect((await bills()).map((row) => row.number)).toEqual(['B-1', 'B-2'])
  })

  it('updates by key, and without a key creates every row', async () => {
    const form = await catalog.getForm(APP, 'bill')
    const updated = await importForm(context, form, csv('B-1,华东材料,2025-03-14,2000,,,'), {
      actor: SYSTEM_ACTOR, format: 'csv', spec: { columns, key: ['number'] },
    })
    expect(updated.forms.bill).toEqual({ created: 0, updated: 1, unchanged: 0 })
    expect((await bills())[0]).toMatchObject({ number: 'B-1', amount: '2000.00' })

    const twice = await importForm(context, form, csv('F-1,华东材料,2025-03-14,1,,,', 'F-2,南方贸易,2025-03-14,2,,,'), {
      actor: SYSTEM_ACTOR, format: 'csv', spec: { columns },
    })
    expect(twice.forms.bill).toEqual({ created: 2, updated: 0, unchanged: 0 })
  })

  it('refuses a mapping naming a column the file lacks or a field it cannot fill', async () => {
    const form = await catalog.getForm(APP, 'bill')
    const attempt = (locale: 'zh-CN' | 'en') => importForm(context, form, csv('X,华东材料,2025-03-14,1,,,'), {
      actor: SYSTEM_ACTOR, format: 'csv', spec: { columns: { 单号: 'number', 备注: 'note', 金额: 'tax' } }, locale,
    })
    await expect(attempt('en')).rejects.toMatchObject({
      code: 'import.invalid',
      issues: [
        { field: 'columns.备注', message: 'the file has no column "备注"' },
        { field: 'columns.备注', message: '"note" is not a field of form "bill" a file can fill' },
        { field: 'columns.金额', message: '"tax" is not a field of form "bill" a file can fill' },
      ],
    })
    // In Chinese, by the form's and the fields' labels.
    const refused = await attempt('zh-CN').catch((error: TesseraError) => error)
    expect(refused).toMatchObject({ issues: [
      { message: '文件没有「备注」这一列' },
      { message: '表单「账单」没有字段 "note"' },
      { message: '字段「税额」不能由文件填写（计算、附件或自动编号字段）' },
    ] })
    expect((refused as TesseraError).messageIn('zh-CN')).toMatch(/^导入设置有误：文件没有「备注」这一列；/)
  })

  it('remembers the mapping per form and suggests columns by label', async () => {
    const form = await catalog.getForm(APP, 'bill')
    expect(await recallFormImport(database.db, form)).toBeUndefined()
    await rememberFormImport(database.db, form, { format: 'xlsx', columns, key: ['number'] }, SYSTEM_ACTOR)
    expect(await recallFormImport(database.db, form)).toEqual({ format: 'xlsx', columns, key: ['number'] })
    expect(suggestColumns(form, ['Number', '客户', '金额', '备注'])).toEqual({
      Number: 'number', 客户: 'client', 金额: 'amount',
    })
  })

  it('exports records as a workbook that reads back the same', async () => {
    const form = await catalog.getForm(APP, 'bill')
    const page = await context.records.list(SYSTEM_ACTOR, APP, 'bill', { sort: [{ field: 'number', dir: 'asc' }] })
    const chunks: Buffer[] = []
    for await (const chunk of recordsToXlsx(form, page.items, 'zh-CN')) chunks.push(chunk as Buffer)
    const table = await openTable(Readable.from([Buffer.concat(chunks)]), 'xlsx')
    expect(table.header).toEqual(['单号', '客户', '开票日期', '金额', '税率', '已付', '方式', '税额', '送达'])
    const rows = []
    for await (const row of table.rows) rows.push(row.cells)
    // B-1 was updated above from a row with empty cells.
    expect(rows[0]).toMatchObject({ 单号: 'B-1', 金额: 2000, 税率: null, 已付: null })
    expect(rows[1]).toMatchObject({ 单号: 'B-2', 客户: '南方贸易', 金额: 99.9, 税率: 0.06, 已付: '否', 方式: '现金' })
    expect((rows[1].开票日期 as Date).toISOString().slice(0, 10)).toBe('2025-03-15')

    // With a note of what the records are (a drilled list), a second sheet of label and value lines.
    const about = { sheet: '说明', lines: [['来源', '报表「账龄」'], ['截止日期', '2025-03-31']] as Array<[string, string]> }
    const noted: Buffer[] = []
    for await (const chunk of recordsToXlsx(form, page.items, 'zh-CN', { about })) noted.push(chunk as Buffer)
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(Buffer.concat(noted) as unknown as ArrayBuffer)
    expect(book.worksheets.map((sheet) => sheet.name)).toEqual(['账单', '说明'])
    const lines: unknown[][] = []
    book.worksheets[1].eachRow((row) => lines.push((row.values as unknown[]).slice(1)))
    expect(lines).toEqual(about.lines)
    expect(book.worksheets[0].rowCount).toBe(page.items.length + 1)

    // With totals, a last bold row: its label first, each total in its column's money format.
    const totalled: Buffer[] = []
    const totals = { label: '合计（2 条）', values: { amount: '2099.90' } }
    for await (const chunk of recordsToXlsx(form, page.items, 'zh-CN', { totals })) totalled.push(chunk as Buffer)
    const withTotals = new ExcelJS.Workbook()
    await withTotals.xlsx.load(Buffer.concat(totalled) as unknown as ArrayBuffer)
    const sheet = withTotals.worksheets[0]
    expect(sheet.rowCount).toBe(page.items.length + 2)
    const last = sheet.getRow(sheet.rowCount)
    expect(last.getCell(1).value).toBe('合计（2 条）')
    expect(last.getCell(4).value).toBe(2099.9)
    expect(last.getCell(4).numFmt).toBe('#,##0.00')
    expect(last.getCell(1).font?.bold).toBe(true)
    expect(last.getCell(4).font?.bold).toBe(true)
    expect(last.getCell(2).value).toBeNull()
  })

  it('names the line and file column of a row an agreement refuses once written, and writes nothing', async () => {
    const [华东] = (await context.records.list(SYSTEM_ACTOR, APP, 'client', {})).items
    await context.records.create(SYSTEM_ACTOR, APP, 'bill', { number: 'P-1', client: 华东.id, issued: '2025-03-14', amount: '1.00' })
    const form = await catalog.getForm(APP, 'payment')
    const result = await importForm(context, form, Readable.from(['账单,付款日期\nP-1,2025-03-20\nP-1,2025-03-01\n']), {
      actor: SYSTEM_ACTOR, format: 'csv', spec: { columns: { 账单: 'bill', 付款日期: 'paid_on' }, key: [] }, locale: 'zh-CN',
    })
    expect(result.status).toBe('rejected')
    expect(result.errors).toEqual([expect.objectContaining({ line: 3, column: '付款日期', message: '付款日期不能早于开票日期' })])
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from sheet_lab.payment`.execute(database.db)
    expect(rows[0].n).toBe(0)
  })

  it('goes on past a batch an agreement refused, naming every such line of the file', async () => {
    const form = await catalog.getForm(APP, 'payment')
    // Batches of two: lines 3 and 4 are refused in the first and second batch, line 5 beside line 4 is fine.
    const file = Readable.from(['账单,付款日期\nP-1,2025-03-21\nP-1,2025-03-02\nP-1,2025-03-03\nP-1,2025-03-22\n'])
    const result = await importForm(context, form, file, {
      actor: SYSTEM_ACTOR, format: 'csv', spec: { columns: { 账单: 'bill', 付款日期: 'paid_on' }, key: [] }, locale: 'zh-CN', batchSize: 2,
    })
    expect(result.status).toBe('rejected')
    expect(result.errors.map((error) => [error.line, error.column, error.message])).toEqual([
      [3, '付款日期', '付款日期不能早于开票日期'],
      [4, '付款日期', '付款日期不能早于开票日期'],
    ])
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from sheet_lab.payment`.execute(database.db)
    expect(rows[0].n).toBe(0)
  })

  it('names the lines of values another record or an earlier line holds, instead of failing the write', async () => {
    const form = await catalog.getForm(APP, 'client')
    const file = Readable.from(['名称\n华东材料\n西部物流\n东方物流\n西部物流\n'])
    // Batches of two: line 2 is refused in the first, and the import goes on to name line 5 in the
    // second, a repeat of line 3 (written by then), not a record that was there before.
    const result = await importForm(context, form, file, {
      actor: SYSTEM_ACTOR, format: 'csv', spec: { columns: { 名称: 'name' }, key: [] }, locale: 'zh-CN', batchSize: 2,
    })
    expect(result.status).toBe('rejected')
    expect(result.errors).toEqual([
      expect.objectContaining({ line: 2, column: '名称', message: '「名称」为 "华东材料" 的记录已存在' }),
      expect.objectContaining({ line: 5, column: '名称', message: '「名称」为 "西部物流" 已在第 3 行出现' }),
    ])
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from sheet_lab.client where name = '西部物流'`.execute(database.db)
    expect(rows[0].n).toBe(0)
  })

  it('names a repeated pair of linked records by the titles the file gives, not their ids', async () => {
    const form = await catalog.getForm(APP, 'payment')
    const result = await importForm(context, form, Readable.from(['账单,付款日期\nP-1,2025-03-20\nP-1,2025-03-20\n']), {
      actor: SYSTEM_ACTOR, format: 'csv', spec: { columns: { 账单: 'bill', 付款日期: 'paid_on' }, key: [] }, locale: 'zh-CN',
    })
    expect(result.status).toBe('rejected')
    expect(result.errors).toEqual([expect.objectContaining({
      line: 3, column: '账单', value: 'P-1', message: '「账单、付款日期」为 "P-1", "2025-03-20" 已在第 2 行出现',
    })])
  })
  it('refuses moving a bill\'s date past its payments by import, naming line and column, and keeps the bill', async () => {
    const [华东] = (await context.records.list(SYSTEM_ACTOR, APP, 'client', {})).items
    const bill = await context.records.create(SYSTEM_ACTOR, APP, 'bill', { number: 'P-9', client: 华东.id, issued: '2025-04-01', amount: '5.00' })
    const paid = await context.records.create(SYSTEM_ACTOR, APP, 'payment', { bill: bill.id, paid_on: '2025-04-10' })
    const form = await catalog.getForm(APP, 'bill')
    const result = await importForm(context, form, csv('P-9,华东材料,2025-04-11,5,,,'), {
      actor: SYSTEM_ACTOR, format: 'csv', spec: { columns, key: ['number'] }, locale: 'zh-CN',
    })
    expect(result.status).toBe('rejected')
    expect(result.errors).toEqual([expect.objectContaining({
      line: 2, column: '开票日期', message: `已有付款 #${paid.id} 与此不符：付款日期不能早于开票日期`,
    })])
    expect((await context.records.get(SYSTEM_ACTOR, APP, 'bill', bill.id)).values.issued).toBe('2025-04-01')

    // The same row with the payment's own day goes in.
    const fine = await importForm(context, form, csv('P-9,华东材料,2025-04-10,5,,,'), {
      actor: SYSTEM_ACTOR, format: 'csv', spec: { columns, key: ['number'] }, locale: 'zh-CN',
    })
    expect(fine).toMatchObject({ status: 'succeeded', forms: { bill: { updated: 1 } } })
  })
  it('updates stored records from a file of some columns: the rest keep their values and formulas read them', async () => {
    const [华东] = (await context.records.list(SYSTEM_ACTOR, APP, 'client', {})).items
    const stored = await context.records.create(SYSTEM_ACTOR, APP, 'bill',
      { number: 'U-1', client: 华东.id, issued: '2025-05-01', amount: '100.00', rate: '0.13', method: 'cash' })
    expect(stored.values.tax).toBe('13.00')
    const form = await catalog.getForm(APP, 'bill')
    // Only number and amount: client and date (both required) and the rate stay as stored; the
    // tax is computed again from the new amount and the stored rate. A new number needs them all.
    const result = await importForm(context, form, Readable.from(['单号,金额\nU-1,200\nU-2,50\n']), {
      actor: SYSTEM_ACTOR, format: 'csv', spec: { columns: { 单号: 'number', 金额: 'amount' }, key: ['number'] }, locale: 'zh-CN',
    })
    expect(result.status).toBe('rejected')
    expect(result.errors.map((error) => [error.line, error.column])).toEqual([[3, 'bill.client'], [3, 'bill.issued']])

    const fine = await importForm(context, form, Readable.from(['单号,金额\nU-1,200\n']), {
      actor: SYSTEM_ACTOR, format: 'csv', spec: { columns: { 单号: 'number', 金额: 'amount' }, key: ['number'] }, locale: 'zh-CN',
    })
    expect(fine).toMatchObject({ status: 'succeeded', forms: { bill: { updated: 1 } } })
    expect((await context.records.get(SYSTEM_ACTOR, APP, 'bill', stored.id)).values).toMatchObject({
      client: 华东.id, issued: '2025-05-01', amount: '200.00', rate: '0.1300', tax: '26.00', method: 'cash',
    })
  })
  it('previews links as the file named them, beside the ids they were read as', async () => {
    const form = await catalog.getForm(APP, 'bill')
    const result = await importForm(context, form, csv('V-1,华东材料,2025-03-14,10,,,'), {
      actor: SYSTEM_ACTOR, format: 'csv', spec: { columns, key: ['number'] }, locale: 'zh-CN', dryRun: true,
    })
    const [华东] = (await context.records.list(SYSTEM_ACTOR, APP, 'client', { q: '华东材料' })).items
    expect(result.preview).toEqual([expect.objectContaining({
      line: 2, values: expect.objectContaining({ number: 'V-1', client: 华东.id }), titles: { client: '华东材料' },
    })])
  })
})
