import { isDeepStrictEqual } from 'node:util'
import { sql } from 'kysely'
import {
  Dec,
  localize,
  TesseraError,
  type FieldIssue,
  type Locale,
  type PublishedForm,
} from '@tessera/core'
import { isComputed, rootKey } from '@tessera/forms'
import { logicVars } from '@tessera/logic'
import type { Trx } from '../database.js'
import { refusedFor } from './agreements.js'
import type { ConstraintEdge, FormGraph } from './form-graph.js'
import { along, type Rider } from './rider.js'
import type { WrittenRecords } from './rollups.js'
import { PREPARE } from '../prepared-statements.js'
import { addToTotals, changeText, limitFigures, refillTotals, type LimitRow } from './limit-totals.js'

/**
 * Checks the cross-record constraints a write could break, inside its
 * transaction, after the write and after the records that hold the limits
 * were locked (see RecordLogic.afterWriteMany): the constraints of the
 * written form, for the records they now link to, and the constraints
 * whose limit lies in the written form, for the written records. A limit
 * that is empty holds nothing back. Throws TesseraError
 * ('conflict.constraint') with an issue per broken limit. A waiting
 * `rider` goes along with the first query.
 */
export async function checkConstraints(
  trx: Trx,
  graph: FormGraph,
  written: WrittenRecords,
  locale: Locale,
  reveal: RevealTotals = () => true,
  rider?: Rider,
  applied?: AppliedTotals,
  /** The limits held by the written records are checked by the caller later (checkLimitsHeld). */
  heldLater = false,
): Promise<void> {
  const issues: FieldIssue[] = []
  // For each issue, the written records it is about: an import names their lines.
  const blamed: number[][] = []

  for (const edge of graph.constraintsOf(written.form.key)) {
    const ids = new Set(written.records.flatMap(({ after }) => {
      const value = after?.[edge.constraint.per]
      return typeof value === 'number' ? [value] : []
    }))
    const rows = applied?.get(edge) ?? await keepTotals(trx, edge, written, rider)
    // What this write added to each total: the room it had is the limit less the rest.
    const added = totalChanges(edge, written)
    for (const broken of overLimit(edge, rows.filter((row) => ids.has(row.id)))) {
      const delta = added?.get(broken.id)
      const left = delta?.greaterThan(0) ? new Dec(broken.max).minus(new Dec(broken.total).minus(delta)) : undefined
      const room = left && !left.isNegative() ? left : undefined
      issues.push(issue(edge, edge.constraint.sum, { ...broken, ...(room ? { room: room.toFixed(decimalsOf(broken.total)) } : {}) },
        locale, reveal(edge)))
      blamed.push(written.records.flatMap(({ id, after }) => (id !== undefined && after?.[edge.constraint.per] === broken.id ? [id] : [])))
    }
  }

  if (!heldLater) await limitsHeld(trx, graph, written, locale, reveal, rider, issues, blamed)
  if (issues.length > 0) throw refusal(written.form.key, issues, locale, blamed)
}

/**
 * The limits the written records hold (an invoice's amount over its
 * allocations), checked on their own: after a write whose other records
 * (allocations moved by the same import row) were written too.
 */
export async function checkLimitsHeld(
  trx: Trx,
  graph: FormGraph,
  written: WrittenRecords,
  locale: Locale,
  reveal: RevealTotals = () => true,
): Promise<void> {
  const issues: FieldIssue[] = []
  const blamed: number[][] = []
  await limitsHeld(trx, graph, written, locale, reveal, undefined, issues, blamed)
  if (issues.length > 0) throw refusal(written.form.key, issues, locale, blamed)
}

async function limitsHeld(
  trx: Trx,
  graph: FormGraph,
  written: WrittenRecords,
  locale: Locale,
  reveal: RevealTotals,
  rider: Rider | undefined,
  issues: FieldIssue[],
  blamed: number[][],
): Promise<void> {
  // A form limiting itself (a link to its own records) would name a broken limit twice.
  const named = new Set(issues.map((one) => `${constraintKey(one)}:${(one.expected as { record?: number }).record}`))
  for (const edge of graph.constraintsOn(written.form.key)) {
    const ids = written.records.flatMap(({ id, after }) => (after && id !== undefined ? [id] : []))
      .filter((id) => !named.has(`${edge.constraint.key}:${id}`))
    if (ids.length === 0) continue
    const { rows } = await sql<LimitRow>`
      ${PREPARE}${along(rider)}select ${limitFigures(edge)} from ${table(edge.parent)} as p
      where p.id in (${sql.join([...new Set(ids)])})`.execute(trx)
    for (const broken of overLimit(edge, rows)) {
      const record = written.records.find((one) => one.id === broken.id)
      issues.push(issue(edge, blamedField(edge, record), broken, locale, reveal(edge)))
      blamed.push([broken.id])
    }
  }
}

function refusal(form: string, issues: FieldIssue[], locale: Locale, blamed?: number[][]): TesseraError {
  return new TesseraError('conflict.constraint', issues.map((one) => one.message).join(locale === 'en' ? '; ' : '；'), {
    details: { form, constraints: [...new Set(issues.map((one) => constraintKey(one)))] },
    ...(blamed ? { cause: refusedFor(blamed) } : {}),
    issues,
  })
}

/**
 * The refusal of a write that carried a derived amount (a formula reading
 * a rollup) past a limit through the rollup: `rows` are the limited
 * records' figures after their totals were filled again. The figures are
 * left out, as the writer of the rolled-up records may not read the ones
 * summed. Undefined when no limit broke.
 */
export function derivedLimitRefusal(edge: ConstraintEdge, rows: readonly LimitRow[], locale: Locale): TesseraError | undefined {
  const issues = overLimit(edge, rows).map((broken) => issue(edge, edge.constraint.sum, broken, locale, false))
  return issues.length > 0 ? refusal(edge.child.key, issues, locale) : undefined
}

/**
 * The refusal of a create that ran as one statement and was failed by
 * `tessera.refuse_over_limit` in it (see RecordQuery.findInserted), for
 * constraint `edge`; the error unchanged when it is another.
 */
export function overLimitRefusal(error: unknown, edge: ConstraintEdge, locale: Locale, reveal: RevealTotals = () => true): unknown {
  const failed = error as { code?: string; message?: string; detail?: string }
  if (failed?.code !== 'P0001' || failed.message !== 'tessera.over_limit' || !failed.detail) return error
  const rows = JSON.parse(failed.detail) as LimitRow[]
  const issues = overLimit(edge, rows).map((broken) => issue(edge, edge.constraint.sum, broken, locale, reveal(edge)))
  return issues.length > 0 ? refusal(edge.child.key, issues, locale) : error
}

/** Totals a write already changed (in its INSERT), by constraint: checkConstraints only reads them. */
export type AppliedTotals = ReadonlyMap<ConstraintEdge, LimitRow[]>

/**
 * The changes a write makes to the totals of one constraint, by limited
 * record: what the written records add where they link now, less what they
 * added where they linked before. Undefined when the records do not carry
 * every value (an import's rows): their totals are computed afresh.
 */
export function totalChanges(edge: ConstraintEdge, written: WrittenRecords): Map<number, Dec> | undefined {
  if (!written.complete) return undefined
  const { per, sum } = edge.constraint
  const changes = new Map<number, Dec>()
  const add = (values: Record<string, unknown> | undefined, sign: 1 | -1) => {
    const id = values?.[per]
    if (typeof id !== 'number') return
    const amount = values?.[sum]
    const value = typeof amount === 'string' || typeof amount === 'number' ? new Dec(amount) : new Dec(0)
    changes.set(id, (changes.get(id) ?? new Dec(0)).plus(sign === 1 ? value : value.negated()))
  }
  for (const { before, after } of written.records) {
    add(before, -1)
    add(after, 1)
  }
  return changes
}

/**
 * Brings the stored totals of one constraint up to date after a write and
 * returns the figures of every limited record the write reached. The rows
 * are locked already (see RecordLogic.afterWriteMany). A waiting `rider`
 * goes along with the first statement.
 */
async function keepTotals(trx: Trx, edge: ConstraintEdge, written: WrittenRecords, rider?: Rider) {
  const changes = totalChanges(edge, written)
  if (!changes) {
    const ids = new Set<number>()
    for (const { before, after } of written.records) {
      for (const value of [before?.[edge.constraint.per], after?.[edge.constraint.per]]) {
        if (typeof value === 'number') ids.add(value)
      }
    }
    if (ids.size === 0) return []
    const { rows } = await sql<LimitRow>`${along(rider)}${refillTotals(edge, [...ids])}`.execute(trx)
    return rows
  }
  const moved = [...changes].filter(([, delta]) => !delta.isZero()).sort(([a], [b]) => a - b)
  const still = [...changes.keys()].filter((id) => changes.get(id)!.isZero())
  const rows: LimitRow[] = []
  if (moved.length > 0) {
    const update = addToTotals(edge, moved.map(([id, delta]) => ({ id, delta: changeText(edge, delta) })))
    rows.push(...(await sql<LimitRow>`${PREPARE}${along(rider)}${update}`.execute(trx)).rows)
  }
  if (still.length > 0) {
    rows.push(...(await sql<LimitRow>`${PREPARE}${along(rider)}select ${limitFigures(edge)}
      from ${table(edge.parent)} as p where p.id in (${sql.join(still)})`.execute(trx)).rows)
  }
  return rows
}

/**
 * Whether a writer may learn the figures of a broken limit (the sum and the
 * limit). A constraint counts every linked record, also those the writer
 * cannot read, so the figures are left out of the message for a writer who
 * does not read them all; the refusal itself still tells that the limit
 * was reached.
 */
export type RevealTotals = ((edge: ConstraintEdge) => boolean) & {
  /**
   * Whether the records of `child` linking through `link` may be named to
   * the writer (an agreement's refusal from the linked side); all may when
   * absent.
   */
  linked?: (child: PublishedForm, link: string) => boolean
}

/**
 * Where a broken limit is shown when the record holding the limit was
 * written: on the limit field, or, when the limit is a formula (computed,
 * not typed), on the first field it reads that this write changed (or, for
 * a new record, filled): the amount someone lowered, not the read-only
 * "allocatable" it feeds.
 */
function blamedField(edge: ConstraintEdge, record: WrittenRecords['records'][number] | undefined): string {
  const limit = edge.parent.definition.fields.find((field) => field.key === edge.constraint.max)
  if (limit?.type !== 'formula' || !record?.after) return edge.constraint.max
  const { before, after } = record
  const read = [...new Set(logicVars(limit.expression).map(rootKey))]
  // A new record: all it holds was typed now.
  const changed = read.find((key) => !isDeepStrictEqual(before?.[key] ?? null, after[key] ?? null))
  const typed = edge.parent.definition.fields.find((field) => field.key === changed && !isComputed(field))
  return typed?.key ?? edge.constraint.max
}

/** A limited record over its limit; `room`: what was left under it before this write. */
type Broken = LimitRow & { max: string; room?: string }

/** The decimals a figure is shown with ("700.00" → 2). */
function decimalsOf(text: string): number {
  return text.includes('.') ? text.length - text.indexOf('.') - 1 : 0
}

/** The limited records whose total is above their limit (an empty limit holds nothing back). */
function overLimit(edge: ConstraintEdge, rows: readonly LimitRow[]): Broken[] {
  const summedField = edge.child.definition.fields.find((f) => f.key === edge.constraint.sum)
  const scale = summedField?.type === 'money' ? (summedField.scale ?? 2) : undefined
  return rows.flatMap((row) => {
    if (row.max === null || new Dec(row.total).lessThanOrEqualTo(row.max)) return []
    // Totals are shown as the amounts are ("0.00").
    const total = scale === undefined ? row.total : new Dec(row.total).toFixed(scale)
    return [{ id: Number(row.id), total, max: row.max, title: row.title }]
  })
}

function issue(edge: ConstraintEdge, field: string, broken: Broken, locale: Locale, reveal: boolean): FieldIssue {
  const { constraint, parent } = edge
  const message = localize(constraint.message, locale)
  if (!reveal) {
    return { field, rule: 'constraint', message, expected: { constraint: constraint.key } }
  }
  // The record as people know it: its form's label and its title, else its id.
  const label = localize(parent.definition.label, locale)
  const named = broken.title
    ? (locale === 'en' ? `${label} "${broken.title}"` : `${label}「${broken.title}」`)
    : `${label} #${broken.id}`
  const room = broken.room === undefined ? '' : locale === 'en'
    ? `, ${grouped(broken.room)} was left`
    : `，此前尚余 ${grouped(broken.room)}`
  const detail = locale === 'en'
    ? ` (${named}: total ${grouped(broken.total)}, limit ${grouped(broken.max)}${room})`
    : `（${named}：合计 ${grouped(broken.total)}，上限 ${grouped(broken.max)}${room}）`
  return {
    field,
    rule: 'constraint',
    message: message + detail,
    expected: { constraint: constraint.key, record: broken.id, max: broken.max },
    received: broken.total,
  }
}

/** A decimal text with thousands separators, as amounts are shown: "301019.88" → "301,019.88". */
function grouped(text: string): string {
  const [whole, fraction] = text.split('.')
  const sign = whole.startsWith('-') ? '-' : ''
  const digits = (sign ? whole.slice(1) : whole).replace(/\B(?=(\d{3})+$)/g, ',')
  return sign + digits + (fraction === undefined ? '' : `.${fraction}`)
}

function constraintKey(found: FieldIssue): string {
  return (found.expected as { constraint: string }).constraint
}

function table(form: { table: { schema: string; name: string } }) {
  return sql.table(`${form.table.schema}.${form.table.name}`)
}
