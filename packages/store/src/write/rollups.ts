import { sql, type RawBuilder } from 'kysely'
import { localize, TesseraError, type LinesField, type Locale, type PublishedForm, type RollupField } from '@tessera/core'
import type { PrepareOptions } from '@tessera/forms'
import type { Trx } from '../database.js'
import { recomputeFormulas } from './derived-values.js'
import type { FormGraph } from './form-graph.js'
import { linesTable } from './line-items.js'
import { along, type Rider } from './rider.js'
import { refillTotals, type LimitRow } from './limit-totals.js'
import { derivedLimitRefusal } from './constraints.js'
import { PREPARE } from '../prepared-statements.js'

/** Records of one form a write changed, with their values before and after. */
export interface WrittenRecords {
  form: PublishedForm
  /** `before` is absent for a create, `after` for a delete. */
  records: { id?: number; before?: Record<string, unknown>; after?: Record<string, unknown> }[]
  /** The fields that may have changed; every field when absent. */
  fields?: ReadonlySet<string>
  /**
   * `before` and `after` hold every value of the records (a write through
   * Records), so the change to a stored total can be worked out from them;
   * otherwise (an import's rows) totals are computed afresh.
   */
  complete?: boolean
}

/** How far a change travels through rollups of rollups before it stops. */
const MAX_CASCADE = 4

/**
 * Keeps rollups over the written records current, inside the writing
 * transaction. For every rollup reading this form, the parent records the
 * written ones link to (before and after the write) are locked, in a fixed
 * order, `for no key update`, and only then aggregated again: the lock
 * makes concurrent writers to the same parent queue, and the aggregate,
 * run after the lock was granted, sees every row they committed (a sum
 * computed by the same statement that waited could miss them). Formulas
 * of the parents that read the rollups are computed again, and the change
 * travels on to rollups over the parents.
 */
export async function maintainRollups(
  trx: Trx,
  graph: FormGraph,
  written: WrittenRecords,
  context: PrepareOptions,
  depth = 0,
): Promise<void> {
  const groups = new Map<string, { parent: PublishedForm; fields: RollupField[]; ids: Set<number>; links: Set<string> }>()
  for (const edge of graph.rollupsOver(written.form.key)) {
    if (written.fields && (edge.field.agg === 'count' || !written.fields.has(edge.field.field!))) continue
    const group = groups.get(edge.parent.key) ?? { parent: edge.parent, fields: [], ids: new Set(), links: new Set() }
    group.fields.push(edge.field)
    group.links.add(edge.link.key)
    for (const { before, after } of written.records) {
      for (const value of [before?.[edge.link.key], after?.[edge.link.key]]) {
        if (typeof value === 'number') group.ids.add(value)
      }
    }
    groups.set(edge.parent.key, group)
  }

  const ordered = [...groups.values()].sort((a, b) => a.parent.key.localeCompare(b.parent.key))
  for (const { parent, fields, ids, links } of ordered) {
    if (ids.size === 0) continue
    const sorted = [...ids].sort((a, b) => a - b)
    await lockRows(trx, parent, sorted)
    try {
      await updateRollups(trx, graph, parent, fields, sorted)
    } catch (error) {
      throw beyondStorage(error, written.form, parent, fields, links, context.locale) ?? error
    }

    const changed = await recomputeFormulas(trx, parent, sorted, context)
    for (const field of fields) changed.add(field.key)
    await refillTotalsOver(trx, graph, parent, sorted, changed, context.locale)
    if (depth < MAX_CASCADE && graph.rollupsOver(parent.key).length > 0) {
      const records = await linkValues(trx, graph, parent, sorted)
      await maintainRollups(trx, graph, { form: parent, records, fields: changed }, context, depth + 1)
    }
  }
}

/**
 * A constraint of `form` that sums a field this upkeep just changed (a
 * rollup, or a formula reading one) has the totals of the records it
 * limits computed afresh, for the records `ids` link to, and a limit they
 * now pass refuses the write.
 */
async function refillTotalsOver(
  trx: Trx,
  graph: FormGraph,
  form: PublishedForm,
  ids: readonly number[],
  changed: ReadonlySet<string>,
  locale: Locale,
): Promise<void> {
  for (const edge of graph.constraintsOf(form.key)) {
    if (!changed.has(edge.constraint.sum)) continue
    const { rows } = await sql<{ id: number | null }>`
      select distinct ${sql.ref(edge.link.column!)} as id from ${table(form)}
      where id in (${sql.join([...ids])})`.execute(trx)
    const limited = rows.flatMap((row) => (row.id === null ? [] : [row.id])).sort((a, b) => a - b)
    if (limited.length === 0) continue
    // Locked by a statement of its own, so that the sums below are read after the wait.
    await lockRows(trx, edge.parent, limited)
    const { rows: figures } = await sql<LimitRow>`${refillTotals(edge, limited)}`.execute(trx)
    const refused = derivedLimitRefusal(edge, figures, locale)
    if (refused) throw refused
  }
}

/**
 * A rollup that would no longer fit its column (numeric overflow, 22003),
 * as a refusal naming the parent's rollup and the written form's link to
 * it, or undefined for any other error.
 */
function beyondStorage(
  error: unknown,
  form: PublishedForm,
  parent: PublishedForm,
  fields: readonly RollupField[],
  links: ReadonlySet<string>,
  locale: Locale | undefined,
): TesseraError | undefined {
  if ((error as { code?: unknown })?.code !== '22003') return undefined
  const reader = locale ?? 'zh-CN'
  const names = fields.map((field) => localize(field.label, reader))
  const parentName = localize(parent.definition.label, reader)
  const digits = 20 - (fields[0]?.result?.scale ?? 2)
  const issues = [...links].map((link) => {
    const field = form.definition.fields.find((one) => one.key === link)
    const label = field ? localize(field.label, reader) : link
    const message = reader === 'en'
      ? `"${label}": ${parentName}'s ${names.map((name) => `"${name}"`).join(', ')} would add up to more than can be stored (at most ${digits} digits before the point)`
      : `「${label}」：${parentName}的${names.map((name) => `「${name}」`).join('、')}合计将超出可存储的范围（整数部分最多 ${digits} 位）`
    return { field: link, rule: 'range', message, expected: { digits } }
  })
  return new TesseraError('validation.failed', issues.map((issue) => issue.message).join('; '), { issues, cause: error })
}

/** Sets rollup columns of some records (all of them without `ids`) from what they read now. */
export async function updateRollups(
  trx: Trx,
  graph: FormGraph | undefined,
  parent: PublishedForm,
  fields: readonly RollupField[],
  ids?: readonly number[],
): Promise<void> {
  const sets = fields.map((field) => sql`${sql.id(field.column!)} = ${rollupExpression(graph, parent, field)}`)
  if (sets.length === 0) return
  const where = ids ? sql`where p.id in (${sql.join([...ids])})` : sql``
  await sql`update ${table(parent)} as p set ${sql.join(sets)} ${where}`.execute(trx)
}

/** The aggregate of one rollup for the parent row aliased `p`, as a subquery. */
function rollupExpression(
  graph: FormGraph | undefined,
  parent: PublishedForm,
  field: RollupField,
): RawBuilder<unknown> {
  let source: RawBuilder<unknown>
  let match: RawBuilder<unknown>
  let column: string | undefined

  if (field.lines !== undefined) {
    const lines = parent.definition.fields.find((f) => f.key === field.lines) as LinesField
    source = linesTable(parent, lines)
    match = sql`c.parent_id = p.id`
    column = lines.fields.find((f) => f.key === field.field)?.column
  } else {
    const child = graph?.form(field.form!)
    const link = child?.definition.fields.find((f) => f.key === field.link)
    if (!child || !link) return sql`null`
    source = table(child)
    match = sql`${sql.ref(`c.${link.column}`)} = p.id`
    column = child.definition.fields.find((f) => f.key === field.field)?.column
  }

  return sql`(select ${rollupAggregate(field, column)} from ${source} as c where ${match})`
}

/** A rollup's aggregate over the rows aliased `c` (a sum of none is 0, not null). */
export function rollupAggregate(field: RollupField, column: string | undefined): RawBuilder<unknown> {
  const value = column ? sql.ref(`c.${column}`) : sql`null`
  return {
    sum: sql`coalesce(sum(${value}), 0)`,
    count: sql`count(*)`,
    min: sql`min(${value})`,
    max: sql`max(${value})`,
  }[field.agg]
}

/**
 * Locks records `for no key update`, in id order (callers lock forms in key
 * order), taking a waiting `rider` along.
 */
export async function lockRows(trx: Trx, form: PublishedForm, ids: number[], rider?: Rider): Promise<void> {
  await sql`${PREPARE}${along(rider)}${lockQuery(form, ids)}`.execute(trx)
}

/** The SELECT that locks records `for no key update`, in id order. */
export function lockQuery(form: PublishedForm, ids: readonly number[]): RawBuilder<unknown> {
  return sql`select id from ${table(form)} where id in (${sql.join([...ids])})
    order by id for no key update`
}

/** The link values of records, for the rollups over their form. */
async function linkValues(trx: Trx, graph: FormGraph, form: PublishedForm, ids: number[]) {
  const links = graph.rollupsOver(form.key).map((edge) => edge.link)
  const unique = [...new Map(links.map((link) => [link.key, link])).values()]
  const columns = unique.map((link) => sql`${sql.ref(link.column!)} as ${sql.id(link.key)}`)
  const { rows } = await sql<Record<string, unknown>>`
    select ${sql.join(columns)} from ${table(form)} where id in (${sql.join(ids)})`.execute(trx)
  return rows.map((row) => ({ after: row }))
}

function table(form: PublishedForm) {
  return sql.table(`${form.table.schema}.${form.table.name}`)
}
