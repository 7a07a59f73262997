import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SYSTEM_ACTOR } from '@tessera/core'
import { Platform } from '@tessera/platform'
import { databaseSuites } from '@tessera/store/testing'

const TEMPLATE = resolve(__dirname, '..')
const APP = 'customer-settlement'

/**
 * Money received and not yet allocated to invoices: on the receipt itself
 * (kept by every allocation) and, as of a date, in the unallocated-receipts
 * report by customer. Left out of the invoices' open amounts, it is what
 * a customer statement nets against them.
 */
describe.each(databaseSuites())('unallocated receipts on $name', (suite) => {
  let platform: Platform
  const ids: Record<string, number> = {}
  const create = async (form: string, values: Record<string, unknown>) =>
    (await platform.records.create(SYSTEM_ACTOR, APP, form, values)).id

  beforeAll(async () => {
    platform = new Platform(await suite.open())
    await platform.installTemplate(TEMPLATE, SYSTEM_ACTOR)
    ids.east = await create('customer', { code: 'U001', name: '未核销甲公司', payment_terms: 30 })
    ids.west = await create('customer', { code: 'U002', name: '未核销乙公司', payment_terms: 30 })
    ids.invoice = await create('invoice', {
      number: 'INV-U-1', customer: ids.east, invoice_date: '2026-10-01', due_date: '2026-10-31', amount: '1000.00',
    })
    ids.second = await create('invoice', {
      number: 'INV-U-2', customer: ids.east, invoice_date: '2026-10-02', due_date: '2026-11-01', amount: '250.10',
    })
    ids.receipt = await create('receipt', { number: 'RC-U-1', customer: ids.east, date: '2026-11-05', amount: '1200.35' })
    ids.other = await create('receipt', { number: 'RC-U-2', customer: ids.west, date: '2026-11-20', amount: '0.10' })
    await create('allocation', { receipt: ids.receipt, invoice: ids.invoice, date: '2026-11-06', amount: '1000.00' })
    await create('allocation', { receipt: ids.receipt, invoice: ids.second, date: '2026-11-30', amount: '200.00' })
  })
  afterAll(() => platform?.close())

  it('keeps what is left of each receipt on the receipt', async () => {
    const receipt = await platform.records.get(SYSTEM_ACTOR, APP, 'receipt', ids.receipt)
    expect(receipt.values).toMatchObject({ allocated: '1200.00', unallocated: '0.35' })
    const other = await platform.records.get(SYSTEM_ACTOR, APP, 'receipt', ids.other)
    expect(other.values).toMatchObject({ allocated: '0.00', unallocated: '0.10' })
  })

  it('gives each customer\'s unallocated money as of a date, counting only what was received and allocated by then', async () => {
    const asOf = async (date: string) => (await platform.runReport(SYSTEM_ACTOR, APP, 'unallocated_receipts', { asOf: date }, 'zh-CN')).rows
    expect(await asOf('2026-11-04')).toEqual([])
    expect(await asOf('2026-11-05')).toEqual([{ customer: '未核销甲公司', unallocated: '1200.35', receipts: 1 }])
    expect(await asOf('2026-11-06')).toEqual([{ customer: '未核销甲公司', unallocated: '200.35', receipts: 1 }])
    expect(await asOf('2026-11-30')).toEqual([
      { customer: '未核销甲公司', unallocated: '0.35', receipts: 1 },
      { customer: '未核销乙公司', unallocated: '0.10', receipts: 1 },
    ])
  })
})
