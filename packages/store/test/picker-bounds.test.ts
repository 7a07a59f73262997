import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR, type Actor, type FormDefinition, type RoleSpec } from '@tessera/core'
import { Catalog, Permissions, RecordService, RoleDocuments, type Database } from '../src/index.js'
import { databaseSuites } from '../src/testing.js'

/**
 * A link picker offers only the records the form's agreements would let
 * the record being filled in point at: an allocation's invoices are those
 * of its receipt's customer, dated on or before it.
 */
const APP = 'picker-bounds'

const customer: FormDefinition = {
  key: 'customer', label: '客户', titleField: 'name',
  fields: [{ key: 'name', type: 'text', label: '名称', required: true }, { key: 'owner', type: 'text', label: '负责人' }],
}
const invoice: FormDefinition = {
  key: 'invoice', label: '发票', titleField: 'number',
  fields: [
    { key: 'number', type: 'text', label: '发票号', required: true },
    { key: 'customer', type: 'link', form: 'customer', label: '客户', required: true },
    { key: 'issued', type: 'date', label: '开票日期', required: true },
    { key: 'amount', type: 'money', label: '金额' },
  ],
  ui: { picker: { fields: ['issued', 'amount'] } },
}
const receipt: FormDefinition = {
  key: 'receipt', label: '收款', titleField: 'number',
  fields: [
    { key: 'number', type: 'text', label: '收款号', required: true },
    { key: 'customer', type: 'link', form: 'customer', label: '客户', required: true },
    { key: 'paid_on', type: 'date', label: '收款日期', required: true },
  ],
}
const allocation: FormDefinition = {
  key: 'allocation', label: '核销',
  fields: [
    { key: 'receipt', type: 'link', form: 'receipt', label: '收款', required: true },
    // Only invoices with something to pay are offered.
    { key: 'invoice', type: 'link', form: 'invoice', label: '发票', required: true, pickWhere: { '>': [{ var: 'amount' }, '0'] } },
    { key: 'date', type: 'date', label: '核销日期', required: true },
  ],
  agreements: [
    { key: 'same_customer', paths: ['receipt.customer', 'invoice.customer'], message: '收款与发票须属于同一客户' },
    { key: 'after_invoice', paths: ['invoice.issued', 'date'], compare: '<=', message: '核销日期不能早于开票日期' },
  ],
}

// A shown field whose key is also a word of the option itself (title).
const contract: FormDefinition = {
  key: 'contract', label: '合同', titleField: 'number',
  fields: [{ key: 'number', type: 'text', label: '合同号', required: true }, { key: 'title', type: 'text', label: '合同名称' }],
  ui: { picker: { fields: ['title'] } },
}

const ROLES: RoleSpec[] = [
  {
    // Reads only their own customers' receipts.
    key: 'clerk', label: '经办',
    forms: {
      customer: { actions: ['read'], rows: { kind: 'own', field: 'owner' } },
      invoice: { actions: ['read'] },
      receipt: { actions: ['read'], rows: { kind: 'via', link: 'customer' } },
      allocation: { actions: ['read', 'create'] },
    },
  },
  {
    // Reads invoices, and nothing of allocations.
    key: 'invoices_only', label: '只看发票',
    forms: { customer: { actions: ['read'] }, invoice: { actions: ['read'] } },
  },
  {
    key: 'no_customer', label: '不看客户',
    forms: {
      customer: { actions: ['read'] },
      invoice: { actions: ['read'], fields: { customer: 'hidden', amount: 'hidden' } },
      receipt: { actions: ['read'] },
      allocation: { actions: ['read', 'create'] },
    },
  },
]

describe.each(databaseSuites())('link pickers bounded by agreements on $name', (suite) => {
  let database: Database
  let records: RecordService
  let catalog: Catalog
  const ids: Record<string, number> = {}

  beforeAll(async () => {
    database = await suite.open()
    catalog = new Catalog(database)
    records = new RecordService(database, catalog, { permissions: new Permissions(database, catalog) })
    await catalog.saveApp({ key: APP, label: '选择范围' })
    for (const form of [customer, invoice, receipt, allocation, contract]) await catalog.saveDraft(APP, form)
    await catalog.publish(APP, ['customer', 'invoice', 'receipt', 'allocation', 'contract'], SYSTEM_ACTOR)
    const roles = new RoleDocuments(database, catalog)
    for (const role of ROLES) await roles.save(SYSTEM_ACTOR, APP, role)
    const add = async (form: string, values: Record<string, unknown>) =>
      (await records.create(SYSTEM_ACTOR, APP, form, values)).id
    ids.east = await add('customer', { name: '华东', owner: '7' })
    ids.west = await add('customer', { name: '西部', owner: '9' })
    ids.e1 = await add('invoice', { number: 'E-1', customer: ids.east, issued: '2026-03-01', amount: '1200.5' })
    ids.e2 = await add('invoice', { number: 'E-2', customer: ids.east, issued: '2026-04-01', amount: '80' })
    ids.e3 = await add('invoice', { number: 'E-3', customer: ids.east, issued: '2026-03-01', amount: '0' })
    ids.w1 = await add('invoice', { number: 'W-1', customer: ids.west, issued: '2026-03-01', amount: '35' })
    ids.r = await add('receipt', { number: 'R-1', customer: ids.east, paid_on: '2026-04-10' })
  })
  afterAll(() => database?.close())

  const titles = async (actor: Actor, values?: Record<string, unknown>, pick = 'allocation.invoice') => {
    const [form, field] = pick.split('.')
    const found = await records.options(actor, APP, 'invoice', undefined, 20, {
      ...(values ? { for: { form, field }, values } : {}),
    })
    return found.map((option) => option.title).sort()
  }

  it('offers every invoice in the link\'s range before its receipt is chosen, and all of them to a list filter', async () => {
    expect(await titles(SYSTEM_ACTOR)).toEqual(['E-1', 'E-2', 'E-3', 'W-1'])
    expect(await titles(SYSTEM_ACTOR, {})).toEqual(['E-1', 'E-2', 'W-1'])
    expect(await titles(SYSTEM_ACTOR, { receipt: null, date: '' })).toEqual(['E-1', 'E-2', 'W-1'])
  })

  it('offers only the invoices of the receipt\'s customer, and only those dated on or before the allocation', async () => {
    expect(await titles(SYSTEM_ACTOR, { receipt: ids.r })).toEqual(['E-1', 'E-2'])
    expect(await titles(SYSTEM_ACTOR, { receipt: ids.r, date: '2026-03-15' })).toEqual(['E-1'])
    expect(await titles(SYSTEM_ACTOR, { date: '2026-03-01' })).toEqual(['E-1', 'W-1'])
    // Searched by title within the bounds.
    const searched = await records.options(SYSTEM_ACTOR, APP, 'invoice', 'W', 20,
      { for: { form: 'allocation', field: 'invoice' }, values: { receipt: ids.r } })
    expect(searched).toEqual([])
  })

  it('reads the receipt through the reader\'s reach: a receipt they may not read narrows nothing', async () => {
    const clerk: Actor = { id: '9', roles: [`${APP}/clerk`] }
    // The clerk reads receipts of customers whose owner is 9 (west); R-1 is east's.
    expect(await titles(clerk, { receipt: ids.r })).toEqual(['E-1', 'E-2', 'W-1'])
  })

  it('does not narrow by a field hidden from the reader, which would tell its values', async () => {
    // Neither the customer nor the amount the range reads.
    const blind: Actor = { id: '5', roles: [`${APP}/no_customer`] }
    expect(await titles(blind, { receipt: ids.r })).toEqual(['E-1', 'E-2', 'E-3', 'W-1'])
    expect(await titles(blind, { receipt: ids.r, date: '2026-03-15' })).toEqual(['E-1', 'E-3', 'W-1'])
  })

  it('refuses a picker that names no link to the form, and a value that cannot be compared, by name', async () => {
    for (const pick of ['allocation.date', 'allocation.receipt', 'nowhere.invoice']) {
      await expect(titles(SYSTEM_ACTOR, { receipt: ids.r }, pick)).rejects.toMatchObject({
        code: 'request.invalid', details: { field: 'for', received: pick },
      })
    }
    await expect(titles(SYSTEM_ACTOR, { date: 'next tuesday' })).rejects.toMatchObject({
      code: 'request.invalid', details: { field: 'values.date', received: 'next tuesday' },
    })
    // A link's value is the id of a record, one value, not a list or its title.
    for (const receipt of ['12', 1.5, [ids.r], { id: ids.r }, Number.POSITIVE_INFINITY]) {
      await expect(titles(SYSTEM_ACTOR, { receipt })).rejects.toMatchObject({
        code: 'request.invalid', details: { field: 'values.receipt', received: receipt },
      })
    }
  })

  it('gives each option the fields its form shows beside titles, as the reader may see them', async () => {
    const first = async (actor: Actor) => (await records.options(actor, APP, 'invoice', 'E-1', 20))[0]
    expect(await first(SYSTEM_ACTOR)).toEqual({ id: ids.e1, title: 'E-1', values: { issued: '2026-03-01', amount: '1200.50' } })
    expect(await first({ id: '5', roles: [`${APP}/no_customer`] })).toEqual({ id: ids.e1, title: 'E-1', values: { issued: '2026-03-01' } })
    // A form that names none gives titles alone.
    expect(await records.options(SYSTEM_ACTOR, APP, 'receipt', 'R-1', 20)).toEqual([{ id: ids.r, title: 'R-1' }])
    // A shown field keyed title stays the field's: the option is still titled by the number.
    const signed = await records.create(SYSTEM_ACTOR, APP, 'contract', { number: 'HT-2026-01', title: '年度运维合同' })
    expect(await records.options(SYSTEM_ACTOR, APP, 'contract', 'HT', 20))
      .toEqual([{ id: signed.id, title: 'HT-2026-01', values: { title: '年度运维合同' } }])
    // Searched by what the option shows beside its title too.
    expect((await records.options(SYSTEM_ACTOR, APP, 'contract', '运维', 20)).map((option) => option.title)).toEqual(['HT-2026-01'])
    expect(await records.options(SYSTEM_ACTOR, APP, 'contract', '采购', 20)).toEqual([])
  })

  it('refuses to publish a range the linked form cannot answer, naming the link', async () => {
    const broken: FormDefinition = { ...allocation, key: 'broken_allocation', fields: allocation.fields.map((field) =>
      field.key === 'invoice' ? { ...field, pickWhere: { '>': [{ var: 'balance' }, '0'] } } : field) }
    await catalog.saveDraft(APP, broken)
    await expect(catalog.publish(APP, ['broken_allocation'], SYSTEM_ACTOR)).rejects.toMatchObject({
      code: 'metadata.invalid', issues: [{ field: 'fields[1].pickWhere' }],
    })
    // A var with anything beside it: what the range reads must be plain, or a hidden field could hide in it.
    await catalog.saveDraft(APP, { ...broken, fields: allocation.fields.map((field) =>
      field.key === 'invoice' ? { ...field, pickWhere: { '>': [{ var: 'amount', x: 1 }, '0'] } } : field) })
    await expect(catalog.publish(APP, ['broken_allocation'], SYSTEM_ACTOR)).rejects.toMatchObject({
      code: 'metadata.invalid', issues: [{ field: 'fields[1].pickWhere' }],
    })
  })

  it('answers a picker for a form the reader may not work with as for one that does not exist', async () => {
    const outsider: Actor = { id: '5', roles: [`${APP}/invoices_only`] }
    for (const pick of ['allocation.invoice', 'nowhere.invoice']) {
      await expect(titles(outsider, { date: '2026-03-15' }, pick)).rejects.toMatchObject({
        code: 'request.invalid', details: { field: 'for', received: pick },
      })
    }
  })

  it('leaves out a bound on a field the linked form no longer has, instead of blaming the value', async () => {
    // The invoice's date renamed since the allocation's agreement was published.
    await catalog.saveDraft(APP, { ...invoice, fields: invoice.fields.map((field) =>
      field.key === 'issued' ? { ...field, key: 'issued_on' } : field), ui: { picker: { fields: ['amount'] } } })
    await catalog.publish(APP, ['invoice'], SYSTEM_ACTOR)
    expect(await titles(SYSTEM_ACTOR, { receipt: ids.r, date: '2026-03-15' })).toEqual(['E-1', 'E-2'])
  })
})
