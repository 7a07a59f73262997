import { readFileSync } from 'node:fs'
import { join } from 'node:path'

import { Dec, addDays, daysBetween } from '@tessera/core'

/**
 * The template's KPIs computed from the demo CSV files with plain code —
 * no engine, no SQL — following the definitions in
 * docs/template-customer-settlement.md. Amounts are exact decimals.
 */
export interface Ledger {
  customers: Map<string, { name: string; region: string; salesperson: string }>
  invoices: Array<{ number: string; customer: string; date: string; due: string; amount: Dec }>
  allocations: Array<{ invoice: string; date: string; amount: Dec }>
}

function rows(path: string): string[][] {
  const [, ...lines] = readFileSync(path, 'utf8').trim().split(/\r?\n/)
  return lines.map((line) => line.split(','))
}

export function readLedger(dir: string): Ledger {
  const customers = new Map(rows(join(dir, 'demo_customers.csv')).map(
    ([code, name, region, salesperson]) => [code, { name, region, salesperson }],
  ))
  const invoices = rows(join(dir, 'demo_invoices.csv')).map(([number, customer, date, due, amount]) =>
    ({ number, customer, date, due, amount: new Dec(amount) }))
  const allocations = rows(join(dir, 'demo_allocations.csv')).map(([, invoice, date, amount]) =>
    ({ invoice, date, amount: new Dec(amount) }))
  return { customers, invoices, allocations }
}

const money = (value: Dec) => value.toFixed(2)

/** a ÷ b × factor to `scale` digits, null for b = 0 (as the engine's ratio). */
export function ratio(a: Dec, b: Dec, scale = 4, factor = 1): string | null {
  if (b.isZero()) return null
  return a.times(factor).dividedBy(b).toDecimalPlaces(scale, Dec.ROUND_HALF_UP).toFixed(scale)
}

/** Allocations per invoice number dated on or before a day. */
function paidBy(ledger: Ledger, test: (date: string) => boolean): Map<string, Dec> {
  const paid = new Map<string, Dec>()
  for (const one of ledger.allocations) {
    if (!test(one.date)) continue
    paid.set(one.invoice, (paid.get(one.invoice) ?? new Dec(0)).plus(one.amount))
  }
  return paid
}

/** Open invoices as of a date with their open amount and days past due. */
export function openAsOf(ledger: Ledger, asOf: string) {
  const paid = paidBy(ledger, (date) => date <= asOf)
  return ledger.invoices
    .filter((invoice) => invoice.date <= asOf)
    .map((invoice) => ({
      invoice,
      open: invoice.amount.minus(paid.get(invoice.number) ?? 0),
      days: daysBetween(invoice.due, asOf),
    }))
    .filter((row) => row.open.greaterThan(0))
}

export function summary(ledger: Ledger, asOf: string) {
  const open = openAsOf(ledger, asOf)
  const total = open.reduce((sum, row) => sum.plus(row.open), new Dec(0))
  const overdue = open.filter((row) => row.days > 0).reduce((sum, row) => sum.plus(row.open), new Dec(0))
  return { open: money(total), overdue: money(overdue), overdue_rate: ratio(overdue, total) }
}

/** Collection in [from, to]: collected ÷ (open the day before `from` + invoiced in the period). */
export function collection(ledger: Ledger, from: string, to: string, salesperson?: string) {
  const mine = (code: string) =>
    salesperson === undefined || ledger.customers.get(code)?.salesperson === salesperson
  const before = paidBy(ledger, (date) => date < from)
  const during = paidBy(ledger, (date) => date >= from && date <= to)
  let opening = new Dec(0)
  let invoiced = new Dec(0)
  let collected = new Dec(0)
  for (const invoice of ledger.invoices) {
    if (invoice.date > to || !mine(invoice.customer)) continue
    if (invoice.date < from) opening = opening.plus(invoice.amount.minus(before.get(invoice.number) ?? 0))
    else invoiced = invoiced.plus(invoice.amount)
    collected = collected.plus(during.get(invoice.number) ?? 0)
  }
  const due = opening.plus(invoiced)
  return {
    opening: money(opening),
    invoiced: money(invoiced),
    due: money(due),
    collected: money(collected),
    collection_rate: ratio(collected, due),
  }
}

export function dso(ledger: Ledger, asOf: string) {
  const paid = paidBy(ledger, (date) => date <= asOf)
  const since = addDays(asOf, -90)
  let open = new Dec(0)
  let recent = new Dec(0)
  for (const invoice of ledger.invoices) {
    if (invoice.date > asOf) continue
    open = open.plus(invoice.amount.minus(paid.get(invoice.number) ?? 0))
    if (invoice.date > since) recent = recent.plus(invoice.amount)
  }
  return { open: money(open), invoiced_90: money(recent), dso: ratio(open, recent, 1, 90) }
}

export function openByRegion(ledger: Ledger, asOf: string): Map<string, string> {
  const sums = new Map<string, Dec>()
  for (const row of openAsOf(ledger, asOf)) {
    const region = ledger.customers.get(row.invoice.customer)?.region ?? ''
    sums.set(region, (sums.get(region) ?? new Dec(0)).plus(row.open))
  }
  return new Map([...sums].map(([region, sum]) => [region, money(sum)]))
}

/**
 * Expected cash-in by ISO week: each open invoice on its due date plus its
 * customer's average days late (rounded half away from zero) over invoices
 * settled in full by the as-of date; never before the as-of date; the next
 * 12 weeks (up to as-of + 83 days).
 */
export function expectedCashIn(ledger: Ledger, asOf: string, isoWeek: (date: string) => string) {
  const paid = paidBy(ledger, (date) => date <= asOf)
  const lastPaid = new Map<string, string>()
  for (const one of ledger.allocations) {
    if (one.date > asOf) continue
    const known = lastPaid.get(one.invoice)
    if (!known || one.date > known) lastPaid.set(one.invoice, one.date)
  }

  const lateness = new Map<string, { sum: number; count: number }>()
  for (const invoice of ledger.invoices) {
    const settled = invoice.date <= asOf && (paid.get(invoice.number) ?? new Dec(0)).gte(invoice.amount)
    const last = lastPaid.get(invoice.number)
    if (!settled || !last) continue
    const slot = lateness.get(invoice.customer) ?? { sum: 0, count: 0 }
    slot.sum += daysBetween(invoice.due, last)
    slot.count += 1
    lateness.set(invoice.customer, slot)
  }

  const weeks = new Map<string, { expected: Dec; invoices: number }>()
  const horizon = addDays(asOf, 83)
  for (const row of openAsOf(ledger, asOf)) {
    const late = lateness.get(row.invoice.customer)
    const days = late ? new Dec(late.sum).dividedBy(late.count).toDecimalPlaces(0, Dec.ROUND_HALF_UP) : 0
    const expected = addDays(row.invoice.due, Number(days))
    const date = expected < asOf ? asOf : expected
    if (date > horizon) continue
    const week = isoWeek(date)
    const slot = weeks.get(week) ?? { expected: new Dec(0), invoices: 0 }
    weeks.set(week, { expected: slot.expected.plus(row.open), invoices: slot.invoices + 1 })
  }
  return [...weeks.keys()].sort().map((week) => ({
    week,
    expected: money(weeks.get(week)?.expected ?? new Dec(0)),
    invoices: weeks.get(week)?.invoices ?? 0,
  }))
}
