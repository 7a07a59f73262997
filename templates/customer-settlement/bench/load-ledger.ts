import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'kysely'
import type { Database } from '@tessera/store'

/**
 * Bulk-loads the demo ledger's CSV files (tools/generate-ledger.ts) into the
 * template's tables, bypassing the importer: each batch of 20,000 rows is
 * one statement whose columns travel as array parameters, unnested in SQL
 * (the same on PostgreSQL and PGlite, and much faster than row-wise
 * inserts). Rows go to staging tables first, then into the forms' tables
 * with their links resolved by code and number.
 */
export async function loadLedger(database: Database, dir: string): Promise<Record<string, number>> {
  const db = database.db
  await sql`create schema if not exists bench_stage`.execute(db)
  for (const [table, columns] of Object.entries(STAGES)) {
    await sql`drop table if exists ${sql.id('bench_stage', table)}`.execute(db)
    const list = sql.join(columns.map((column) => sql`${sql.id(column)} text`))
    await sql`create unlogged table ${sql.id('bench_stage', table)} (${list})`.execute(db)
    await insertBatches(database, table, columns, join(dir, `demo_${table}.csv`))
  }

  const app = 'customer_settlement'
  const table = (name: string) => sql.id(app, name)
  await sql`insert into ${table('customer')} (code, name, region, salesperson, payment_terms, credit_limit, _created_by, _updated_by)
    select code, name, region, salesperson, terms::bigint, credit::numeric, 'bench', 'bench' from bench_stage.customers`.execute(db)
  await sql`insert into ${table('invoice')} (number, customer_id, invoice_date, due_date, amount, contract_no, _created_by, _updated_by)
    select s.number, c.id, s.invoice_date::date, s.due_date::date, s.amount::numeric, s.contract, 'bench', 'bench'
    from bench_stage.invoices s join ${table('customer')} c on c.code = s.customer`.execute(db)
  await sql`insert into ${table('receipt')} (number, customer_id, date, amount, method, _created_by, _updated_by)
    select s.number, c.id, s.date::date, s.amount::numeric, s.method, 'bench', 'bench'
    from bench_stage.receipts s join ${table('customer')} c on c.code = s.customer`.execute(db)
  await sql`insert into ${table('allocation')} (receipt_id, invoice_id, date, amount, _created_by, _updated_by)
    select r.id, i.id, s.date::date, s.amount::numeric, 'bench', 'bench'
    from bench_stage.allocations s
    join ${table('receipt')} r on r.number = s.receipt
    join ${table('invoice')} i on i.number = s.invoice`.execute(db)
  // Small write-offs (rounding, 120 days past due) on about 1 % of the
  // invoices never paid in full, so reports and hand-written SQL count them.
  await sql`insert into ${table('write_off')} (number, invoice_id, date, amount, reason, _created_by, _updated_by)
    select 'WO-' || i.id, i.id, i.due_date + 120, least(5.00, i.amount - coalesce(a.v, 0)), 'rounding', 'bench', 'bench'
    from ${table('invoice')} i
    left join (select invoice_id, sum(amount) as v from ${table('allocation')}
               group by invoice_id) a on a.invoice_id = i.id
    where i.id % 97 = 0 and i.amount - coalesce(a.v, 0) > 0`.execute(db)
  // The invoice's stored rollups and the formulas over them, as the record
  // engine keeps them on every write (a sum over no records is 0); reports
  // start as-of totals from them. The benchmark's hand-written SQL sums the
  // allocations themselves, so a wrong figure here shows as a mismatch.
  await sql`update ${table('invoice')} as i
    set allocated_total = coalesce(a.total, 0), written_off = coalesce(w.total, 0), last_paid_on = a.last,
        open_amount = i.amount - coalesce(a.total, 0) - coalesce(w.total, 0),
        allocatable = i.amount - coalesce(w.total, 0), writable = i.amount - coalesce(a.total, 0)
    from ${table('invoice')} as v
    left join (select invoice_id, sum(amount) as total, max(date) as last from ${table('allocation')}
               group by invoice_id) as a on a.invoice_id = v.id
    left join (select invoice_id, sum(amount) as total from ${table('write_off')}
               group by invoice_id) as w on w.invoice_id = v.id
    where v.id = i.id`.execute(db)
  // The same for each receipt: what is allocated of it, and what is left.
  await sql`update ${table('receipt')} as r
    set allocated = coalesce(a.total, 0), unallocated = r.amount - coalesce(a.total, 0)
    from ${table('receipt')} as v
    left join (select receipt_id, sum(amount) as total from ${table('allocation')}
               group by receipt_id) as a on a.receipt_id = v.id
    where v.id = r.id`.execute(db)
  await sql`drop schema bench_stage cascade`.execute(db)
  // What autovacuum would get to soon after: statistics, and the invoice
  // rows the update above left behind cleared away.
  for (const name of ['customer', 'invoice', 'receipt', 'allocation', 'write_off']) {
    await sql`vacuum analyze ${table(name)}`.execute(db)
  }

  const counts: Record<string, number> = {}
  for (const name of ['customer', 'invoice', 'receipt', 'allocation', 'write_off']) {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${table(name)}`.execute(db)
    counts[name] = rows[0].n
  }
  return counts
}

/** Staging columns in the order of the generator's CSV headers. */
const STAGES: Record<string, string[]> = {
  customers: ['code', 'name', 'region', 'salesperson', 'terms', 'credit'],
  invoices: ['number', 'customer', 'invoice_date', 'due_date', 'amount', 'contract'],
  receipts: ['number', 'customer', 'date', 'amount', 'method'],
  allocations: ['receipt', 'invoice', 'date', 'amount'],
}

const BATCH = 20_000

async function insertBatches(database: Database, table: string, columns: string[], file: string) {
  // The generator quotes nothing it writes (no commas in its texts), so a split suffices.
  const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1)
  const target = sql.id('bench_stage', table)
  const names = sql.join(columns.map((column) => sql.id(column)))
  for (let start = 0; start < lines.length; start += BATCH) {
    const cells = lines.slice(start, start + BATCH).map((line) => line.split(','))
    const arrays = columns.map((_, index) => sql`${cells.map((row) => row[index])}::text[]`)
    await sql`insert into ${target} (${names}) select * from unnest(${sql.join(arrays)})`.execute(database.db)
  }
}
