import { isDeepStrictEqual } from 'node:util'
import { sql, type RawBuilder } from 'kysely'
import {
  companyTimeZone,
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
import { nextAutonumbers, numberingDay } from './autonumbers.js'
import { recomputeFormulas } from './derived-values.js'
import { FormGraphs, type FormGraph, type PublishedForms } from './form-graph.js'
import { writeLines } from './line-items.js'
import { checkAgreements, checkLinkingAgreements } from './agreements.js'
import { checkConstraints, checkLimitsHeld, totalChanges, type AppliedTotals, type RevealTotals } from './constraints.js'
import { addToTotals, changeText } from './limit-totals.js'
import { auditValuesInSql } from './audit-in-sql.js'
import type { Template } from './statement-template.js'
import type { ConstraintEdge } from './form-graph.js'
import { lockQuery, lockRows, maintainRollups, type WrittenRecords } from './rollups.js'
import type { Rider } from './rider.js'

/** What a write arranged before calling afterWrite. */
export interface AfterWriteOptions {
  /** A statement to send along with the next one (see Rider). */
  rider?: Rider
  /** The write already ran `lockAhead`'s statement: nothing is locked again. */
  locked?: boolean
  /** Totals `lockAhead`'s statement already changed, with the figures it returned. */
  applied?: AppliedTotals
  /**
   * What the written records hold for other forms' records is checked by
   * the caller later (`checkLinked`), once it wrote the linking records
   * too: the agreements of other forms reading them (an import row moving a
   * receipt's date and its allocation's) and the limits they hold (an
   * invoice's amount lowered with its allocation's).
   */
  linkedLater?: boolean
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
    trx: Executor,
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
      // Numbers are taken inside a transaction (oneStatement refuses forms that have them).
      const [number] = await nextAutonumbers(trx as Trx, form, field, numberingDay(field, result, context.today!))
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
    await this.afterWriteMany(trx, form, [{ id, before, after }], locale, reveal, { ...options, complete: true })
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
    options: AfterWriteOptions & { complete?: boolean } = {},
  ): Promise<void> {
    const { rider } = options
    const graph = await this.#graphs.load(trx, form.app)
    const rollups = graph.rollupsOver(form.key)
    const written = records.flatMap(({ id, after }) => (after && id !== undefined ? [id] : []))
    const created = new Set(records.flatMap(({ id, before }) => (!before && id !== undefined ? [id] : [])))
    const upkept = needsUpkeep(graph, form)
    if (upkept && !options.locked) {
      for (const { form: parent, ids } of lockTargets(graph, form, records)) {
        await lockRows(trx, parent, ids, rider)
      }
    }
    // After the locks, so that the agreements' own (FOR SHARE, on linked
    // records) never come before a stronger one this write takes on them.
    const changedOf = (id: number) => {
      const record = records.find((one) => one.id === id)
      if (!record?.before || !record.after) return undefined
      const { before, after } = record
      return new Set(Object.keys(after).filter((key) => Object.hasOwn(before, key) && !isDeepStrictEqual(before[key] ?? null, after[key] ?? null)))
    }
    await checkAgreements(trx, graph, form, written, locale, created, changedOf)
    if (!options.linkedLater) await checkLinkingAgreements(trx, graph, form, records, locale, reveal?.linked)
    if (!upkept) {
      await rider?.flush(trx)
      return
    }

    const changed = { form, records, complete: options.complete }
    if (rollups.length > 0) await maintainRollups(trx, graph, changed, await this.context(trx, locale))
    await checkConstraints(trx, graph, changed, locale, reveal, rider, options.applied, options.linkedLater)
    await rider?.flush(trx)
  }

  /**
   * What records of `form` a write changed hold for other forms' records:
   * the agreements reading them and the limits they set (see `linkedLater`).
   */
  async checkLinked(
    trx: Trx,
    form: PublishedForm,
    records: WrittenRecords['records'],
    locale: Locale,
    reveal?: RevealTotals,
  ): Promise<void> {
    const graph = await this.#graphs.load(trx, form.app)
    await checkLinkingAgreements(trx, graph, form, records, locale, reveal?.linked)
    if (graph.constraintsOn(form.key).length > 0) await checkLimitsHeld(trx, graph, { form, records }, locale, reveal)
  }

  /**
   * The statement that locks, ahead of the write, every record that rollups
   * or constraints over a new record with `values` reach, when they all
   * belong to one form (else undefined: afterWriteMany locks them). A
   * caller that runs it inside its INSERT passes `locked` to afterWrite,
   * saving a round trip. When the only upkeep there is one constraint's
   * total, the statement is the UPDATE that adds the new record's amount to
   * it, returning the figures (`applies`), and the caller passes them on
   * as `applied`; else it is a SELECT … FOR NO KEY UPDATE, and the checks
   * run in later statements, which see every row committed by the writers
   * the lock waited for.
   */
  async lockAhead(trx: Executor, form: PublishedForm, values: Record<string, unknown>): Promise<LockAhead | undefined> {
    const graph = await this.#graphs.load(trx, form.app)
    if (!needsUpkeep(graph, form)) return undefined
    const targets = lockTargets(graph, form, [{ after: values }])
    if (targets.length !== 1) return undefined
    const [{ form: parent, ids }] = targets
    const edges = graph.constraintsOf(form.key).filter((edge) => edge.parent.key === parent.key)
    const rollups = graph.rollupsOver(form.key).length > 0
    if (edges.length === 1 && !rollups && ids.length === 1) {
      const [edge] = edges
      const changes = totalChanges(edge, { form, records: [{ after: values }], complete: true })!
      const delta = changes.get(ids[0])
      if (delta) return { statement: addToTotals(edge, [{ id: ids[0], delta: changeText(edge, delta) }]), applies: edge }
    }
    return { statement: lockQuery(parent, ids) }
  }

  /**
   * Whether a create of `form` can be written as one statement, without a
   * transaction around it: insert, read back, audit line and the one
   * constraint's total together (see Records.create). That holds when
   * nothing else needs a statement of its own: no autonumber (its counter),
   * no line items, no rollups over the form, no limit held by it, no
   * agreements, no people or files to look up, at most one constraint, and
   * values that SQL can write into the audit line as the API reads them.
   * The answer holds until a form of the app is published again.
   */
  async oneStatement(db: Executor, form: PublishedForm): Promise<OneStatementPlan | undefined> {
    const graph = await this.#graphs.load(db, form.app)
    let plans = this.#oneStatement.get(graph)
    if (!plans) this.#oneStatement.set(graph, (plans = new Map()))
    if (!plans.has(form.key)) plans.set(form.key, planOneStatement(graph, form))
    return plans.get(form.key)
  }

  readonly #oneStatement = new WeakMap<FormGraph, Map<string, OneStatementPlan | undefined>>()

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
   * What an import must tell afterWriteMany about the records it writes:
   * the fields to read before writing (the links rollups or constraints
   * read through, and the fields other forms' agreements read through a
   * link to this one), and whether afterWriteMany must run at all.
   */
  async upkeep(trx: Trx, form: PublishedForm): Promise<{ links: string[]; needed: boolean }> {
    const graph = await this.#graphs.load(trx, form.app)
    const links = [
      ...graph.rollupsOver(form.key).map((edge) => edge.link.key),
      ...graph.constraintsOf(form.key).map((edge) => edge.link.key),
      // Not links, but read before the write all the same: whether an agreement reading them must be checked.
      ...graph.agreementsOn(form.key).flatMap((edge) => edge.fields),
    ]
    const needed = links.length > 0 || graph.constraintsOn(form.key).length > 0 ||
      (form.definition.agreements ?? []).length > 0
    return { links: [...new Set(links)], needed }
  }

  /** Today and the time zone the form logic runs with. */
  async context(db: Executor, locale: Locale): Promise<PrepareOptions> {
    const now = Date.now()
    if (!this.#timeZone || now - this.#timeZone.readAt >= TIME_ZONE_TTL_MS) {
      this.#timeZone = { value: await storedTimeZone(db), readAt: now }
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
  const timeZone = await storedTimeZone(db)
  return { locale, timeZone, today: todayIn(timeZone) }
}

// Read through the caller's handle: inside a transaction, PGlite has no other.
async function storedTimeZone(db: Executor): Promise<string> {
  const { rows } = await sql<{ value: unknown }>`
    select value from tessera.setting where key = 'timeZone'`.execute(db)
  return companyTimeZone(rows[0]?.value)
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

/** How a form's creates run as one statement (see RecordLogic.oneStatement). */
export interface OneStatementPlan {
  /** The audit line's `after`: SQL over the inserted row `t`. */
  after: RawBuilder<unknown>
  /** The form's one constraint, if it has one. */
  edge: ConstraintEdge | undefined
  /** The statements compiled so far, by the columns written and whether a total is kept. */
  templates: Map<string, Template>
}

function planOneStatement(graph: FormGraph, form: PublishedForm): OneStatementPlan | undefined {
  const fields = form.definition.fields
  const looksUp = (type: string) => ['autonumber', 'member', 'department', 'attachment'].includes(type)
  if (fields.some((field) => looksUp(field.type))) return undefined
  if ((form.definition.agreements ?? []).length > 0) return undefined
  // A closed period is read under a lock inside a transaction (see closed-periods.ts).
  if (form.definition.periodField) return undefined
  if (graph.rollupsOver(form.key).length > 0 || graph.constraintsOn(form.key).length > 0) return undefined
  const constraints = graph.constraintsOf(form.key)
  if (constraints.length > 1 || constraints.some((edge) => edge.parent.key === form.key)) return undefined
  const after = auditValuesInSql(form)
  return after ? { after, edge: constraints[0], templates: new Map() } : undefined
}

/** What `lockAhead` gives a create to run inside its INSERT. */
export interface LockAhead {
  statement: RawBuilder<unknown>
  /** The constraint whose total the statement changed; it returns that constraint's LimitRows. */
  applies?: ConstraintEdge
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
  // A constraint's total changes where a record links now and where it linked before.
  for (const edge of graph.constraintsOf(form.key)) reach(edge.parent, edge.link.key, ['before', 'after'])
  return [...targets.values()]
    .filter((target) => target.ids.size > 0)
    .sort((a, b) => a.form.key.localeCompare(b.form.key))
    .map((target) => ({ form: target.form, ids: [...target.ids].sort((a, b) => a - b) }))
}
