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

type Row = [string, DemoInvoice['customer'], string, string, string, Array<[string, string]>]

// number, customer, invoice date, due date, amount, allocations (date, amount)
const ROWS: Row[] = [
  ['I1', 'A', '2024-06-01', '2024-06-30', '1000.10', [['2024-06-10', '200.05']]],
  ['I2', 'A', '2024-05-30', '2024-06-29', '500.00', [['2024-07-05', '500.00']]],
  ['I3', 'B', '2024-05-01', '2024-05-31', '250.25', []],
  ['I4', 'B', '2024-04-30', '2024-05-30', '999.99', [
    ['2024-06-01', '0.99'],
    ['2024-06-30', '99.00'],
  ]],
  ['I5', 'C', '2024-04-01', '2024-05-01', '120.00', []],
  ['I6', 'A', '2024-03-31', '2024-04-30', '3000.00', [['2024-05-01', '3000.00']]],
  ['I7', 'C', '2024-03-02', '2024-04-01', '75.50', []],
  ['I8', 'B', '2024-03-01', '2024-03-31', '10.01', []],
  ['I9', 'A', '2024-07-02', '2024-08-01', '444.44', []],
  ['I10', 'A', '2024-06-15', '2024-07-15', '60.00', []],
  ['I11', 'B', '2024-04-01', '2024-04-30', '40.00', [['2024-06-30', '0.00']]],
]

export const INVOICES: DemoInvoice[] = ROWS.map(
  ([number, customer, invoiceDate, dueDate, amount, allocations]) => ({
    number,
    customer,
    invoice_date: invoiceDate,
    due_date: dueDate,
    amount,
    allocations: allocations.map(([date, paid]) => ({ date, amount: paid })),
  }),
)

export interface SeededBook {
  customerIds: Record<keyof typeof CUSTOMERS, number>
  invoiceIds: Record<string, number>
}

export async function seedAging(demo: DemoDatabase): Promise<SeededBook> {
  const regionIds = await demo.insert('region', [{ name: '华东' }, { name: '华北' }])
  const regionOf = (name: string | null) =>
    name === '华东' ? regionIds[0] : name === '华北' ? regionIds[1] : null

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

export interface OpenInvoice {
  invoice: DemoInvoice
  open: string
  days: number
}

/**
 * The oracle: the same aging computed in JS with exact decimals, invoice by
 * invoice, for comparing against the SQL the report compiles to.
 */
export function expectedOpen(asOf: string): OpenInvoice[] {
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
