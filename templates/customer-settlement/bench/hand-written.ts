import { type RawBuilder, sql } from 'kysely'

/**
 * For each report a dashboard widget shows, the SQL a person would write by
 * hand for the same answer (same rows, same rounding, same order), to hold
 * the compiled statement against. The benchmark checks that both answer
 * the same before it times them.
 */
export interface Probe {
  widget: string
  report: string
  params: Record<string, string>
  /** The drill level the widget groups by, if it drills. */
  group?: string[]
  hand: RawBuilder<Record<string, unknown>>
}

const T = {
  customer: sql.id('customer_settlement', 'customer'),
  invoice: sql.id('customer_settlement', 'invoice'),
  allocation: sql.id('customer_settlement', 'allocation'),
  writeOff: sql.id('customer_settlement', 'write_off'),
}

/** Write-offs per invoice dated on or before a day. */
function writtenOff(asOf: string) {
  return sql`(select invoice_id, sum(amount) as v from ${T.writeOff}
              where date <= ${asOf}::date group by invoice_id)`
}

const BUCKETS = ['未到期', '1–30天', '31–60天', '61–90天', '90天以上']

/** Open invoices as of a date: open amount and days past due. */
function open(asOf: string) {
  return sql`
    paid as (select invoice_id, sum(amount) as v from ${T.allocation}
             where date <= ${asOf}::date group by invoice_id),
    o as (select i.customer_id, i.amount - coalesce(p.v, 0) - coalesce(w.v, 0) as open,
                 ${asOf}::date - i.due_date as dpd
          from ${T.invoice} i left join paid p on p.invoice_id = i.id
          left join ${writtenOff(asOf)} w on w.invoice_id = i.id
          where i.invoice_date <= ${asOf}::date and i.amount - coalesce(p.v, 0) - coalesce(w.v, 0) > 0)`
}

/** Opening, invoiced and collected of a period, per invoice. */
function period(from: string, to: string, name: string) {
  return sql`${sql.id(name)} as (
    select i.customer_id,
           case when i.invoice_date < ${from}::date then i.amount - coalesce(b.v, 0) - coalesce(w.v, 0)
                else 0 end as opening,
           case when i.invoice_date >= ${from}::date then i.amount else 0 end as invoiced,
           coalesce(d.v, 0) as collected
    from ${T.invoice} i
    left join (select invoice_id, sum(amount) as v from ${T.allocation}
               where date < ${from}::date group by invoice_id) b on b.invoice_id = i.id
    left join (select invoice_id, sum(amount) as v from ${T.writeOff}
               where date < ${from}::date group by invoice_id) w on w.invoice_id = i.id
    left join (select invoice_id, sum(amount) as v from ${T.allocation}
               where date >= ${from}::date and date <= ${to}::date group by invoice_id) d on d.invoice_id = i.id
    where i.invoice_date <= ${to}::date)`
}

export function probes(asOf: string, from: string, to: string, previous: [string, string]): Probe[] {
  const [pf, pt] = previous
  const range = `${from}..${to}`
  return [
    {
      widget: 'total',
      report: 'receivables_summary',
      params: { asOf },
      hand: sql`with ${open(asOf)}
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
      hand: sql`with ${open(asOf)},
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
      hand: sql`with ${open(asOf)}
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
      hand: sql`with ${open(asOf)}
        select c.name as customer, round(sum(o.open), 2) as overdue, count(*)::int as invoices,
               max(o.dpd)::bigint as max_days
        from o left join ${T.customer} c on c.id = o.customer_id where o.dpd > 0
        group by c.name order by sum(o.open) desc nulls last, c.name collate "C" asc nulls last limit 10`,
    },
    {
      widget: 'collection',
      report: 'collection_rate',
      params: { period: range },
      hand: sql`with ${period(from, to, 'cur')}, ${period(pf, pt, 'prev')},
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
      hand: sql`with ${period(from, to, 'cur')}
        select c.salesperson, round(sum(x.opening) + sum(x.invoiced), 2) as due,
               round(sum(x.collected), 2) as collected,
               round(sum(x.collected) / nullif(sum(x.opening) + sum(x.invoiced), 0), 4) as collection_rate
        from cur x left join ${T.customer} c on c.id = x.customer_id
        group by c.salesperson order by sum(x.collected) desc nulls last, c.salesperson collate "C" asc nulls last`,
    },
    {
      widget: 'dso',
      report: 'dso',
      params: { asOf },
      hand: sql`with paid as (select invoice_id, sum(amount) as v from ${T.allocation}
                              where date <= ${asOf}::date group by invoice_id)
        select round(coalesce(sum(i.amount - coalesce(p.v, 0) - coalesce(w.v, 0)), 0), 2) as open,
               round(coalesce(sum(case when i.invoice_date > ${asOf}::date - 90 then i.amount else 0 end), 0), 2) as invoiced_90,
               round(coalesce(sum(i.amount - coalesce(p.v, 0) - coalesce(w.v, 0)), 0) * 90
                     / nullif(coalesce(sum(case when i.invoice_date > ${asOf}::date - 90 then i.amount else 0 end), 0), 0), 1) as dso
        from ${T.invoice} i left join paid p on p.invoice_id = i.id
        left join ${writtenOff(asOf)} w on w.invoice_id = i.id
        where i.invoice_date <= ${asOf}::date`,
    },
    {
      widget: 'cash_in',
      report: 'expected_cash_in',
      params: { asOf },
      hand: sql`with paid as (select invoice_id, sum(amount) as v, max(date) as last from ${T.allocation}
                              where date <= ${asOf}::date group by invoice_id),
        late as (select i.customer_id, avg(p.last - i.due_date) as days
                 from ${T.invoice} i join paid p on p.invoice_id = i.id
                 where i.invoice_date <= ${asOf}::date and p.v >= i.amount group by i.customer_id),
        o as (select i.amount - coalesce(p.v, 0) - coalesce(w.v, 0) as open,
                     greatest(i.due_date + round(coalesce(l.days, 0))::int, ${asOf}::date) as expected
              from ${T.invoice} i left join paid p on p.invoice_id = i.id
              left join ${writtenOff(asOf)} w on w.invoice_id = i.id
              left join late l on l.customer_id = i.customer_id
              where i.invoice_date <= ${asOf}::date and i.amount - coalesce(p.v, 0) - coalesce(w.v, 0) > 0)
        select to_char(date_trunc('week', expected::timestamp)::date, 'IYYY-"W"IW') as week,
               round(sum(open), 2) as expected, count(*)::int as invoices
        from o where expected <= ${asOf}::date + 83
        group by date_trunc('week', expected::timestamp) order by date_trunc('week', expected::timestamp)`,
    },
  ]
}
