import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import {
  isTesseraError,
  localize,
  TesseraError,
  type Actor,
  type LinesField,
  type Locale,
  type PublishedForm,
  type RecordData,
} from '@tessera/core'
import { evaluate } from '@tessera/logic'
import {
  closedPeriodIssue,
  closedThroughForWrite,
  readStoredRecords,
  translateWriteError,
  withCreateDefaults,
  writeLines,
  type Catalog,
  type RecordService,
  type Trx,
  type WrittenRecords,
} from '@tessera/store'
import { asLookup, type ImportMapping, type RecordSpec } from './mapping.js'
import { resolvePeopleCells } from './people-cells.js'
import { changedColumns, changes, changesStored, sameLines } from './stored-changes.js'
import type { ImportError } from './run-import.js'
import { keyOf, recordLineChanges, refusing, rowsOfRefusal, upsertRows, type FormCounts, type LineChange } from './upsert-rows.js'

interface PendingRow {
  line: number
  row: Record<string, unknown>
  ref: Record<string, number>
  failed: boolean
}

interface Built {
  pending: PendingRow
  values: Record<string, unknown>
  /**
   * The record the row's key matched, as stored: `values` then hold only
   * what the row changes (its fields, the formulas, what the form's logic
   * moved), and `full` the whole record as the change leaves it.
   */
  stored?: Record<string, unknown>
  /** The stored record's version, to tell whether the write gave it a new one. */
  storedVersion?: number
  full?: Record<string, unknown>
}

/**
 * One batch of parsed rows on their way into the database. For each record
 * of the mapping in turn, it builds every row's values, resolves lookups with
 * one query per lookup, validates them with the form's own rules and upserts
 * them in one statement. A row that fails at any step is reported and skips
 * its later records; the caller rolls the whole import back.
 */
export class RowBatch {
  readonly #rows: PendingRow[] = []
  readonly #forms = new Map<string, PublishedForm>()
  /** Per record entry: the line and values each key was first built with. */
  readonly #firstSeen = new Map<string, Map<string, { line: number; values: string }>>()
  /** Unique values met in earlier batches of this file: the line first giving each, and its record's key. */
  readonly #uniqueSeen = new Map<string, { line: number; key: string | undefined }>()

  constructor(
    private readonly context: { catalog: Catalog; records: RecordService },
    private readonly appKey: string,
    private readonly mapping: ImportMapping,
    private readonly actor: Actor,
    private readonly locale: Locale,
    /** Told the values of each record once they passed validation (previews). */
    private readonly observe?: (line: number, form: string, values: Record<string, unknown>, titles: Record<string, string>) => void,
  ) {}

  get size(): number {
    return this.#rows.length
  }

  add(line: number, row: Record<string, unknown>): void {
    this.#rows.push({ line, row, ref: {}, failed: false })
  }

  clear(): void {
    this.#rows.length = 0
  }

  async process(
    trx: Trx,
    counts: Record<string, FormCounts>,
    report: (error: ImportError) => void,
  ): Promise<void> {
    // A row may move a record and the records linking to it together (a
    // receipt's date and its allocation's, an invoice's amount and its
    // allocation's): what a written record holds for other forms' records
    // (their agreements reading it, the limits it sets) is checked once the
    // whole batch is written.
    const later: Array<{ checked: CheckedRows; records: WrittenRecords['records'] }> = []
    for (const spec of this.mapping.records) {
      const checked = await this.#check(trx, spec, this.#rows, report)
      if (checked) await this.#write(trx, checked, counts, report, (written, records) => later.push({ checked: written, records }))
    }
    const { logic } = this.context.records
    for (const { checked, records } of later) {
      try {
        await logic.checkLinked(trx, checked.form, records, this.locale, this.context.records.revealTotals(this.actor))
          .catch((error: unknown) => refusing(error, records.map((record) => record.id)))
      } catch (error) {
        // The import is rejected: what the refused lines wrote goes with it.
        this.#refusedLines(error, checked, report)
      }
    }
  }

  /**
   * The first half of `process` for a mapping of one record (no entry
   * waits for the ids of another): the rows are built and checked, and
   * taken out of the batch, so the next batch can fill it while `write`
   * stores these. Imports overlap the two, parsing while the database
   * writes.
   */
  async check(trx: Trx, report: (error: ImportError) => void): Promise<CheckedRows | undefined> {
    if (this.mapping.records.length !== 1) {
      throw new Error('RowBatch.check: only for a mapping of one record; use process')
    }
    const rows = this.#rows.splice(0)
    return this.#check(trx, this.mapping.records[0], rows, report)
  }

  /** The second half: stores rows `check` accepted. */
  async write(
    trx: Trx,
    checked: CheckedRows,
    counts: Record<string, FormCounts>,
    report: (error: ImportError) => void,
  ): Promise<void> {
    await this.#write(trx, checked, counts, report)
  }

  async #check(
    trx: Trx,
    spec: RecordSpec,
    pending: PendingRow[],
    report: (error: ImportError) => void,
  ): Promise<CheckedRows | undefined> {
    const form = await this.#form(trx, spec.form)
    const built = this.#build(spec, pending, report)
    await this.#resolveLookups(trx, spec, built, report)
    await resolvePeopleCells(trx, form, built.filter((b) => !b.pending.failed).map((b) => ({
      values: b.values,
      fail: (field, value, message) => this.#fail(b.pending, report, `${spec.as}.${field}`, value, message),
    })))
    await this.#readableLinks(trx, form, spec, built, report)
    const stored = await this.#storedByKey(trx, form, spec, built.filter((b) => !b.pending.failed))
    // Read under the same share lock as a single write (see closedThroughForWrite).
    const closedThrough = form.definition.periodField ? await closedThroughForWrite(trx) : null
    const valid: Built[] = []
    for (const b of built) {
      const found = spec.key.length > 0 ? stored.get(keyOf(spec.key, b.values)) : undefined
      b.stored = found?.values
      b.storedVersion = found?.version
      if (await this.#validate(trx, form, spec, b, report) && this.#periodOpen(form, spec, b, closedThrough, report)) valid.push(b)
    }
    const consistent = valid.filter((b) => this.#sameAsBefore(spec, form, b, report))
    if (consistent.length === 0) return undefined
    if (this.observe) {
      // Rollups over other forms are not the file's to set (an existing record keeps its own):
      // the preview leaves them out rather than show them computed from no linked records.
      const elsewhere = this.context.records.logic.maintainedElsewhere(form)
      for (const b of consistent) {
        // A link as the file named it (a customer's name, not its id).
        const titles: Record<string, string> = {}
        for (const field of form.definition.fields) {
          const written = field.type === 'link' ? asWritten(spec, b, field.key) : undefined
          if (written !== undefined && written !== null && written !== '') titles[field.key] = String(written)
        }
        this.observe(b.pending.line, spec.form, Object.fromEntries(Object.entries(b.values).filter(([key]) => !elsewhere.has(key))), titles)
      }
    }
    return { spec, form, merged: mergeByKey(spec.key, consistent) }
  }

  async #write(
    trx: Trx,
    checked: CheckedRows,
    counts: Record<string, FormCounts>,
    report: (error: ImportError) => void,
    /** Given, what the written records hold for other forms' records is left to the caller (see process). */
    linkedLater?: (checked: CheckedRows, records: WrittenRecords['records']) => void,
  ): Promise<void> {
    const { spec, form } = checked
    const formCounts = (counts[spec.form] ??= { created: 0, updated: 0, unchanged: 0 })
    const { logic } = this.context.records
    const today = (await logic.context(trx, this.locale)).today!
    const reveal = this.context.records.revealTotals(this.actor)
    const options = { today, logic, locale: this.locale, reveal }
    // A value another record holds already, or another row of the file, is named on its line
    // before the write, which Postgres would fail as a whole; those rows are left out (their
    // lines failed, so rows built on them are skipped) and the rest goes on, so that every such
    // line of the file is named. The import is then rejected and nothing kept.
    await this.#uniqueClashes(trx, checked, report)
    const left = checked.merged.filter((m) => m.rows.some((b) => !b.pending.failed))
    // Changes to stored records carry only the fields they change, new records every field: each
    // kind is one statement, whose columns are the same for all its rows (see changedColumns).
    const parts = [changedColumns(left.filter((m) => m.rows[0].stored)), left.filter((m) => !m.rows[0].stored)]
    const ids = new Map<Merged, number>()
    for (const part of parts) {
      let merged = part
      let written: number[] | undefined
      // Records breaking an agreement or a limit are found only once written: the part
      // is taken back to before its write, their lines are named (and fail),
      // and the rest is written again, so the import goes on and names every
      // such line of the file. Each round leaves out at least one record.
      while (merged.length > 0 && !written) {
        await sql`savepoint tessera_import_batch`.execute(trx)
        const rows = merged.map((m) => ({ values: m.values }))
        const attempt = { ...checked, merged }
        const later = linkedLater && ((records: WrittenRecords['records']) => linkedLater(attempt, records))
        try {
          written = await upsertRows(trx, this.actor, form, spec.key, rows, formCounts, { ...options, ...(later ? { linkedLater: later } : {}) })
          await sql`release savepoint tessera_import_batch`.execute(trx)
        } catch (error) {
          const refused = this.#refusedLines(error, attempt, report)
          await sql`rollback to savepoint tessera_import_batch`.execute(trx)
          merged = merged.filter((_, index) => !refused.has(index))
        }
      }
      merged.forEach((m, i) => written && ids.set(m, written[i]))
    }
    for (const [m, id] of ids) m.rows.forEach((b) => (b.pending.ref[spec.as] = id))
    // Line items replace the record's rows, as a write through the API does (a change to a stored
    // record without them keeps its own).
    const lines = form.definition.fields.filter((field): field is LinesField => field.type === 'lines')
    if (lines.length > 0) {
      const moved: LineChange[] = []
      for (const [m, id] of ids) {
        if (!lines.some((field) => field.key in m.values)) continue
        await writeLines(trx, form, id, m.values)
        const { stored, storedVersion } = m.rows[0]
        const changed = stored ? lines.filter((field) => field.key in m.values && !sameLines(field, stored[field.key], m.values[field.key])) : []
        if (stored && storedVersion !== undefined && changed.length > 0) {
          moved.push({
            id,
            version: storedVersion,
            before: Object.fromEntries(changed.map((field) => [field.key, stored[field.key] ?? []])),
            after: Object.fromEntries(changed.map((field) => [field.key, m.values[field.key] ?? []])),
          })
        }
      }
      // A record whose lines alone changed was left as it was by the upsert: it is a change all the same.
      const bumped = await recordLineChanges(trx, this.actor, form, moved)
      formCounts.updated += bumped
      formCounts.unchanged -= bumped
    }
  }

  /**
   * The records, as stored, that rows of a mapping with a key match (one
   * statement for the ids, one for the records, locked until the import
   * ends), by the key's text (keyOf).
   */
  async #storedByKey(trx: Trx, form: PublishedForm, spec: RecordSpec, built: Built[]): Promise<Map<string, RecordData>> {
    const found = new Map<string, RecordData>()
    if (spec.key.length === 0 || built.length === 0) return found
    const columns = spec.key.map((key) => form.definition.fields.find((field) => field.key === key)!.column!)
    const keyText = sql`jsonb_build_array(${sql.join(columns.map((column) => sql`${sql.ref(`t.${column}`)}::text`))})::text`
    const wanted = [...new Set(built.map((b) => keyOf(spec.key, b.values)))]
    const { rows } = await sql<{ id: number; k: string }>`
      select t.id, ${keyText} as k from ${sql.table(`${form.table.schema}.${form.table.name}`)} as t
      where ${keyText} in (${sql.join(wanted)})`.execute(trx)
    const records = await readStoredRecords(trx, form, rows.map((row) => Number(row.id)))
    for (const row of rows) {
      const record = records.get(Number(row.id))
      if (record) found.set(row.k, record)
    }
    return found
  }

  /**
   * An agreement or limit broken by records of this batch (an allocation
   * dated before its invoice, an invoice moved past its allocations' dates,
   * allocations adding up to more than their invoice) is only found once
   * they are written: each problem is reported on the lines of the records
   * it is about (for a limit, every record of the batch adding to the
   * limited one), on the column its field was read from, and those lines
   * fail. Returns the indexes (into `checked.merged`) of the records
   * refused. Any other error is thrown, a unique or reference violation
   * worded as for a single write.
   */
  #refusedLines(error: unknown, checked: CheckedRows, report: (error: ImportError) => void): Set<number> {
    const refused = rowsOfRefusal(error)
    // A clash #uniqueClashes could not foresee still says which value, not "internal".
    if (!refused || !(error instanceof TesseraError)) throw translateWriteError(error, checked.form, {}, this.locale)
    // Nothing to leave out would write the same records again, and be refused again.
    if (!refused.some((about) => about.length > 0)) throw error
    const { spec, merged } = checked
    error.issues.forEach((issue, index) => {
      const field = issue.field ?? ''
      const column = sourceColumn(spec, field) ?? `${spec.as}.${field}`
      for (const at of refused[index] ?? []) {
        for (const b of merged[at]?.rows ?? []) {
          this.#fail(b.pending, report, column, asWritten(spec, b, field), issue.message)
        }
      }
    })
    return new Set(refused.flat())
  }

  /**
   * Rows whose value of a unique field (or set of fields, other than the
   * key the rows are matched by) another record holds, or an earlier row
   * of the file: each reported on its line (which fails it), on the column
   * the first of those fields came from.
   */
  async #uniqueClashes(trx: Trx, checked: CheckedRows, report: (error: ImportError) => void): Promise<void> {
    const { spec, form, merged } = checked
    const fields = form.definition.fields
    const byKey = new Map(fields.map((field) => [field.key, field]))
    const sameKey = (group: readonly string[]) =>
      group.length === spec.key.length && group.every((key) => spec.key.includes(key))
    const groups = [
      ...fields.filter((field) => 'unique' in field && field.unique === true).map((field) => [field.key]),
      ...(form.definition.uniques ?? []),
    ].filter((group) => !sameKey(group) && group.every((key) => byKey.get(key)?.column && merged.some((m) => key in m.values)))
    const table = sql.table(`${form.table.schema}.${form.table.name}`)
    for (const group of groups) {
      // Empty values never clash: a unique index lets any number of rows leave it empty.
      const tuple = (values: Record<string, unknown>) => group.some((key) => values[key] === null || values[key] === undefined)
        ? undefined
        : JSON.stringify(group.map((key) => String(values[key])))
      const candidates = merged.filter((m) => tuple(m.values) !== undefined)
      if (candidates.length === 0) continue
      const columns = group.map((key) => sql.ref(`t.${byKey.get(key)!.column!}`))
      const keyColumns = spec.key.map((key) => sql.ref(`t.${byKey.get(key)!.column!}`))
      const { rows } = await sql<{ g: string[]; k: string[] }>`
        select array[${sql.join(columns.map((column) => sql`${column}::text`))}] as g,
          array[${sql.join(keyColumns.length > 0 ? keyColumns.map((column) => sql`${column}::text`) : [sql`t.id::text`])}] as k
        from ${table} as t
        where (${sql.join(columns)}) in (${sql.join(candidates.map((m) =>
          sql`(${sql.join(group.map((key) => m.values[key]))})`))})`.execute(trx)
      const stored = new Map(rows.map((row) => [JSON.stringify(row.g), JSON.stringify(row.k)]))
      const labels = group.map((key) => localize(byKey.get(key)!.label, this.locale))
      for (const m of candidates) {
        const value = tuple(m.values)!
        const owner = stored.get(value)
        const mine = spec.key.length > 0 ? JSON.stringify(spec.key.map((key) => String(m.values[key]))) : undefined
        const line = m.rows[0]?.pending.line ?? 0
        // Given by an earlier line of the file (this batch or one before) for another record.
        const seenAt = `${spec.as}\u0000${group.join('+')}\u0000${value}`
        const earlier = this.#uniqueSeen.get(seenAt)
        const shown = group.map((key) => asWritten(spec, m.rows[0], key))
        let message: string | undefined
        if (earlier !== undefined && (mine === undefined || earlier.key !== mine)) {
          message = this.#clash(labels, shown, earlier.line)
        } else if (earlier === undefined && owner !== undefined && owner !== mine) {
          message = this.#clash(labels, shown)
        }
        if (earlier === undefined) this.#uniqueSeen.set(seenAt, { line, key: mine })
        if (message === undefined) continue
        const source = sourceColumn(spec, group[0])
        const column = source ?? `${spec.as}.${group[0]}`
        for (const b of m.rows) this.#fail(b.pending, report, column, asWritten(spec, b, group[0]), message)
      }
    }
  }

  /** "「客户名称」为 "甲" 的记录已存在", or taken by an earlier line of the file. */
  #clash(names: readonly string[], written: readonly unknown[], line?: number): string {
    const { locale } = this
    const labels = names.join(locale === 'en' ? ', ' : '、')
    const shown = written.map((value) => JSON.stringify(value)).join(', ')
    if (line !== undefined) {
      return locale === 'en'
        ? `"${labels}" ${shown} is already given on line ${line}`
        : `「${labels}」为 ${shown} 已在第 ${line} 行出现`
    }
    return locale === 'en' ? `"${labels}" ${shown} is already used by another record` : `「${labels}」为 ${shown} 的记录已存在`
  }

  async #form(trx: Trx, key: string): Promise<PublishedForm> {
    let form = this.#forms.get(key)
    if (!form) {
      form = await this.context.catalog.getForm(this.appKey, key, trx)
      this.#forms.set(key, form)
    }
    return form
  }

  #build(spec: RecordSpec, rows: PendingRow[], report: (error: ImportError) => void): Built[] {
    const built: Built[] = []
    for (const pending of rows) {
      if (pending.failed) continue
      const data = { row: pending.row, ref: pending.ref }
      try {
        if (spec.when !== undefined && !evaluate(spec.when, data)) continue
        const values: Record<string, unknown> = {}
        for (const [field, expr] of Object.entries(spec.values)) {
          const lookup = asLookup(expr)
          const rule = lookup ? lookup.expr : expr
          const path = plainVar(rule)
          values[field] = path === undefined ? evaluate(rule, data) : readVar(data, path)
        }
        built.push({ pending, values })
      } catch (error) {
        this.#fail(pending, report, spec.as, undefined, messageOf(error))
      }
    }
    return built
  }

  async #resolveLookups(trx: Trx, spec: RecordSpec, built: Built[], report: (e: ImportError) => void) {
    for (const [field, expr] of Object.entries(spec.values)) {
      const lookup = asLookup(expr)
      if (!lookup) continue
      const target = await this.#form(trx, lookup.form)
      const named = target.definition.fields.find((f) => f.key === lookup.field)
      const fieldLabel = named ? localize(named.label, this.locale) : lookup.field
      // Only records the actor may read are found, and only by a field they can see: a
      // match among the others would tell them what those hold (and link to them).
      const { condition, hidden } = this.context.records.readScope(this.actor, target)
      if (hidden.has(lookup.field)) {
        for (const b of built) {
          const value = b.values[field]
          if (value === null || value === undefined) continue
          this.#fail(b.pending, report, `${spec.as}.${field}`, value, this.locale === 'en'
            ? `a ${lookup.form} cannot be found by ${lookup.field}, which is hidden from you`
            : `「${fieldLabel}」对你不可见，不能用来查找${localize(target.definition.label, this.locale)}`)
          b.values[field] = null
        }
        continue
      }
      const wanted = [...new Set(built.map((b) => b.values[field]).filter((v) => v !== null && v !== undefined))]
      const ids = new Map<string, number>()
      if (named?.column && wanted.length > 0) {
        const table = sql.table(`${target.table.schema}.${target.table.name}`)
        const { rows } = await sql<{ id: number; v: string }>`
          select s.id, ${sql.ref(`s.${named.column}`)}::text as v from ${table} as s
          where ${sql.ref(`s.${named.column}`)}::text in (${sql.join(wanted.map(String))})
            ${condition ? sql`and ${condition}` : sql``}`.execute(trx)
        for (const r of rows) ids.set(r.v, r.id)
      }
      for (const b of built) {
        const value = b.values[field]
        if (value === null || value === undefined) continue
        const id = ids.get(String(value))
        if (id === undefined) {
          const label = localize(target.definition.label, this.locale)
          this.#fail(b.pending, report, `${spec.as}.${field}`, value, this.locale === 'en'
            ? `no ${lookup.form} has ${lookup.field} = ${JSON.stringify(value)}`
            : `没有「${fieldLabel}」为 ${JSON.stringify(value)} 的${label}`)
        }
        b.values[field] = id ?? null
      }
    }
  }

  /**
   * Links given as ids (a file's id column, a line item's link) may point
   * only at records the actor can read, as a single write's may; any other
   * id is named as missing, the same words as for an id that exists nowhere.
   */
  async #readableLinks(trx: Trx, form: PublishedForm, spec: RecordSpec, built: Built[], report: (e: ImportError) => void) {
    const links: Array<{ path: string; label: string; target: string; ids: (b: Built) => unknown[] }> = []
    for (const field of form.definition.fields) {
      if (field.type === 'link') {
        links.push({ path: field.key, label: localize(field.label, this.locale), target: field.form, ids: (b) => [b.values[field.key]] })
      } else if (field.type === 'lines') {
        for (const line of field.fields) {
          if (line.type !== 'link') continue
          links.push({
            path: `${field.key}.${line.key}`,
            label: `${localize(field.label, this.locale)} · ${localize(line.label, this.locale)}`,
            target: line.form,
            ids: (b) => (Array.isArray(b.values[field.key]) ? b.values[field.key] as Array<Record<string, unknown>> : []).map((item) => item?.[line.key]),
          })
        }
      }
    }
    for (const link of links) {
      const target = await this.#form(trx, link.target)
      const { condition } = this.context.records.readScope(this.actor, target)
      if (!condition) continue
      const given = (b: Built) => link.ids(b).filter((id): id is number => typeof id === 'number')
      const wanted = [...new Set(built.filter((b) => !b.pending.failed).flatMap(given))]
      if (wanted.length === 0) continue
      const table = sql.table(`${target.table.schema}.${target.table.name}`)
      const { rows } = await sql<{ id: number }>`
        select s.id from ${table} as s where s.id in (${sql.join(wanted)}) and ${condition}`.execute(trx)
      const readable = new Set(rows.map((row) => Number(row.id)))
      for (const b of built) {
        if (b.pending.failed) continue
        const missing = given(b).find((id) => !readable.has(id))
        if (missing === undefined) continue
        this.#fail(b.pending, report, `${spec.as}.${link.path}`, missing, this.locale === 'en'
          ? `"${link.label}" points at record ${missing}, which does not exist`
          : `「${link.label}」引用的记录 ${missing} 不存在`)
      }
    }
  }

  async #validate(trx: Trx, form: PublishedForm, spec: RecordSpec, built: Built, report: (e: ImportError) => void) {
    if (built.pending.failed) return false
    try {
      const { records } = this.context
      const { stored } = built
      if (stored) {
        // A row matching a stored record changes it as an update would: the fields the file
        // leaves out keep their values, and formulas and rules read them.
        const checked = await records.checkStoredChange(trx, form, stored, built.values, this.locale)
        built.full = await records.logic.forImport(trx, form, { ...stored, ...checked }, this.locale)
        built.values = changes(form, stored, checked, built.full)
        return true
      }
      // A new record takes a select's default for a field the file has no column for, as one
      // created in the form or through the API does (an invoice's 有争议 否). A date's today and a
      // member's creator are not filled in: a file that leaves out a required date says so.
      const defaulted = withCreateDefaults(form, built.values, this.actor, undefined, 'options').values as Record<string, unknown>
      const checked = await records.checkWhole(trx, form, defaulted, this.locale)
      built.values = await records.logic.forImport(trx, form, checked, this.locale)
      return true
    } catch (error) {
      if (isTesseraError(error) && error.issues.length > 0) {
        for (const issue of error.issues) {
          const value = issue.field ? built.values[issue.field] : undefined
          this.#fail(built.pending, report, `${spec.as}.${issue.field ?? ''}`, value, issue.message)
        }
        return false
      }
      throw error
    }
  }

  /**
   * Whether the row leaves closed periods alone: a new record dated in
   * one, or a change to a stored record dated in one before or after the
   * change, fails its line on the period field. A row matching a stored
   * record of a closed period and changing nothing passes: importing the
   * same file again is not a change.
   */
  #periodOpen(form: PublishedForm, spec: RecordSpec, built: Built, through: string | null, report: (e: ImportError) => void): boolean {
    const key = form.definition.periodField
    if (!key || !through) return true
    const { stored, full } = built
    const concealed = this.context.records.readScope(this.actor, form).hidden.has(key)
    const given = stored ? (full ?? stored)[key] : built.values[key]
    const issue = stored
      ? changesStored(form, stored, full ?? {}) &&
        closedPeriodIssue(form, through, 'update', { before: stored[key], after: given }, this.locale, concealed)
      : closedPeriodIssue(form, through, 'create', { after: given }, this.locale, concealed)
    if (!issue) return true
    // The cell holds the date the file gives; the message names the one that is closed (the stored one, for a change).
    this.#fail(built.pending, report, sourceColumn(spec, key) ?? `${spec.as}.${key}`, concealed ? undefined : given, issue.message)
    return false
  }

  /**
   * A key met again in the same file must come with the same values (a
   * customer repeated on every invoice line); different values would make
   * the last row silently win, so that row is reported instead.
   */
  #sameAsBefore(spec: RecordSpec, form: PublishedForm, built: Built, report: (e: ImportError) => void): boolean {
    // Without key fields every row is a record of its own.
    if (spec.key.length === 0) return true
    const seen = this.#firstSeen.get(spec.as) ?? new Map<string, { line: number; values: string }>()
    this.#firstSeen.set(spec.as, seen)
    const key = keyOf(spec.key, built.values)
    // A digest rather than the values themselves keeps memory small per key.
    const values = createHash('sha1')
      .update(JSON.stringify(Object.entries(built.values).sort(([a], [b]) => a.localeCompare(b))))
      .digest('base64').slice(0, 16)
    const first = seen.get(key)
    if (!first) {
      seen.set(key, { line: built.pending.line, values })
      return true
    }
    if (first.values === values) return true
    const shown = spec.key.map((k) => `${k} = ${JSON.stringify(built.values[k])}`).join(', ')
    const labels = spec.key.map((k) => {
      const field = form.definition.fields.find((f) => f.key === k)
      return `「${field ? localize(field.label, 'zh-CN') : k}」为 ${JSON.stringify(built.values[k])}`
    }).join('、')
    this.#fail(built.pending, report, `${spec.as}.${spec.key.join('+')}`, built.values[spec.key[0]], this.locale === 'en'
      ? `${spec.as} with ${shown} already appears on line ${first.line} with different values`
      : `${labels} 的${localize(form.definition.label, 'zh-CN')}已在第 ${first.line} 行出现，但其他值不同`)
    return false
  }

  #fail(pending: PendingRow, report: (e: ImportError) => void, column: string, value: unknown, message: string) {
    pending.failed = true
    report({ line: pending.line, column, value, message })
  }
}

/** The file column a field's value is read from, when it is read from one (a link by its title too). */
function sourceColumn(spec: RecordSpec, field: string): string | undefined {
  const expr = spec.values[field]
  const lookup = asLookup(expr)
  const path = plainVar(lookup ? lookup.expr : expr)
  return path?.startsWith('row.') ? path.slice(4) : undefined
}

/** A field's value as the file wrote it (a receipt's number, not its id), else as it was read. */
function asWritten(spec: RecordSpec, built: Built | undefined, field: string): unknown {
  if (!built) return undefined
  const column = sourceColumn(spec, field)
  return column !== undefined && Object.hasOwn(built.pending.row, column) ? built.pending.row[column] : built.values[field]
}

/** The path of a rule that is only `{ "var": "row.x" }`, the commonest value by far. */
function plainVar(rule: unknown): string | undefined {
  if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) return undefined
  const keys = Object.keys(rule)
  const path = (rule as { var?: unknown }).var
  return keys.length === 1 && typeof path === 'string' && path !== '' ? path : undefined
}

/**
 * What json-logic's `var` reads, without the evaluator: own properties
 * only (so no path reaches the prototype chain), null when missing.
 */
function readVar(data: unknown, path: string): unknown {
  let current = data
  for (const segment of path.split('.')) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, segment)) return null
    current = (current as Record<string, unknown>)[segment]
  }
  return current ?? null
}

/** Rows of one batch, built and checked, waiting to be written. */
export interface CheckedRows {
  spec: RecordSpec
  form: PublishedForm
  merged: Merged[]
}

type Merged = { values: Record<string, unknown>; rows: Built[] }

/** Rows that upsert the same record must go into one statement as one row. */
function mergeByKey(keys: string[], built: Built[]) {
  if (keys.length === 0) return built.map((b) => ({ values: b.values, rows: [b] }))
  const groups = new Map<string, { values: Record<string, unknown>; rows: Built[] }>()
  for (const b of built) {
    const key = keyOf(keys, b.values)
    const group = groups.get(key)
    if (group) {
      Object.assign(group.values, b.values)
      group.rows.push(b)
    } else {
      groups.set(key, { values: { ...b.values }, rows: [b] })
    }
  }
  return [...groups.values()]
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
