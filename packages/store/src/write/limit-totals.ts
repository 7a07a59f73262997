import { createHash } from 'node:crypto'
import { sql, type RawBuilder } from 'kysely'
import { notFound, type Dec, type FormConstraint, type PublishedForm } from '@tessera/core'
import { DEFAULT_MONEY_SCALE, percentFractionScale, storedAs } from '@tessera/forms'
import type { Executor } from '../database.js'
import { loadPublishedForm } from '../catalog.js'
import type { ConstraintEdge } from './form-graph.js'

/**
 * A cross-record constraint ("the allocations of an invoice may not
 * exceed its amount") keeps its running total in a column of the limited
 * record's own row: `_total__<child table>__<constraint key>`. A write of
 * the summed records adds its change to that column, with the same UPDATE
 * that locks the row, and reads the new total back; no write sums the
 * linked records again. Because the total sits in the locked row, a
 * writer that waited for the lock reads the total its predecessor left
 * (PostgreSQL re-reads a row an UPDATE waited for), which a separate SUM
 * in the same statement would not.
 *
 * The column is added and filled when the constraint is published, and
 * dropped when the constraint is removed; `migrate` gives a constraint
 * that lacks it (published before totals were kept, or dropped by hand)
 * a filled one at every start. Rows changed behind the platform's back
 * (by SQL) leave the totals behind; `refillLimitTotals` (the CLI's
 * `tessera totals`) computes them afresh.
 */
const MAX_IDENTIFIER = 63

/** The column of `parent`'s table that holds the running total of a constraint of `childTable`. */
export function limitTotalColumn(childTable: string, constraintKey: string): string {
  const name = `_total__${childTable}__${constraintKey}`
  if (name.length <= MAX_IDENTIFIER) return name
  const hash = createHash('sha1').update(name).digest('hex').slice(0, 8)
  return `${name.slice(0, MAX_IDENTIFIER - 9)}_${hash}`
}

export function edgeTotalColumn(edge: ConstraintEdge): string {
  return limitTotalColumn(edge.child.table.name, edge.constraint.key)
}

/** Where one constraint keeps its total, and what it sums. */
interface TotalSite {
  parent: PublishedForm
  column: string
  /** The child's link column and summed column, as stored. */
  link: string
  summed: string
}

type FindForm = (key: string) => Promise<PublishedForm | undefined>

async function siteOf(
  child: PublishedForm,
  constraint: FormConstraint,
  findForm: FindForm,
): Promise<TotalSite | undefined> {
  const link = child.definition.fields.find((f) => f.key === constraint.per)
  const summed = child.definition.fields.find((f) => f.key === constraint.sum)
  if (link?.type !== 'link' || !link.column || !summed?.column) return undefined
  const parent = link.form === child.key ? child : await findForm(link.form)
  if (!parent) return undefined
  return {
    parent,
    column: limitTotalColumn(child.table.name, constraint.key),
    link: link.column,
    summed: summed.column,
  }
}

/**
 * Publishing a form with constraints: each constraint gets its total
 * column in the limited form's table, filled from the records there; a
 * constraint whose link or summed field changed is filled again; one
 * taken out loses its column.
 */
export async function publishLimitTotals(
  trx: Executor,
  previous: PublishedForm | undefined,
  next: PublishedForm,
  findForm: FindForm,
): Promise<void> {
  const before = new Map<string, TotalSite>()
  for (const constraint of previous?.definition.constraints ?? []) {
    const site = await siteOf(previous!, constraint, findForm)
    if (site) before.set(`${site.parent.table.schema}.${site.parent.table.name}.${site.column}`, site)
  }
  const kept = new Set<string>()
  for (const constraint of next.definition.constraints ?? []) {
    const site = await siteOf(next, constraint, findForm)
    if (!site) continue
    const id = `${site.parent.table.schema}.${site.parent.table.name}.${site.column}`
    kept.add(id)
    const old = before.get(id)
    const added = await addTotalColumn(trx, site)
    if (added || !old || old.link !== site.link || old.summed !== site.summed ||
      derivation(previous!, old.summed) !== derivation(next, site.summed)) {
      await fillTotals(trx, next, site)
    }
  }
  for (const [id, site] of before) {
    if (kept.has(id)) continue
    await sql`alter table ${table(site.parent)} drop column if exists ${sql.id(site.column)}`.execute(trx)
  }
}

/**
 * How a form's column gets its values, but for names and wording: a summed
 * formula or rollup defined anew (or retyped) has new values in every
 * record, so the totals over it are filled again.
 */
function derivation(form: PublishedForm, column: string): string {
  const field = form.definition.fields.find((f) => f.column === column)
  if (!field) return ''
  const { key: _key, label: _label, description: _description, ...rest } = field
  return JSON.stringify(rest)
}

/**
 * Gives every published constraint of every app its total column, filled,
 * where it lacks one (forms published before totals were kept). Run it
 * inside a transaction (the fill locks the summed table).
 */
export async function ensureLimitTotals(db: Executor): Promise<void> {
  const { rows } = await sql<{ app_key: string; key: string }>`
    select f.app_key, f.key from tessera.form f
    join tessera.form_version v
      on v.app_key = f.app_key and v.form_key = f.key and v.version = f.published_version
    where jsonb_array_length(coalesce(v.definition -> 'constraints', '[]'::jsonb)) > 0
    order by f.app_key, f.key`.execute(db)
  for (const { app_key: app, key } of rows) {
    const child = await loadPublishedForm(db, app, key)
    if (!child) continue
    for (const constraint of child.definition.constraints ?? []) {
      const site = await siteOf(child, constraint, (other) => loadPublishedForm(db, app, other))
      if (site && (await addTotalColumn(db, site))) await fillTotals(db, child, site)
    }
  }
}

/**
 * Computes every constraint's totals afresh from the summed records (of
 * one app, or all), for totals left behind by rows changed with SQL; the
 * summed form's table is locked against writes meanwhile (SHARE), so the
 * sums are exact. Run it inside a transaction. Returns the constraints
 * refilled, as "app/form.constraint".
 */
export async function refillLimitTotals(trx: Executor, app?: string): Promise<string[]> {
  return (await refill(trx, app)).map((one) => one.name)
}

/**
 * The records whose total now passes their limit, per constraint (after a
 * refill over rows changed with SQL: a write through the engine would have
 * been refused). Reported, not changed: the records are the operator's.
 */
export async function overLimitRecords(trx: Executor, app?: string): Promise<{ constraint: string; records: number }[]> {
  const over: { constraint: string; records: number }[] = []
  for (const { name, site, max } of await refill(trx, app, false)) {
    const limit = site.parent.definition.fields.find((field) => field.key === max)?.column
    if (limit === undefined) continue
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from ${table(site.parent)}
      where ${sql.id(site.column)} > ${sql.id(limit)}`.execute(trx)
    if (rows[0].n > 0) over.push({ constraint: name, records: rows[0].n })
  }
  return over
}

/** Each constraint's site, its totals filled afresh unless `fill` is false. */
async function refill(
  trx: Executor,
  app: string | undefined,
  fill = true,
): Promise<{ name: string; site: TotalSite; max: string }[]> {
  const { rows } = await sql<{ app_key: string; key: string }>`
    select f.app_key, f.key from tessera.form f
    join tessera.form_version v
      on v.app_key = f.app_key and v.form_key = f.key and v.version = f.published_version
    where jsonb_array_length(coalesce(v.definition -> 'constraints', '[]'::jsonb)) > 0
      ${app === undefined ? sql`` : sql`and f.app_key = ${app}`}
    order by f.app_key, f.key`.execute(trx)
  if (app !== undefined) {
    const { rows: apps } = await sql`select 1 from tessera.app where key = ${app}`.execute(trx)
    if (apps.length === 0) throw notFound('app', app)
  }
  const done: { name: string; site: TotalSite; max: string }[] = []
  for (const { app_key: key, key: formKey } of rows) {
    const child = await loadPublishedForm(trx, key, formKey)
    if (!child) continue
    for (const constraint of child.definition.constraints ?? []) {
      const site = await siteOf(child, constraint, (other) => loadPublishedForm(trx, key, other))
      if (!site) continue
      if (fill) {
        await addTotalColumn(trx, site)
        await fillTotals(trx, child, site)
      }
      done.push({ name: `${key}/${formKey}.${constraint.key}`, site, max: constraint.max })
    }
  }
  return done
}

/** Adds the column when missing; whether it was added. */
async function addTotalColumn(db: Executor, site: TotalSite): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`
    select exists (select 1 from information_schema.columns
      where table_schema = ${site.parent.table.schema} and table_name = ${site.parent.table.name}
        and column_name = ${site.column}) as found`.execute(db)
  if (rows[0]?.found) return false
  // Two servers starting together may both get here; the fill is the same.
  await sql`alter table ${table(site.parent)}
    add column if not exists ${sql.id(site.column)} numeric not null default 0`.execute(db)
  return true
}

/**
 * Sets every total of one constraint from the summed records. The summed
 * table is locked against writes first (SHARE, until the transaction
 * ends), so no writer is halfway: one that committed is in the sums, and
 * one that comes later adds to them. Without the lock, a writer that
 * committed while this UPDATE waited for a row would be missing from the
 * sum, which was read before the wait.
 */
async function fillTotals(db: Executor, child: PublishedForm, site: TotalSite): Promise<void> {
  await sql`lock table ${table(child)} in share mode`.execute(db)
  await sql`update ${table(site.parent)} as p
    set ${sql.id(site.column)} = ${sumFor(child, site.summed, site.link)}`.execute(db)
}

/** The sum of `summed` over the records of `child` linking to the record aliased `p` (0 for none). */
function sumFor(child: PublishedForm, summed: string, link: string): RawBuilder<unknown> {
  return sql`coalesce((select sum(c.${sql.id(summed)}) from ${table(child)} as c
    where c.${sql.id(link)} = p.id), 0)`
}

/**
 * The figures of one limited record after a write: its id, total, limit
 * and title (for the message), as text.
 */
export interface LimitRow {
  id: number
  total: string
  max: string | null
  title: string | null
}

/** The `select`-list giving a LimitRow of the limited record aliased `p`, for one constraint. */
export function limitFigures(edge: ConstraintEdge): RawBuilder<unknown> {
  const limit = edge.parent.definition.fields.find((f) => f.key === edge.constraint.max)?.column
  const titleKey = edge.parent.definition.titleField
  const titleColumn = edge.parent.definition.fields.find((f) => f.key === titleKey)?.column
  const title = titleColumn ? sql`p.${sql.id(titleColumn)}::text` : sql`null::text`
  const max = limit ? sql`p.${sql.id(limit)}::text` : sql`null::text`
  return sql`p.id, p.${sql.id(edgeTotalColumn(edge))}::text as total, ${max} as max, ${title} as title`
}

/**
 * An UPDATE adding each record's change to its total of one constraint,
 * returning the records' LimitRows. The records' rows are locked by it;
 * callers that change several records lock them first, in id order.
 */
export function addToTotals(edge: ConstraintEdge, changes: readonly { id: number; delta: string }[]): RawBuilder<unknown> {
  const column = sql.id(edgeTotalColumn(edge))
  if (changes.length === 1) {
    const [{ id, delta }] = changes
    return sql`update ${table(edge.parent)} as p set ${column} = p.${column} + ${delta}::numeric
      where p.id = ${id} returning ${limitFigures(edge)}`
  }
  const rows = changes.map(({ id, delta }) => sql`(${id}::bigint, ${delta}::numeric)`)
  return sql`update ${table(edge.parent)} as p set ${column} = p.${column} + v.delta
    from (values ${sql.join(rows)}) as v(id, delta)
    where p.id = v.id returning ${limitFigures(edge)}`
}

/**
 * An UPDATE computing the totals of some records afresh from the summed
 * records, returning their LimitRows. The records must be locked by an
 * earlier statement of the transaction: an UPDATE that waits for a row
 * lock sums what it read before the wait.
 */
export function refillTotals(edge: ConstraintEdge, ids: readonly number[]): RawBuilder<unknown> {
  const summed = edge.child.definition.fields.find((f) => f.key === edge.constraint.sum)!.column!
  return sql`update ${table(edge.parent)} as p
    set ${sql.id(edgeTotalColumn(edge))} = ${sumFor(edge.child, summed, edge.link.column!)}
    where p.id in (${sql.join([...ids])}) returning ${limitFigures(edge)}`
}

/**
 * A change to a total as SQL text, with the scale the summed amounts have:
 * the total then keeps that scale as PostgreSQL prints it ("13.50", not
 * "13.5").
 */
export function changeText(edge: ConstraintEdge, change: Dec): string {
  const declared = edge.child.definition.fields.find((f) => f.key === edge.constraint.sum)
  const field = declared ? storedAs(declared) : undefined
  if (field?.type === 'money') return change.toFixed(field.scale ?? DEFAULT_MONEY_SCALE)
  if (field?.type === 'percent') return change.toFixed(percentFractionScale(field.scale))
  return change.toFixed()
}

function table(form: { table: { schema: string; name: string } }) {
  return sql.table(`${form.table.schema}.${form.table.name}`)
}
