import { Dec } from '@tessera/core'

import { CUSTOMERS, type DemoInvoice, INVOICES } from './aging-data.js'

/**
 * Plain JS answers for the report tests, computed invoice by invoice with
 * exact decimals, to compare with what the SQL gives.
 */
export function sum(values: string[], scale = 2): string {
  return values.reduce((total, value) => total.plus(value), new Dec(0)).toFixed(scale)
}

/** Groups items by a key, keeping first-seen order. */
export function groupBy<T>(items: T[], key: (item: T) => string | null): Map<string | null, T[]> {
  const groups = new Map<string | null, T[]>()
  for (const item of items) {
    const name = key(item)
    groups.set(name, [...(groups.get(name) ?? []), item])
  }
  return groups
}

export function customerName(invoice: DemoInvoice): string {
  return CUSTOMERS[invoice.customer].name
}

export function regionOf(invoice: DemoInvoice): string | null {
  return CUSTOMERS[invoice.customer].region
}

/** ISO week label "2024-W26" of a date: weeks start Monday, week 1 holds January 4th. */
export function isoWeek(date: string): string {
  const day = new Date(`${date}T00:00:00Z`)
  const weekday = (day.getUTCDay() + 6) % 7
  const thursday = new Date(day.getTime() + (3 - weekday) * 86_400_000)
  const year = thursday.getUTCFullYear()
  const first = new Date(Date.UTC(year, 0, 4))
  const firstThursday = new Date(first.getTime() + (3 - ((first.getUTCDay() + 6) % 7)) * 86_400_000)
  const week = 1 + Math.round((thursday.getTime() - firstThursday.getTime()) / (7 * 86_400_000))
  return `${year}-W${String(week).padStart(2, '0')}`
}

export function quarterOf(date: string): string {
  return `${date.slice(0, 4)}-Q${Math.floor((Number(date.slice(5, 7)) - 1) / 3) + 1}`
}

/** Invoices dated within [from, to]. */
export function invoicedIn(from: string, to: string): DemoInvoice[] {
  return INVOICES.filter((item) => item.invoice_date >= from && item.invoice_date <= to)
}

/** a ÷ b rounded to `scale` digits half away from zero, as Postgres rounds numeric. */
export function ratio(a: string, b: string, scale = 4): string | null {
  if (new Dec(b).isZero()) return null
  return new Dec(a).dividedBy(b).toDecimalPlaces(scale, Dec.ROUND_HALF_UP).toFixed(scale)
}
