import { Dec, daysBetween } from '@tessera/core'

import type { DemoDatabase } from './demo-database.js'

/**
 * A hand-built receivables book for an as-of date of 2024-06-30. Due dates
 * put invoices exactly 0, 1, 30, 31, 60, 61, 90 and 91 days past due (and one
 * not yet due); allocations fall before, on and after the as-of date; one
 * invoice is dated after it and one is fully settled.
 */
export const AS_OF = '2024-06-30'

export interface DemoInvoice {
  number: string
  customer: 'A' | 'B' | 'C'
  invoice_date: string
  due_date: string
  amount: string
  allocations: Array<{ date: string; amount: string }>
}

export const CUSTOMERS = {
  A: { name: '甲公司', region: '华东' },
  B: { name: '乙公司', region: '华北' },
  C: { name: '丙公司', region: null },
} as const

export const INVOICES: DemoInvoice[] = [
  { number: 'I1', customer: 'A', invoice_date: '2024-06-01', due_date: '2024-06-30', amount: '1000.10',
    allocations: [{ date: '2024-06-10', amount: '200.05' }] },
  { number: 'I2', customer: 'A', invoice_date: '2024-05-30', due_date: '2024-06-29', amount: '500.00',
    allocations: [{ date: '2024-07-05', amount: '500.00' }] },
  { number: 'I3', customer: 'B', invoice_date: '2024-05-01', due_date: '2024-05-31', amount: '250.25',
    allocations: [] },
  { number: 'I4', customer: 'B', invoice_date: '2024-04-30', due_date: '2024-05-30', amount: '999.99',
    allocations: [{ date: '2024-06-01', amount: '0.99' }, { date: '2024-06-30', amount: '99.00' }] },
  { number: 'I5', customer: 'C', invoice_date: '2024-04-01', due_date: '2024-05-01', amount: '120.00',
    allocations: [] },
  { number: 'I6', customer: 'A', invoice_date: '2024-03-31', due_date: '2024-04-30', amount: '3000.00',
    allocations: [{ date: '2024-05-01', amount: '3000.00' }] },
  { number: 'I7', customer: 'C', invoice_date: '2024-03-02', due_date: '2024-04-01', amount: '75.50',
    allocations: [] },
  { number: 'I8', customer: 'B', invoice_date: '2024-03-01', due_date: '2024-03-31', amount: '10.01',
    allocations: [] },
  { number: 'I9', customer: 'A', invoice_date: '2024-07-02', due_date: '2024-08-01', amount: '444.44',
    allocations: [] },
  { number: 'I10', customer: 'A', invoice_date: '2024-06-15', due_date: '2024-07-15', amount: '60.00',
    allocations: [] },
  { number: 'I11', customer: 'B', invoice_date: '2024-04-01', due_date: '2024-04-30', amount: '40.00',
    allocations: [{ date: '2024-06-30', amount: '0.00' }] },
]

export interface SeededBook {
  customerIds: Record<keyof typeof CUSTOMERS, number>
  invoiceIds: Record<string, number>
}

export async function seedAging(demo: DemoDatabase): Promise<SeededBook> {
  const regionIds = await demo.insert('region', [{ name: '华东' }, { name: '华北' }])
  const regionOf = (name: string | null) => (name === '华东' ? regionIds[0] : name === '华北' ? regionIds[1] : null)

  const keys = Object.keys(CUSTOMERS) as Array<keyof typeof CUSTOMERS>
  const ids = await demo.insert('customer', keys.map((key) => ({
    name: CUSTOMERS[key].name,
    region: regionOf(CUSTOMERS[key].region),
  })))
  const customerIds = { A: ids[0], B: ids[1], C: ids[2] }

  const invoiceIds: Record<string, number> = {}
  for (const item of INVOICES) {
    const [id] = await demo.insert('invoice', [{
      number: item.number,
      customer: customerIds[item.customer],
      invoice_date: item.invoice_date,
      due_date: item.due_date,
      amount: item.amount,
      status: 'open',
    }])
    invoiceIds[item.number] = id
    if (item.allocations.length === 0) continue
    await demo.insert('allocation', item.allocations.map((allocation) => ({
      invoice: id,
      date: allocation.date,
      amount: allocation.amount,
    })))
  }
  return { customerIds, invoiceIds }
}

/** The bucket index of the aging report for a number of days past due. */
export function bucketOf(days: number): number {
  const edges = [0, 30, 60, 90]
  const index = edges.findIndex((edge) => days <= edge)
  return index === -1 ? edges.length : index
}

/**
 * The oracle: the same aging computed in JS with exact decimals, invoice by
 * invoice, for comparing against the SQL the report compiles to.
 */
export function expectedOpen(asOf: string): Array<{ invoice: DemoInvoice; open: string; days: number }> {
  return INVOICES.filter((item) => item.invoice_date <= asOf)
    .map((item) => {
      const allocated = item.allocations
        .filter((allocation) => allocation.date <= asOf)
        .reduce((sum, allocation) => sum.plus(allocation.amount), new Dec(0))
      const open = new Dec(item.amount).minus(allocated)
      return { invoice: item, open: open.toFixed(2), days: daysBetween(item.due_date, asOf) }
    })
    .filter((row) => new Dec(row.open).greaterThan(0))
}
