import { readFileSync } from 'node:fs'

/**
 * The aging of the public sample ledger computed straight from the CSV with
 * plain code — no engine, no SQL — to check the template's reports against.
 * Amounts are summed as integer cents (BigInt), dates compared as days.
 *
 * Every invoice in the sample was settled in full on SettledDate, so as of a
 * date D an invoice is open for its whole amount when it was issued on or
 * before D and settled after D (or not at all).
 */
export interface SampleInvoice {
  customer: string
  invoiceDay: number
  dueDay: number
  settledDay: number | null
  cents: bigint
}

const BUCKETS = ['not_due', '1-30', '31-60', '61-90', 'over_90'] as const
export type Bucket = (typeof BUCKETS)[number]

function day(mdy: string): number {
  const [m, d, y] = mdy.split('/').map(Number)
  return Date.UTC(y, m - 1, d) / 86_400_000
}

function cents(text: string): bigint {
  const [whole, fraction = ''] = text.split('.')
  return BigInt(whole) * 100n + BigInt((fraction + '00').slice(0, 2))
}

export function readSample(path: string): SampleInvoice[] {
  const [header, ...lines] = readFileSync(path, 'utf8').trim().split(/\r?\n/)
  const names = header.split(',')
  const at = (name: string) => names.indexOf(name)
  return lines.map((line) => {
    const cells = line.split(',')
    return {
      customer: cells[at('customerID')],
      invoiceDay: day(cells[at('InvoiceDate')]),
      dueDay: day(cells[at('DueDate')]),
      settledDay: cells[at('SettledDate')] ? day(cells[at('SettledDate')]) : null,
      cents: cents(cells[at('InvoiceAmount')]),
    }
  })
}

function bucketOf(daysPastDue: number): Bucket {
  if (daysPastDue <= 0) return 'not_due'
  if (daysPastDue <= 30) return '1-30'
  if (daysPastDue <= 60) return '31-60'
  if (daysPastDue <= 90) return '61-90'
  return 'over_90'
}

export function formatCents(value: bigint): string {
  const sign = value < 0n ? '-' : ''
  const abs = value < 0n ? -value : value
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`
}

export interface ExpectedAging {
  total: string
  overdue: string
  openInvoices: number
  byBucket: Record<Bucket, { open: string; invoices: number }>
  byCustomerBucket: Map<string, string>
}

export function expectedAging(invoices: SampleInvoice[], asOf: string): ExpectedAging {
  const asOfDay = Date.parse(`${asOf}T00:00:00Z`) / 86_400_000
  const sums = new Map<Bucket, { open: bigint; invoices: number }>(BUCKETS.map((b) => [b, { open: 0n, invoices: 0 }]))
  const byCustomer = new Map<string, bigint>()
  let total = 0n
  let overdue = 0n
  let openInvoices = 0
  for (const invoice of invoices) {
    if (invoice.invoiceDay > asOfDay) continue
    if (invoice.settledDay !== null && invoice.settledDay <= asOfDay) continue
    const bucket = bucketOf(asOfDay - invoice.dueDay)
    const slot = sums.get(bucket)!
    slot.open += invoice.cents
    slot.invoices++
    total += invoice.cents
    openInvoices++
    if (bucket !== 'not_due') overdue += invoice.cents
    const key = `${invoice.customer}|${bucket}`
    byCustomer.set(key, (byCustomer.get(key) ?? 0n) + invoice.cents)
  }
  const byBucket = Object.fromEntries(
    [...sums].map(([b, s]) => [b, { open: formatCents(s.open), invoices: s.invoices }]),
  ) as ExpectedAging['byBucket']
  const byCustomerBucket = new Map([...byCustomer].map(([k, v]) => [k, formatCents(v)]))
  return { total: formatCents(total), overdue: formatCents(overdue), openInvoices, byBucket, byCustomerBucket }
}

export const BUCKET_LABELS_EN: Record<Bucket, string> = {
  not_due: 'Not due',
  '1-30': '1–30 days',
  '31-60': '31–60 days',
  '61-90': '61–90 days',
  over_90: 'Over 90 days',
}
