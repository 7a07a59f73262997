import { sql } from 'kysely'
import {
  DEFAULT_TIME_ZONE,
  TesseraError,
  localize,
  todayIn,
  type FieldIssue,
  type Locale,
  type PublishedForm,
} from '@tessera/core'
import { formulaOrder, isAlwaysRequired, prepareRecord, rootKey, type PrepareOptions } from '@tessera/forms'
import { logicVars } from '@tessera/logic'
import type { Executor, Trx } from '../database.js'
import { nextAutonumbers } from './autonumbers.js'
import { recomputeFormulas } from './derived-values.js'
import { FormGraphs, type FormGraph, type PublishedForms } from './form-graph.js'
import { writeLines } from './line-items.js'
import { checkAgreements } from './agreements.js'
import { checkConstraints, type RevealTotals } from './constraints.js'
import { lockQuery, lockRows, maintainRollups, type WrittenRecords } from './rollups.js'
import type { Rider } from './rider.js'

/** What a write arranged before calling afterWrite. */
export interface AfterWriteOptions {
  /** A statement to send along with the next one (see Rider). */
  rider?: Rider
  /** The write already ran `lockAhead`'s SELECT: nothing is locked again. */
  locked?: boolean
}

/** How long the company time zone setting is trusted before it is read again. */
const TIME_ZONE_TTL_MS = 5_000

/**
 * The form logic of a write, run inside its transaction: formulas,
 * visibility, conditional requirements and cross-field rules (through
 * @tessera/forms' prepareRecord, the code the browser runs too), then the
 * numbers of autonumber fields for a new record. The values given have
 * passed the form's schema and are normalized.
 */
export class RecordLogic {
  #timeZone: { value: string; readAt: number } | undefined
  #today: { timeZone: string; at: number; value: string } | undefined
  readonly #graphs: FormGraphs

  /** With `catalog`, rollups and constraints follow the forms it serves (no query per write). */
  constructor(catalog?: PublishedForms) {
    this.#graphs = new FormGraphs(catalog)
  }

  /** The values to insert: computed fields filled, hidden fields emptied. */
  async forCreate(
    trx: Trx,
    form: PublishedForm,
    values: Record<string, unknown>,
    locale: Locale,
  ): Promise<Record<string, unknown>> {
    const context = await this.context(trx, locale)
    const prepared = prepareRecord(form, values, context)
    if (prepared.issues.length > 0) throw invalidValues(form, prepared.issues, locale)

    const result = { ...prepared.values }
    for (const field of form.definition.fields) {
      if (field.type !== 'autonumber') continue
      const [number] = await nextAutonumbers(trx, form, field, context.today!)
      result[field.key] = number
    }
    return result
  }

  /**
   * The columns an update writes: the changed values, plus formulas and
   * hidden fields as the whole record (stored values merged with the
   * change) now makes them. Autonumbers never change.
   */
  async forUpdate(
    trx: Trx,
    form: PublishedForm,
    stored: Record<string, unknown>,
    change: Record<string, unknown>,
    locale: Locale,
  ): Promise<Record<string, unknown>> {
    const context = await this.context(trx, locale)
    const prepared = prepareRecord(form, { ...stored, ...change }, context)
    // As for any partial update, a plainly required field left out of the
    // change is not asked for: a record written before the field existed
    // stays editable. Conditional requirements are checked on the whole.
    const issues = prepared.issues.filter((issue) => {
      const field = form.definition.fields.find((candidate) => candidate.key === issue.field)
      const plain = field !== undefined && isAlwaysRequired(field)
      return !(issue.rule === 'required' && plain && !Object.hasOwn(change, field.key))
    })
    if (issues.length > 0) throw invalidValues(form, issues, locale)

    const result = { ...change }
    for (const field of form.definition.fields) {
      if (field.type === 'autonumber') continue
      const now = prepared.values[field.key]
      if (field.type === 'formula' || now !== stored[field.key]) result[field.key] = now
    }
    return result
  }

  /**
   * The values of one imported row: formulas, visibility and rules as for
   * a create, without numbers (the importer numbers the rows it inserts).
   */
  async forImport(
    trx: Trx,
    form: PublishedForm,
    values: Record<string, unknown>,
    locale: Locale,
  ): Promise<Record<string, unknown>> {
    const prepared = prepareRecord(form, values, await this.context(trx, locale))
    if (prepared.issues.length > 0) throw invalidValues(form, prepared.issues, locale)
    return prepared.values
  }

  /**
   * Fields an import must not overwrite on an existing record: rollups over
   * other forms (kept current by writes to those forms) and the formulas
   * reading them, directly or through other formulas. An imported row
   * carries them computed from no linked rows at all.
   */
  maintainedElsewhere(form: PublishedForm): Set<string> {
    const kept = new Set<string>()
    for (const field of form.definition.fields) {
      if (field.type === 'rollup' && field.form !== undefined) kept.add(field.key)
    }
    if (kept.size === 0) return kept
    for (const formula of formulaOrder(form.definition).order ?? []) {
      if (logicVars(formula.expression).some((path) => kept.has(rootKey(path)))) kept.add(formula.key)
    }
    return kept
  }

  /** Computes the formulas of stored records again (after an import updated them). */
  async refreshFormulas(trx: Trx, form: PublishedForm, ids: readonly number[], locale: Locale) {
    await recomputeFormulas(trx, form, ids, await this.context(trx, locale))
  }

  /**
   * What follows the write of one record in the same transaction: its line
   * items are stored (when `after` carries them), and rollups elsewhere
   * that read its form are kept current. `before` is absent for a create,
   * `after` for a delete; each holds the record's values (merged, for an
   * update).
   */
  async afterWrite(
    trx: Trx,
    form: PublishedForm,
    id: number,
    before: Record<string, unknown> | undefined,
    after: Record<string, unknown> | undefined,
    locale: Locale,
    reveal?: RevealTotals,
    options: AfterWriteOptions = {},
  ): Promise<void> {
    if (after) await writeLines(trx, form, id, after)
    await this.afterWriteMany(trx, form, [{ id, before, after }], locale, reveal, options)
  }

  /**
   * Rollups and constraints after writing records of a form (one, or many
   * at once from an import). The records that hold rollups or limits over
   * them are locked first, all of them, in one order (form key, then id),
   * so that two writers never wait for each other in a circle.
   */
  async afterWriteMany(
    trx: Trx,
    form: PublishedForm,
    records: WrittenRecords['records'],
    locale: Locale,
    reveal?: RevealTotals,
    options: AfterWriteOptions = {},
  ): Promise<void> {
    const { rider } = options
    const graph = await this.#graphs.load(trx, form.app)
    const rollups = graph.rollupsOver(form.key)
    const written = records.flatMap(({ id, after }) => (after && id !== undefined ? [id] : []))
    const created = new Set(records.flatMap(({ id, before }) => (!before && id !== undefined ? [id] : [])))
    await checkAgreements(trx, graph, form, written, locale, created)
    if (!needsUpkeep(graph, form)) {
      await rider?.flush(trx)
      return
    }

    if (!options.locked) {
      for (const { form: parent, ids } of lockTargets(graph, form, records)) {
        await lockRows(trx, parent, ids, rider)
      }
    }

    const changed = { form, records }
    if (rollups.length > 0) await maintainRollups(trx, graph, changed, await this.context(trx, locale))
    await checkConstraints(trx, graph, changed, locale, reveal, rider)
    await rider?.flush(trx)
  }

  /**
   * The SELECT that locks, ahead of the write, every record that rollups
   * or constraints over a new record with `values` reach, when they all
   * belong to one form (else undefined: afterWriteMany locks them). A
   * caller that runs it inside its INSERT passes `locked` to afterWrite,
   * saving a round trip; the checks still run in later statements, which
   * see every row committed by the writers the lock waited for.
   */
  async lockAhead(trx: Trx, form: PublishedForm, values: Record<string, unknown>) {
    const graph = await this.#graphs.load(trx, form.app)
    if (!needsUpkeep(graph, form)) return undefined
    const targets = lockTargets(graph, form, [{ after: values }])
    return targets.length === 1 ? lockQuery(targets[0].form, targets[0].ids) : undefined
  }

  /**
   * Whether `afterWrite` of a new record may change the record's own row:
   * it stores its line items, or a rollup of the form reads the form itself
   * (a record linking to itself). When not, the row as inserted is the row
   * as it will be committed.
   */
  async rewritesNewRecord(trx: Trx, form: PublishedForm): Promise<boolean> {
    if (form.definition.fields.some((field) => field.type === 'lines')) return true
    const graph = await this.#graphs.load(trx, form.app)
    return graph.rollupsOver(form.key).some((edge) => edge.parent.key === form.key)
  }

  /**
   * The link fields of `form` that rollups or constraints read through, and
   * whether the form holds a constraint's limit: what an import must tell
   * afterWriteMany about the records it writes.
   */
  async upkeep(trx: Trx, form: PublishedForm): Promise<{ links: string[]; needed: boolean }> {
    const graph = await this.#graphs.load(trx, form.app)
    const links = [
      ...graph.rollupsOver(form.key).map((edge) => edge.link.key),
      ...graph.constraintsOf(form.key).map((edge) => edge.link.key),
    ]
    const needed = links.length > 0 || graph.constraintsOn(form.key).length > 0 ||
      (form.definition.agreements ?? []).length > 0
    return { links: [...new Set(links)], needed }
  }

  /** Today and the time zone the form logic runs with. */
  async context(db: Executor, locale: Locale): Promise<PrepareOptions> {
    const now = Date.now()
    if (!this.#timeZone || now - this.#timeZone.readAt >= TIME_ZONE_TTL_MS) {
      this.#timeZone = { value: await companyTimeZone(db), readAt: now }
    }
    const timeZone = this.#timeZone.value
    // Imports ask for every row; the date is worked out again each second.
    if (!this.#today || this.#today.timeZone !== timeZone || now - this.#today.at >= 1000) {
      this.#today = { timeZone, at: now, value: todayIn(timeZone) }
    }
    return { locale, timeZone, today: this.#today.value }
  }
}

/** Today and the company time zone, read now (no cache). */
export async function companyContext(db: Executor, locale: Locale): Promise<PrepareOptions> {
  const timeZone = await companyTimeZone(db)
  return { locale, timeZone, today: todayIn(timeZone) }
}

// Read through the caller's handle: inside a transaction, PGlite has no other.
async function companyTimeZone(db: Executor): Promise<string> {
  const { rows } = await sql<{ value: unknown }>`
    select value from tessera.setting where key = 'timeZone'`.execute(db)
  const stored = rows[0]?.value
  return typeof stored === 'string' ? stored : DEFAULT_TIME_ZONE
}

/** The error of a write whose values break the form's rules, listing every issue. */
export function invalidValues(form: PublishedForm, issues: FieldIssue[], locale: Locale) {
  const messages = issues.map((issue) => issue.message)
  const name = localize(form.definition.label, locale)
  const message = locale === 'en'
    ? `${issues.length} field(s) of form "${name}" are invalid: ${messages.join('; ')}`
    : `「${name}」有 ${issues.length} 处填写有误：${messages.join('；')}`
  return new TesseraError('validation.failed', message, { details: { form: form.key }, issues })
}

/** Whether writes of `form` touch other records: rollups over it, or constraints of or on it. */
function needsUpkeep(graph: FormGraph, form: PublishedForm): boolean {
  return graph.rollupsOver(form.key).length > 0 ||
    graph.constraintsOf(form.key).length > 0 ||
    graph.constraintsOn(form.key).length > 0
}

/**
 * The records that rollups over `form` and constraints of it reach from
 * the written records, by form in key order, ids ascending: the order
 * every writer locks them in.
 */
function lockTargets(
  graph: FormGraph,
  form: PublishedForm,
  records: WrittenRecords['records'],
): { form: PublishedForm; ids: number[] }[] {
  const targets = new Map<string, { form: PublishedForm; ids: Set<number> }>()
  const reach = (parent: PublishedForm, link: string, sides: ('before' | 'after')[]) => {
    const target = targets.get(parent.key) ?? { form: parent, ids: new Set<number>() }
    for (const record of records) {
      for (const side of sides) {
        const value = record[side]?.[link]
        if (typeof value === 'number') target.ids.add(value)
      }
    }
    targets.set(parent.key, target)
  }
  for (const edge of graph.rollupsOver(form.key)) reach(edge.parent, edge.link.key, ['before', 'after'])
  for (const edge of graph.constraintsOf(form.key)) reach(edge.parent, edge.link.key, ['after'])
  return [...targets.values()]
    .filter((target) => target.ids.size > 0)
    .sort((a, b) => a.form.key.localeCompare(b.form.key))
    .map((target) => ({ form: target.form, ids: [...target.ids].sort((a, b) => a - b) }))
}
