import { type RawBuilder, sql } from 'kysely'

/**
 * For each report a dashboard widget shows, the SQL a person would write by
 * hand for the same answer (same rows, same rounding, same order), to hold
 * the compiled statement against. The benchmark checks that both answer
 * the same before it times them.
 *
 * Each probe comes in two spellings. `stored` is what someone who knows the
 * schema writes: a total as of a day is the invoice's stored total
 * (`allocated_total`, `written_off`, kept by every write) less the records
 * dated after the day, found through the date index; the benchmark's ratios
 * are against it. `records` sums the allocations and write-offs themselves,
 * the plain reading of the definitions, printed for scale.
 */
export interface Probe {
  widget: string
  report: string
  params: Record<string, string>
  /** The drill level the widget groups by, if it drills. */
  group?: string[]
  hand: RawBuilder<Record<string, unknown>>
}

/** How hand-written SQL gets a total of allocations or write-offs as of a day. */
export type Totals = 'stored' | 'records'

const T = {
  customer: sql.id('customer_settlement', 'customer'),
  invoice: sql.id('customer_settlement', 'invoice'),
  allocation: sql.id('customer_settlement', 'allocation'),
  writeOff: sql.id('customer_settlement', 'write_off'),
}

/**
 * Per invoice, what to take from the amount for the records dated before
 * (`<`) or on and before (`<=`) a day: a join clause and the expression.
 */
function before(totals: Totals, table: 'allocation' | 'writeOff', day: string, op: '<' | '<=', alias: string) {
  const stored = sql.ref(`i.${table === 'allocation' ? 'allocated_total' : 'written_off'}`)
  if (totals === 'stored') {
    const beyond = op === '<=' ? sql`date > ${day}::date` : sql`date >= ${day}::date`
    return {
      join: sql`left join (select invoice_id, sum(amount) as v from ${T[table]}
                           where ${beyond} or date is null group by invoice_id) ${sql.id(alias)}
                on ${sql.ref(`${alias}.invoice_id`)} = i.id`,
      value: sql`(coalesce(${stored}, 0) - coalesce(${sql.ref(`${alias}.v`)}, 0))`,
    }
  }
  const within = op === '<=' ? sql`date <= ${day}::date` : sql`date < ${day}::date`
  return {
    join: sql`left join (select invoice_id, sum(amount) as v from ${T[table]}
                         where ${within} group by invoice_id) ${sql.id(alias)}
              on ${sql.ref(`${alias}.invoice_id`)} = i.id`,
    value: sql`coalesce(${sql.ref(`${alias}.v`)}, 0)`,
  }
}

const BUCKETS = ['未到期', '1–30天', '31–60天', '61–90天', '90天以上']

/** Open invoices as of a date: open amount and days past due. */
function open(totals: Totals, asOf: string) {
  const paid = before(totals, 'allocation', asOf, '<=', 'p')
  const off = before(totals, 'writeOff', asOf, '<=', 'w')
  return sql`
    o as (select i.customer_id, i.amount - ${paid.value} - ${off.value} as open,
                 ${asOf}::date - i.due_date as dpd
          from ${T.invoice} i ${paid.join} ${off.join}
          where i.invoice_date <= ${asOf}::date and i.amount - ${paid.value} - ${off.value} > 0)`
}

/** Opening, invoiced and collected of a period, per invoice. */
function period(totals: Totals, from: string, to: string, name: string) {
  const paid = before(totals, 'allocation', from, '<', 'b')
  const off = before(totals, 'writeOff', from, '<', 'w')
  return sql`${sql.id(name)} as (
    select i.customer_id,
           case when i.invoice_date < ${from}::date then i.amount - ${paid.value} - ${off.value}
                else 0 end as opening,
           case when i.invoice_date >= ${from}::date then i.amount else 0 end as invoiced,
           coalesce(d.v, 0) as collected
    from ${T.invoice} i ${paid.join} ${off.join}
    left join (select invoice_id, sum(amount) as v from ${T.allocation}
               where date >= ${from}::date and date <= ${to}::date group by invoice_id) d on d.invoice_id = i.id
    where i.invoice_date <= ${to}::date)`
}

export function probes(
  asOf: string, from: string, to: string, previous: [string, string], totals: Totals = 'stored',
): Probe[] {
  const [pf, pt] = previous
  const range = `${from}..${to}`
  return [
    {
      widget: 'total',
      report: 'receivables_summary',
      params: { asOf },
      hand: sql`with ${open(totals, asOf)}
        select round(coalesce(sum(open), 0), 2) as open,
               round(coalesce(sum(case when dpd > 0 then open else 0 end), 0), 2) as overdue,
               count(*)::int as invoices,
               count(case when dpd > 0 then 1 end)::int as overdue_invoices,
               count(distinct customer_id)::int as customers,
               round(coalesce(sum(case when dpd > 0 then open else 0 end), 0)
                     / nullif(coalesce(sum(open), 0), 0), 4) as overdue_rate
        from o`,
    },
    {
      widget: 'aging',
      report: 'aging_buckets',
      params: { asOf },
      hand: sql`with ${open(totals, asOf)},
        g as (select case when dpd <= 0 then 0 when dpd <= 30 then 1 when dpd <= 60 then 2
                          when dpd <= 90 then 3 else 4 end as k, sum(open) as open, count(*) as n
              from o group by 1)
        select (${sql.val(BUCKETS)}::text[])[s.k + 1] as bucket, s.k as bucket__index,
               round(coalesce(g.open, 0), 2) as open, coalesce(g.n, 0)::int as invoices
        from generate_series(0, 4) as s(k) left join g on g.k = s.k order by s.k`,
    },
    {
      widget: 'by_region',
      report: 'receivables_by_region',
      params: { asOf },
      group: ['region'],
      hand: sql`with ${open(totals, asOf)}
        select c.region, round(sum(o.open), 2) as open,
               round(sum(case when o.dpd > 0 then o.open else 0 end), 2) as overdue,
               count(*)::int as invoices
        from o left join ${T.customer} c on c.id = o.customer_id
        group by c.region order by sum(o.open) desc nulls last, c.region collate "C" asc nulls last`,
    },
    {
      widget: 'top_overdue',
      report: 'top_overdue_customers',
      params: { asOf },
      hand: sql`with ${open(totals, asOf)}
        select c.name as customer, round(sum(o.open), 2) as overdue, count(*)::int as invoices,
               max(o.dpd)::bigint as max_days
        from o left join ${T.customer} c on c.id = o.customer_id where o.dpd > 0
        group by c.name order by sum(o.open) desc nulls last, c.name collate "C" asc nulls last limit 10`,
    },
    {
      widget: 'collection',
      report: 'collection_rate',
      params: { period: range },
      hand: sql`with ${period(totals, from, to, 'cur')}, ${period(totals, pf, pt, 'prev')},
        a as (select sum(opening) as opening, sum(invoiced) as invoiced, sum(collected) as collected,
                     sum(collected) / nullif(sum(opening) + sum(invoiced), 0) as rate from cur),
        b as (select sum(collected) as collected,
                     sum(collected) / nullif(sum(opening) + sum(invoiced), 0) as rate from prev)
        select round(a.opening, 2) as opening, round(a.invoiced, 2) as invoiced,
               round(a.opening + a.invoiced, 2) as due, round(a.collected, 2) as collected,
               round(b.collected, 2) as collected__previous,
               round(a.collected - b.collected, 2) as collected__change,
               round((a.collected - b.collected) / nullif(b.collected, 0), 4) as collected__change_rate,
               round(a.rate, 4) as collection_rate, round(b.rate, 4) as collection_rate__previous,
               round(a.rate - b.rate, 4) as collection_rate__change,
               round((a.rate - b.rate) / nullif(b.rate, 0), 4) as collection_rate__change_rate
        from a, b`,
    },
    {
      widget: 'salespeople',
      report: 'salesperson_collection',
      params: { period: range },
      hand: sql`with ${period(totals, from, to, 'cur')}
        select c.salesperson, round(sum(x.opening) + sum(x.invoiced), 2) as due,
               round(sum(x.collected), 2) as collected,
               round(sum(x.collected) / nullif(sum(x.opening) + sum(x.invoiced), 0), 4) as collection_rate
        from cur x left join ${T.customer} c on c.id = x.customer_id
        group by c.salesperson order by sum(x.collected) desc nulls last, c.salesperson collate "C" asc nulls last`,
    },
    dso(totals, asOf),
    cashIn(totals, asOf),
  ]
}

function dso(totals: Totals, asOf: string): Probe {
  const paid = before(totals, 'allocation', asOf, '<=', 'p')
  const off = before(totals, 'writeOff', asOf, '<=', 'w')
  const open = sql`i.amount - ${paid.value} - ${off.value}`
  const recent = sql`case when i.invoice_date > ${asOf}::date - 90 then i.amount else 0 end`
  return {
    widget: 'dso',
    report: 'dso',
    params: { asOf },
    hand: sql`select round(coalesce(sum(${open}), 0), 2) as open,
             round(coalesce(sum(${recent}), 0), 2) as invoiced_90,
             round(coalesce(sum(${open}), 0) * 90 / nullif(coalesce(sum(${recent}), 0), 0), 1) as dso
      from ${T.invoice} i ${paid.join} ${off.join}
      where i.invoice_date <= ${asOf}::date`,
  }
}

/**
 * Expected cash-in by week: each open invoice's due date moved by its
 * customer's average lateness (last payment against due date, over the
 * invoices paid in full), never before the as-of day. The last payment
 * date is a maximum, which no stored total gives, so both spellings group
 * the allocations for it.
 */
function cashIn(totals: Totals, asOf: string): Probe {
  const paid = before(totals, 'allocation', asOf, '<=', 'p')
  const off = before(totals, 'writeOff', asOf, '<=', 'w')
  return {
    widget: 'cash_in',
    report: 'expected_cash_in',
    params: { asOf },
    hand: sql`with last as (select invoice_id, max(date) as day from ${T.allocation}
                            where date <= ${asOf}::date group by invoice_id),
      late as (select i.customer_id, avg(l.day - i.due_date) as days
               from ${T.invoice} i join last l on l.invoice_id = i.id ${paid.join}
               where i.invoice_date <= ${asOf}::date and ${paid.value} >= i.amount group by i.customer_id),
      o as (select i.amount - ${paid.value} - ${off.value} as open,
                   greatest(i.due_date + round(coalesce(l.days, 0))::int, ${asOf}::date) as expected
            from ${T.invoice} i ${paid.join} ${off.join}
            left join late l on l.customer_id = i.customer_id
            where i.invoice_date <= ${asOf}::date and i.amount - ${paid.value} - ${off.value} > 0)
      select to_char(date_trunc('week', expected::timestamp)::date, 'IYYY-"W"IW') as week,
             round(sum(open), 2) as expected, count(*)::int as invoices
      from o where expected <= ${asOf}::date + 83
      group by date_trunc('week', expected::timestamp) order by date_trunc('week', expected::timestamp)`,
  }
}
