import { isDeepStrictEqual } from 'node:util'
import { sql } from 'kysely'
import {
  Dec,
  localize,
  TesseraError,
  type FieldIssue,
  type Locale,
} from '@tessera/core'
import { isComputed, rootKey } from '@tessera/forms'
import { logicVars } from '@tessera/logic'
import type { Trx } from '../database.js'
import type { ConstraintEdge, FormGraph } from './form-graph.js'
import { along, type Rider } from './rider.js'
import type { WrittenRecords } from './rollups.js'
import { PREPARE } from '../prepared-statements.js'

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
): Promise<void> {
  const issues: FieldIssue[] = []

  for (const edge of graph.constraintsOf(written.form.key)) {
    const ids = written.records.flatMap(({ after }) => {
      const value = after?.[edge.constraint.per]
      return typeof value === 'number' ? [value] : []
    })
    for (const broken of await overLimit(trx, edge, ids, rider)) {
      issues.push(issue(edge, edge.constraint.sum, broken, locale, reveal(edge)))
    }
  }

  for (const edge of graph.constraintsOn(written.form.key)) {
    const ids = written.records.flatMap(({ id, after }) => (after && id !== undefined ? [id] : []))
    for (const broken of await overLimit(trx, edge, ids, rider)) {
      const record = written.records.find((one) => one.id === broken.id)
      issues.push(issue(edge, blamedField(edge, record), broken, locale, reveal(edge)))
    }
  }

  if (issues.length === 0) return
  throw new TesseraError('conflict.constraint', issues.map((one) => one.message).join(locale === 'en' ? '; ' : '；'), {
    details: { form: written.form.key, constraints: [...new Set(issues.map((one) => constraintKey(one)))] },
    issues,
  })
}

/**
 * Whether a writer may learn the figures of a broken limit (the sum and the
 * limit). A constraint counts every linked record, also those the writer
 * cannot read, so the figures are left out of the message for a writer who
 * does not read them all; the refusal itself still tells that the limit
 * was reached.
 */
export type RevealTotals = (edge: ConstraintEdge) => boolean

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

interface Broken {
  id: number
  total: string
  max: string
  title: string | null
}

/**
 * The records of the limit's form among `ids` whose sum is above their
 * limit now. A waiting `rider` goes along with the query.
 */
async function overLimit(trx: Trx, edge: ConstraintEdge, ids: number[], rider?: Rider): Promise<Broken[]> {
  if (ids.length === 0) return []
  const { child, parent, constraint, link } = edge
  const summed = child.definition.fields.find((f) => f.key === constraint.sum)?.column
  const limit = parent.definition.fields.find((f) => f.key === constraint.max)?.column
  if (!summed || !limit) return []

  const titleKey = parent.definition.titleField
  const titleColumn = parent.definition.fields.find((f) => f.key === titleKey)?.column
  const title = titleColumn ? sql`p.${sql.id(titleColumn)}::text` : sql`null::text`
  const { rows } = await sql<{ id: number; total: string; max: string | null; title: string | null }>`
    ${PREPARE}${along(rider)}select p.id, p.${sql.id(limit)}::text as max, ${title} as title,
      (select coalesce(sum(c.${sql.id(summed)}), 0) from ${table(child)} as c
        where c.${sql.id(link.column!)} = p.id)::text as total
    from ${table(parent)} as p where p.id in (${sql.join([...new Set(ids)])})`.execute(trx)

  const summedField = child.definition.fields.find((f) => f.key === constraint.sum)
  const scale = summedField?.type === 'money' ? (summedField.scale ?? 2) : undefined
  return rows.flatMap((row) => {
    if (row.max === null || new Dec(row.total).lessThanOrEqualTo(row.max)) return []
    // A sum of none is 0 in SQL; shown as the amounts are ("0.00").
    const total = scale === undefined ? row.total : new Dec(row.total).toFixed(scale)
    return [{ id: row.id, total, max: row.max, title: row.title }]
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
  const detail = locale === 'en'
    ? ` (${named}: total ${grouped(broken.total)}, limit ${grouped(broken.max)})`
    : `（${named}：合计 ${grouped(broken.total)}，上限 ${grouped(broken.max)}）`
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
