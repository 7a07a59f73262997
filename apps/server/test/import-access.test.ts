import { resolve } from 'node:path'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '@tessera/core'
import { Platform } from '@tessera/platform'
import { databaseSuites } from '@tessera/store/testing'
import { createTestServer, saveRole, type SignedIn, type TestServer } from './support.js'

const TEMPLATE = resolve(__dirname, '../../../templates/customer-settlement')
const APP = 'customer-settlement'
const API = `/api/apps/${APP}`

/**
 * An import writes and finds records in bulk, so it must not do more than
 * the importer's single writes may: create and update need their actions,
 * a key match needs every record readable, and a link found by a name or
 * given as an id may point only at a record the importer can read.
 */
describe.each(databaseSuites())('what an import may write and find on $name', (suite) => {
  let platform: Platform
  let server: TestServer
  let noUpdate: SignedIn
  let importOnly: SignedIn
  let ownCustomers: SignedIn
  let clerk: SignedIn
  const customers = { mine: 0, theirs: 0 }
  let invoice: { id: number; number: string }

  const upload = (who: SignedIn, form: string, csv: string, spec?: unknown, extra = '') => who.inject({
    method: 'POST',
    url: `${API}/forms/${form}/import?format=csv${spec ? `&spec=${encodeURIComponent(JSON.stringify(spec))}` : ''}${extra}`,
    headers: { 'content-type': 'text/csv', 'accept-language': 'zh-CN' },
    payload: csv,
  })
  const invoiceRow = async (id: number) => (await sql<{ version: number; due_date: string }>`
    select _version as version, due_date::text as due_date from customer_settlement.invoice where id = ${id}`
    .execute(platform.database.db)).rows[0]
  const count = async (form: string) => Number((await sql<{ n: string }>`
    select count(*) as n from ${sql.table(`customer_settlement.${form}`)}`.execute(platform.database.db)).rows[0].n)

  beforeAll(async () => {
    platform = new Platform(await suite.open())
    await platform.installTemplate(TEMPLATE, SYSTEM_ACTOR)
    server = await createTestServer(platform)
    for (const [key, forms] of Object.entries({
      no_update: { customer: { actions: ['read'] }, invoice: { actions: ['read', 'create', 'import'] } },
      import_only: { receipt: { actions: ['import'] } },
      own_customers: {
        customer: { actions: ['read'], rows: { kind: 'own', field: 'owner' } },
        invoice: { actions: ['read', 'create', 'update', 'import'] },
      },
    })) await saveRole(server, APP, key, forms)
    noUpdate = await server.createUser({ username: 'imp.noupdate', roles: [`${APP}/no_update`] })
    importOnly = await server.createUser({ username: 'imp.only', roles: [`${APP}/import_only`] })
    ownCustomers = await server.createUser({ username: 'imp.own', roles: [`${APP}/own_customers`] })
    clerk = await server.createUser({ username: 'imp.clerk', roles: [`${APP}/finance_clerk`] })

    const customer = (code: string, name: string, owner: string) =>
      platform.records.create(SYSTEM_ACTOR, APP, 'customer', { code, name, owner }).then((r) => r.id)
    customers.mine = await customer('C-MINE', '自有客户甲', String(ownCustomers.user.id))
    customers.theirs = await customer('C-THEIRS', '他人客户乙', '999')
    const created = await platform.records.create(SYSTEM_ACTOR, APP, 'invoice', {
      number: 'INV-ACCESS-1', customer: customers.theirs, invoice_date: '2026-11-01', due_date: '2026-12-01', amount: '1000.00',
    })
    invoice = { id: created.id, number: 'INV-ACCESS-1' }
  })
  afterAll(async () => {
    await server?.close()
    await platform?.close()
  })

  it('refuses an import by key to a role that may not update, and keeps the record as it was', async () => {
    const csv = `发票号,到期日\n${invoice.number},2027-06-30\n`
    const spec = { columns: { 发票号: 'number', 到期日: 'due_date' }, key: ['number'] }
    const before = await invoiceRow(invoice.id)
    for (const extra of ['', '&dryRun=true']) {
      const response = await upload(noUpdate, 'invoice', csv, spec, extra)
      expect(response.statusCode, extra).toBe(403)
      expect(response.json().error).toMatchObject({
        code: 'auth.forbidden',
        message: '你无权修改表单「发票（应收）」的记录：按键导入会修改它找到的记录',
      })
    }
    expect(await invoiceRow(invoice.id)).toEqual(before)
    // The single write says the same.
    const patched = await noUpdate.inject({
      method: 'PATCH', url: `${API}/forms/invoice/records/${invoice.id}`, payload: { version: before.version, values: { due_date: '2027-06-30' } },
    })
    expect(patched.statusCode).toBe(403)
  })

  it('lets the same role import new records without a key', async () => {
    const csv = '发票号,客户,开票日期,到期日,金额\nINV-ACCESS-2,自有客户甲,2026-11-02,2026-12-02,10.00\n'
    const spec = { columns: { 发票号: 'number', 客户: 'customer', 开票日期: 'invoice_date', 到期日: 'due_date', 金额: 'amount' } }
    const response = await upload(noUpdate, 'invoice', csv, spec)
    expect(response.statusCode, response.body).toBe(200)
    expect(response.json()).toMatchObject({ status: 'succeeded', forms: { invoice: { created: 1 } } })
  })

  it('refuses a guessed import that a remembered key turns into an update', async () => {
    // The administrator's import by key is remembered for the form; the next file with the same header upserts.
    const csv = `发票号,到期日\n${invoice.number},2026-12-01\n`
    const remembered = await upload(server.admin, 'invoice', csv, { columns: { 发票号: 'number', 到期日: 'due_date' }, key: ['number'] })
    expect(remembered.statusCode, remembered.body).toBe(200)
    const guessed = await upload(noUpdate, 'invoice', `发票号,到期日\n${invoice.number},2027-01-31\n`)
    expect(guessed.statusCode).toBe(403)
    expect(guessed.json().error.message).toContain('按键导入会修改它找到的记录')
    expect((await invoiceRow(invoice.id)).due_date).toBe('2026-12-01')
  })

  it('refuses an import to a role that may not read the form, before reading the file', async () => {
    const receipts = await count('receipt')
    for (const extra of ['', '&dryRun=true']) {
      const response = await upload(importOnly, 'receipt', '收款单号,客户,收款日期,金额\nRC-X,他人客户乙,2026-12-01,123.45\n', undefined, extra)
      expect(response.statusCode).toBe(403)
      expect(response.json().error.message).toBe('你无权查看表单「收款」的记录：导入按键查找已有记录，需要能查看全部记录')
    }
    expect(await count('receipt')).toBe(receipts)
    expect((await importOnly.inject({ url: `${API}/forms/receipt/import/setup` })).statusCode).toBe(403)
  })

  it('finds linked records by name only among those the importer can read, with the words of a name found nowhere', async () => {
    const spec = { columns: { 发票号: 'number', 客户: 'customer', 开票日期: 'invoice_date', 到期日: 'due_date', 金额: 'amount' } }
    const invoices = await count('invoice')
    const refused = await upload(ownCustomers, 'invoice',
      '发票号,客户,开票日期,到期日,金额\nINV-ACCESS-3,他人客户乙,2026-11-02,2026-12-02,10.00\nINV-ACCESS-4,无此客户,2026-11-02,2026-12-02,10.00\n', spec)
    expect(refused.statusCode).toBe(422)
    expect(refused.json().errors.map((e: { line: number; message: string }) => [e.line, e.message])).toEqual([
      [2, '没有「客户名称」为 "他人客户乙" 的客户'],
      [3, '没有「客户名称」为 "无此客户" 的客户'],
    ])
    expect(refused.body).not.toContain(`"customer":${customers.theirs}`)
    expect(await count('invoice')).toBe(invoices)

    const taken = await upload(ownCustomers, 'invoice', '发票号,客户,开票日期,到期日,金额\nINV-ACCESS-5,自有客户甲,2026-11-02,2026-12-02,10.00\n', spec)
    expect(taken.statusCode, taken.body).toBe(200)
    const stored = await sql<{ customer_id: number }>`select customer_id from customer_settlement.invoice where number = 'INV-ACCESS-5'`
      .execute(platform.database.db)
    expect(stored.rows[0].customer_id).toBe(customers.mine)
  })

  it('refuses a link given as an id to a record the importer cannot read, as a single write does', async () => {
    await platform.catalog.putMeta(APP, 'import', 'invoices_by_customer_id', {
      key: 'invoices_by_customer_id',
      label: { 'zh-CN': '按客户 ID 导入发票', en: 'Invoices by customer id' },
      format: 'csv',
      columns: {
        发票号: { type: 'text', required: true },
        客户ID: { type: 'integer', required: true },
        金额: { type: 'decimal', required: true },
      },
      records: [{
        as: 'invoice', form: 'invoice', key: ['number'],
        values: {
          number: { var: 'row.发票号' }, customer: { var: 'row.客户ID' }, amount: { var: 'row.金额' },
          invoice_date: '2026-11-03', due_date: '2026-12-03',
        },
      }],
    }, SYSTEM_ACTOR)
    const run = (csv: string) => ownCustomers.inject({
      method: 'POST', url: `${API}/imports/invoices_by_customer_id`,
      headers: { 'content-type': 'text/csv', 'accept-language': 'zh-CN' }, payload: csv,
    })
    const invoices = await count('invoice')
    const refused = await run(`发票号,客户ID,金额\nINV-ACCESS-6,${customers.theirs},10.00\n`)
    expect(refused.statusCode).toBe(422)
    expect(refused.json().errors).toMatchObject([{ line: 2, message: `「客户」引用的记录 ${customers.theirs} 不存在` }])
    expect(await count('invoice')).toBe(invoices)
    // The same words for a single write.
    const single = await ownCustomers.inject({
      method: 'POST', url: `${API}/forms/invoice/records`,
      payload: { values: { number: 'INV-ACCESS-7', customer: customers.theirs, invoice_date: '2026-11-03', due_date: '2026-12-03', amount: '10.00' } },
    })
    expect(single.statusCode, single.body).toBe(409)
    expect(single.json().error.issues).toMatchObject([{ field: 'customer', message: `「客户」引用的记录 ${customers.theirs} 不存在` }])

    const taken = await run(`发票号,客户ID,金额\nINV-ACCESS-6,${customers.mine},10.00\n`)
    expect(taken.statusCode, taken.body).toBe(200)
  })

  it('names each field an import may not set, with its rule', async () => {
    const response = await upload(clerk, 'customer', '客户编号,客户名称,信用额度\nC-NEW,新客户,5000\n',
      { columns: { 客户编号: 'code', 客户名称: 'name', 信用额度: 'credit_limit' } })
    expect(response.statusCode).toBe(403)
    expect(response.json().error).toMatchObject({
      code: 'auth.forbidden',
      issues: [{ field: 'credit_limit', rule: 'readonly', message: '「信用额度」对你只读，不能导入' }],
    })
  })
})
