import { isDeepStrictEqual } from 'node:util'
import { sql } from 'kysely'
import {
  TesseraError,
  type Actor,
  type FormAction,
  type Locale,
  type PublishedForm,
  type RecordData,
} from '@tessera/core'
import { createValidator, normalizeValues, prepareRecord } from '@tessera/forms'
import type { Permissions } from './access/permissions.js'
import { type ReadScope, WriteGuard } from './access/write-guard.js'
import { linkingRecords, stillLinked } from './write/linked-from.js'
import { historyInTodaysFields } from './history-keys.js'
import {
  auditInsert,
  originContext,
  recordAudit,
  writeAudit,
  type AuditOrigin,
  type AuditRow,
} from './audit/audit-log.js'
import type { Catalog } from './catalog.js'
import { nameHistory } from './history-names.js'
import type { Database, Executor, Trx } from './database.js'
import {
  MAX_PAGE_SIZE,
  RecordQuery,
  type ListOptions,
  type RecordPage,
  type RowScope,
} from './record-query.js'
import { valuesToColumns } from './record-rows.js'
import { pickerCondition, type PickerReads } from './picker-condition.js'
import { readsAsStored } from './reads-as-stored.js'
import { addPeopleTitles } from './people-titles.js'
import { omitKeys, resolveReferences, sentAsDefault, withCreateDefaults } from './write/people-refs.js'
import { overLimitRefusal, totalChanges, type RevealTotals } from './write/constraints.js'
import { refuseClosedPeriod } from './write/closed-periods.js'
import { addToTotals, changeText, type LimitRow } from './write/limit-totals.js'
import { compileTemplate, runTemplate, Slot } from './write/statement-template.js'
import { invalidValues, RecordLogic, type OneStatementPlan } from './write/record-logic.js'
import { insertAndRead, insertInto, insertRecord } from './write/insert-record.js'
import { Rider } from './write/rider.js'
import { recordNotFound, translateWriteError } from './write-errors.js'
import { PREPARE } from './prepared-statements.js'
import { withRetries } from './write/retries.js'

/** The most records one export may hold. */
export const MAX_EXPORT_ROWS = 100_000

/** Compiled create statements kept per form (one per set of columns written). */
const MAX_TEMPLATES = 16

export interface WriteOptions {
  locale?: Locale
  /** Run inside this transaction instead of a new one. */
  trx?: Trx
  /** Where the request came from, for the audit trail. */
  origin?: AuditOrigin
}

export interface ReadOptions {
  locale?: Locale
}

export interface OptionsRequest extends ReadOptions {
  /** The link being picked (`allocation.invoice`): its form's agreements narrow the records offered. */
  for?: { form: string; field: string }
  /** The values of the record being filled in that those agreements read. */
  values?: Readonly<Record<string, unknown>>
}

export interface RecordServiceOptions {
  /** A bare row scope (tests, tools); ignored when `permissions` is given. */
  scope?: RowScope
  /**
   * The permission engine. With it every call checks the actor's action on
   * the form, row reach and field rules; without it (the store's own tests,
   * trusted tools) everything is allowed.
   */
  permissions?: Permissions
}

/**
 * Reads and writes records of any published form: permissions, validation
 * against the form's schema, the write itself, and an audit row with the
 * values before and after, in one transaction.
 */
export class RecordService {
  readonly query: RecordQuery
  readonly #database: Database
  readonly #catalog: Catalog
  readonly #validator = createValidator()
  /** Reads without any scope: the truth the audit trail records. */
  readonly #raw: RecordQuery
  readonly #guard: WriteGuard | undefined
  /** Formulas, conditions, rules and autonumbers of each write. */
  readonly #logic: RecordLogic

  /** The form logic of writes, for the importer, which writes in bulk. */
  get logic(): RecordLogic {
    return this.#logic
  }

  constructor(database: Database, catalog: Catalog, options: RecordServiceOptions = {}) {
    this.#database = database
    this.#catalog = catalog
    const { permissions } = options
    this.query = new RecordQuery(catalog, permissions ? permissions.readPolicy : options.scope)
    this.#raw = new RecordQuery(catalog)
    this.#guard = permissions && new WriteGuard(permissions, catalog)
    this.#logic = new RecordLogic(catalog)
  }

  async list(actor: Actor, app: string, formKey: string, options: ListOptions & ReadOptions = {}): Promise<RecordPage> {
    const form = await this.#form(actor, app, formKey, 'read', options.locale)
    const page = await this.query.list(this.#database.db, actor, form, options)
    const items = page.items.map((record) => this.#shown(actor, form, record))
    await addPeopleTitles(this.#database.db, form, items)
    return { ...page, items }
  }

  async get(actor: Actor, app: string, formKey: string, id: number, options: ReadOptions = {}): Promise<RecordData> {
    const form = await this.#form(actor, app, formKey, 'read', options.locale)
    const record = this.#shown(actor, form, await this.query.get(this.#database.db, actor, form, id))
    await addPeopleTitles(this.#database.db, form, [record])
    return record
  }

  /** The published form, once the actor is known to may read it (else throws). */
  async readableForm(actor: Actor, app: string, formKey: string, options: ReadOptions = {}) {
    return this.#form(actor, app, formKey, 'read', options.locale)
  }

  /** Id and title of records the actor may read, for link pickers. */
  async options(actor: Actor, app: string, formKey: string, q?: string, limit?: number, options: OptionsRequest = {}) {
    const form = await this.#form(actor, app, formKey, 'read', options.locale)
    const locale = options.locale ?? 'zh-CN'
    const narrowing = options.for
      ? await pickerCondition(this.#pickerReads(actor, app, locale), form, options.for, options.values ?? {}, locale)
      : undefined
    return this.query.options(this.#database.db, actor, form, q, limit, narrowing)
  }

  /** How a picker's condition reads forms, hidden fields and linked values: as the actor. */
  #pickerReads(actor: Actor, app: string, locale: Locale): PickerReads {
    return {
      // The form being filled in: one the actor may create, change or read records of.
      form: async (key) => {
        const form = await this.#catalog.getForm(app, key)
        let refusal: unknown
        for (const action of ['create', 'update', 'read'] as const) {
          try {
            await this.#guard?.prepare(actor, form, action, locale)
            return form
          } catch (error) {
            if (!(error instanceof TesseraError && error.code === 'auth.forbidden')) throw error
            refusal ??= error
          }
        }
        throw refusal
      },
      hidden: (form) => this.#guard?.readScope(actor, form).hidden,
      linkedValue: async (formKey, id, field) => {
        let linked: PublishedForm
        try {
          linked = await this.#form(actor, app, formKey, 'read', locale)
        } catch (error) {
          if (error instanceof TesseraError && error.code === 'auth.forbidden') return undefined
          throw error
        }
        const record = await this.query.find(this.#database.db, actor, linked, id)
        return record && this.#shown(actor, linked, record).values[field]
      },
    }
  }

  /**
   * Every record of a list (filter, q and sort as for `list`) for a file
   * download: the rows the actor may both read and export, hidden fields
   * left out, at most MAX_EXPORT_ROWS. Audited as "record.export" with the
   * query and the row count.
   */
  async export(
    actor: Actor,
    app: string,
    formKey: string,
    options: Omit<ListOptions, 'page' | 'pageSize'> & WriteOptions & {
      /** What `where` came from (a dashboard drill), for the audit row. */
      drill?: unknown
    } = {},
  ): Promise<{ form: PublishedForm; records: RecordData[] }> {
    const locale = options.locale ?? 'zh-CN'
    const form = await this.#form(actor, app, formKey, 'export', locale)
    const allowed = this.#guard?.listCondition(actor, form, 'export')
    const where = allowed && options.where
      ? sql<boolean>`(${allowed}) and (${options.where})`
      : allowed ?? options.where
    const query = { filter: options.filter, q: options.q, sort: options.sort, where, countUpTo: MAX_EXPORT_ROWS }
    const records: RecordData[] = []
    for (let after: string | undefined; ;) {
      const found = await this.query.list(this.#database.db, actor, form, { ...query, after, pageSize: MAX_PAGE_SIZE })
      if (!found.totalExact) {
        throw new TesseraError('request.invalid', locale === 'en'
          ? `the export of form "${form.key}" would hold more than ${MAX_EXPORT_ROWS} records; narrow the filter`
          : `表单「${form.key}」的导出将超过 ${MAX_EXPORT_ROWS} 条记录的上限，请缩小筛选范围`, {
          details: { form: form.key, total: found.total, max: MAX_EXPORT_ROWS },
        })
      }
      const shown = found.items.map((record) => this.#shown(actor, form, record))
      await addPeopleTitles(this.#database.db, form, shown)
      records.push(...shown)
      if (!found.next) break
      after = found.next
    }
    await writeAudit(this.#database.db, {
      actor: actor.id, action: 'record.export', app: form.app, form: form.key,
      context: {
        ...originContext(options.origin),
        filter: options.filter ?? null, q: options.q ?? null, sort: options.sort ?? null, rows: records.length,
        ...(options.drill === undefined ? {} : { drill: options.drill }),
      },
    })
    return { form, records }
  }

  /** Validates `values` for a write and returns them normalized, or throws. */
  check(form: PublishedForm, values: unknown, locale: Locale, partial = false) {
    const issues = this.#validator.validate(form, values, { locale, partial })
    if (issues.length > 0) {
      throw invalidValues(form, issues, locale)
    }
    return normalizeValues(form, values as Record<string, unknown>)
  }

  /**
   * `check` for a whole record (a create, an imported row): when fields are
   * refused, the form's cross-field rules that read none of them are run
   * too and their problems added, so that a user meets every problem at
   * once rather than one after the other (a negative amount, then a due
   * date before the invoice date). Rules reading a refused field are
   * skipped, as the browser skips them.
   */
  async checkWhole(db: Executor, form: PublishedForm, values: unknown, locale: Locale): Promise<Record<string, unknown>> {
    try {
      return this.check(form, values, locale)
    } catch (error) {
      throw await this.#withRules(db, form, error, values, locale, {})
    }
  }

  /**
   * The refusal `error` of `values`, with the problems of the form's rules
   * that read no refused field added, the rules run over `stored` (the
   * record an update changes; empty for a new one) with the accepted values
   * over it. Any other error comes back as it is.
   */
  async #withRules(
    db: Executor,
    form: PublishedForm,
    error: unknown,
    values: unknown,
    locale: Locale,
    stored: Record<string, unknown>,
  ): Promise<unknown> {
    const plain = typeof values === 'object' && values !== null && !Array.isArray(values)
    if (!(error instanceof TesseraError) || error.code !== 'validation.failed' || !plain) return error
    const invalid = new Set(error.issues.map((issue) => (issue.field ?? '').split(/[.[]/)[0]))
    const rest = Object.fromEntries(Object.entries(values as Record<string, unknown>).filter(([key]) => !invalid.has(key)))
    const context = await this.#logic.context(db, locale)
    const whole = { ...stored, ...normalizeValues(form, rest) }
    const ruled = prepareRecord(form, whole, { ...context, invalid })
      .issues.filter((issue) => issue.rule === 'rule' && !invalid.has(issue.field ?? ''))
    if (ruled.length === 0) return error
    return invalidValues(form, [...error.issues, ...ruled], locale)
  }

  /**
   * `check` for a change to a stored record whose values are all at hand
   * (an imported row matching an existing record by key): only the fields
   * given are checked, and on a refusal the form's rules that read none of
   * them are run over the stored values with the change, as for an update.
   */
  async checkStoredChange(
    db: Executor,
    form: PublishedForm,
    stored: Record<string, unknown>,
    values: unknown,
    locale: Locale,
  ): Promise<Record<string, unknown>> {
    try {
      return this.check(form, values, locale, true)
    } catch (error) {
      throw await this.#withRules(db, form, error, values, locale, stored)
    }
  }

  /**
   * A partial update's `check`, with the form's rules that read no refused
   * field run over the stored record and the accepted values, as checkWhole
   * does for a create. The record is read only when a field is refused, and
   * only if `actor` may update it (else the field's refusal comes alone).
   */
  async #checkChange(db: Executor, actor: Actor, form: PublishedForm, id: number, values: unknown, locale: Locale) {
    try {
      return this.check(form, values, locale, true)
    } catch (error) {
      let stored: Record<string, unknown>
      try {
        if (this.#guard) await this.#guard.assertReach(db as Trx, actor, form, id, 'update', locale)
        stored = (await this.#raw.get(db, actor, form, id)).values
      } catch {
        throw error
      }
      throw await this.#withRules(db, form, error, values, locale, stored)
    }
  }

  /**
   * What `actor` may find of a form's records, for writers that resolve
   * records themselves (an import's lookups and links): the rows they may
   * read, as a condition on alias `s` (none: every row), and the fields
   * hidden from them. Everything without permissions.
   */
  readScope(actor: Actor, form: PublishedForm): ReadScope {
    return this.#guard?.readScope(actor, form) ?? { hidden: new Set() }
  }

  /**
   * The fields whose `visibleWhen` is false for a record of these values
   * (its formulas and line rollups computed first): stored empty whatever
   * is sent for them. Nothing to work out on a form without conditions.
   */
  async #hiddenByCondition(db: Executor, form: PublishedForm, values: Record<string, unknown>, locale: Locale) {
    if (!form.definition.fields.some((field) => field.visibleWhen !== undefined)) return new Set<string>()
    return new Set(prepareRecord(form, values, await this.#logic.context(db, locale)).hidden)
  }

  /** Whether the form's period field is hidden from `actor`: a closed-period refusal then quotes no date. */
  #periodHidden(actor: Actor, form: PublishedForm): boolean {
    const key = form.definition.periodField
    return key !== undefined && this.readScope(actor, form).hidden.has(key)
  }

  /** Whether a broken constraint's figures may be told to `actor` (all, without permissions). */
  revealTotals(actor: Actor): RevealTotals {
    return this.#guard?.revealTotals(actor) ?? (() => true)
  }

  async create(actor: Actor, app: string, formKey: string, values: unknown, options: WriteOptions = {}) {
    const locale = options.locale ?? 'zh-CN'
    const form = await this.#form(actor, app, formKey, 'create', locale, options.trx)
    // Defaults come first, so a required member defaulting to the actor (or a
    // date to today) passes; they are the platform's doing, not a write of a field.
    const { today } = await this.#logic.context(options.trx ?? this.#database.db, locale)
    const given = this.#guard ? this.#guard.blanksLeftToDefault(actor, form, values) : values
    const defaults = withCreateDefaults(form, given, actor, today)
    const clean = await this.checkWhole(options.trx ?? this.#database.db, form, defaults.values, locale)
    const defaulted = [...defaults.filled, ...sentAsDefault(form, clean, actor, today)]
    this.#guard?.assertFields(actor, form, omitKeys(clean, defaulted), undefined, locale)
    const named = (error: unknown) => this.#namedConflict(error, actor, form, clean, locale, options.trx)
    if (!options.trx && this.#guard?.createsInReach(actor, form) !== false) {
      const plan = await this.#logic.oneStatement(this.#database.db, form)
      if (plan) {
        return withRetries(() => this.#createInOneStatement(actor, form, clean, plan, locale, options))
          .catch(async (error: unknown) => {
            throw await named(error)
          })
      }
    }
    return this.#inTransaction(options.trx, async (trx) => {
      await this.#guard?.assertLinks(trx, actor, form, clean, locale)
      const checked = await resolveReferences(trx, form, clean, actor, locale)
      const full = await this.#logic.forCreate(trx, form, checked, locale)
      await refuseClosedPeriod(trx, form, 'create', { after: full[form.definition.periodField ?? ''] }, locale,
        this.#periodHidden(actor, form))
      const reveal = this.#guard?.revealTotals(actor)
      const audit = (stored: RecordData) => auditInsert({
        actor: actor.id, action: 'record.create', app: form.app, form: form.key, recordId: stored.id,
        after: stored.values, context: originContext(options.origin),
      })

      // When nothing after the insert changes the new row, the insert reads
      // it back itself (locking the records its rollups and limits reach on
      // the way) and the audit line rides along with the next statement.
      if (!(await this.#logic.rewritesNewRecord(trx, form))) {
        const lock = await this.#logic.lockAhead(trx, form, full)
        const { record: stored, locked } = await insertAndRead(trx, this.#raw, actor, form, full, locale, {
          lock: lock?.statement,
        })
        await this.#logic.afterWrite(trx, form, stored.id, undefined, full, locale, reveal, {
          rider: new Rider(audit(stored)),
          locked: lock !== undefined,
          applied: lock?.applies ? new Map([[lock.applies, locked as unknown as LimitRow[]]]) : undefined,
        })
        await this.#guard?.assertStillInReach(trx, actor, form, stored.id, 'create', locale)
        return this.#readBack(trx, actor, form, stored)
      }

      const id = await insertRecord(trx, actor, form, full, locale)
      await this.#logic.afterWrite(trx, form, id, undefined, full, locale, reveal)
      await this.#guard?.assertStillInReach(trx, actor, form, id, 'create', locale)
      const stored = await this.#raw.get(trx, actor, form, id)
      await audit(stored).execute(trx)
      return this.#readBack(trx, actor, form, stored)
    }).catch(async (error: unknown) => {
      throw await named(error)
    })
  }

  /**
   * A create as one statement, in no transaction (see RecordLogic.oneStatement):
   * the constraint's total is added to and checked, the record inserted
   * and read back, and its audit line written, all or nothing. The checks
   * that read come first; none of them reads what the statement changes.
   * The statement is compiled once per form and set of columns.
   */
  async #createInOneStatement(
    actor: Actor,
    form: PublishedForm,
    clean: Record<string, unknown>,
    plan: OneStatementPlan,
    locale: Locale,
    options: WriteOptions,
  ) {
    const db = this.#database.db
    await this.#guard?.assertLinks(db, actor, form, clean, locale)
    const full = await this.#logic.forCreate(db, form, clean, locale)
    const { edge } = plan
    const parentId = edge ? full[edge.constraint.per] : undefined
    const locking = edge !== undefined && typeof parentId === 'number'
    const keys = Object.keys(valuesToColumns(form, full))
    const shape = `${keys.join(',')}|${locking}`
    let template = plan.templates.get(shape)
    if (!template) {
      const slotted = Object.fromEntries(
        form.definition.fields.filter((field) => keys.includes(field.column!)).map((field) => [field.key, new Slot(`v:${field.key}`)]))
      const insert = sql`${insertInto(form, { ...actor, id: new Slot('actor') as never }, slotted)} returning *`
      const lock = locking ? addToTotals(edge, [{ id: new Slot('lock.id') as never, delta: new Slot('lock.delta') as never }]) : undefined
      const audit = sql`insert into tessera.audit (actor, action, app_key, form_key, record_id, before, after, context)
        select ${new Slot('actor')}, 'record.create', ${form.app}, ${form.key}, t.id, null, ${plan.after},
          ${new Slot('context')}::jsonb
        from inserted as t`
      const statement = await this.#raw.insertedStatement(db, actor, form, insert, { lock, audit, refuse: locking })
      template = compileTemplate(db, statement)
      // A form whose creates fill ever other fields would compile without end: only so many are kept.
      if (plan.templates.size < MAX_TEMPLATES) plan.templates.set(shape, template)
    }

    const context = originContext(options.origin)
    const values = new Map<string, unknown>([['actor', actor.id], ['context', context ? JSON.stringify(context) : null]])
    for (const field of form.definition.fields) values.set(`v:${field.key}`, full[field.key] ?? null)
    if (locking) {
      const change = totalChanges(edge, { form, records: [{ after: full }], complete: true })!
      values.set('lock.id', parentId)
      values.set('lock.delta', changeText(edge, change.get(parentId)!))
    }
    try {
      const { rows } = await runTemplate<Record<string, unknown>>(db, template, values)
      const { record } = await this.#raw.readInserted(db, form, rows[0])
      return await this.#readBack(db, actor, form, record)
    } catch (error) {
      const translated = translateWriteError(error, form, full, locale)
      throw locking ? overLimitRefusal(translated, edge, locale, this.#guard?.revealTotals(actor)) : translated
    }
  }

  async update(
    actor: Actor,
    app: string,
    formKey: string,
    id: number,
    change: { version: number; values: unknown },
    options: WriteOptions = {},
  ): Promise<RecordData> {
    const locale = options.locale ?? 'zh-CN'
    const form = await this.#form(actor, app, formKey, 'update', locale, options.trx)
    const clean = await this.#checkChange(options.trx ?? this.#database.db, actor, form, id, change.values, locale)
    // The record's values as the write would leave them, to name a refused duplicate.
    let whole: Record<string, unknown> = clean
    return this.#inTransaction(options.trx, async (trx) => {
      const before = await this.#lockCurrent(trx, actor, form, id, 'update', locale, change.version)
      whole = { ...before.values, ...clean }
      this.#guard?.assertFields(actor, form, clean, before, locale, await this.#hiddenByCondition(trx, form, whole, locale))
      await this.#guard?.assertLinks(trx, actor, form, clean, locale)
      const checked = await resolveReferences(trx, form, clean, actor, locale, before.values)
      const written = await this.#logic.forUpdate(trx, form, before.values, checked, locale)
      // Nothing differs from what is stored (a form saved as it was): no new version, no history line.
      if (Object.entries(written).every(([key, value]) => isDeepStrictEqual(before.values[key] ?? null, value ?? null))) {
        return this.#readBack(trx, actor, form, before)
      }
      const period = form.definition.periodField ?? ''
      await refuseClosedPeriod(trx, form, 'update', {
        before: before.values[period],
        after: Object.hasOwn(written, period) ? written[period] : before.values[period],
      }, locale, this.#periodHidden(actor, form))
      const columns = valuesToColumns(form, written)
      const sets = Object.entries(columns).map(([c, v]) => sql`${sql.id(c)} = ${v}`)
      sets.push(sql`_version = _version + 1`, sql`_updated_at = now()`, sql`_updated_by = ${actor.id}`)
      try {
        await sql`${PREPARE}update ${table(form)} set ${sql.join(sets)} where id = ${id}`.execute(trx)
      } catch (error) {
        throw translateWriteError(error, form, { ...before.values, ...written }, locale)
      }
      const merged = { ...before.values, ...written }
      const reveal = this.#guard?.revealTotals(actor)
      await this.#logic.afterWrite(trx, form, id, before.values, merged, locale, reveal)
      await this.#guard?.assertStillInReach(trx, actor, form, id, 'update', locale)
      const after = await this.#raw.get(trx, actor, form, id)
      await writeAudit(trx, {
        actor: actor.id, action: 'record.update', app: form.app, form: form.key, recordId: id,
        before: before.values, after: after.values, context: originContext(options.origin),
      })
      return this.#readBack(trx, actor, form, after)
    }).catch(async (error: unknown) => {
      throw await this.#namedConflict(error, actor, form, whole, locale, options.trx)
    })
  }

  async delete(
    actor: Actor,
    app: string,
    formKey: string,
    id: number,
    options: WriteOptions & { version?: number } = {},
  ) {
    const locale = options.locale ?? 'zh-CN'
    const form = await this.#form(actor, app, formKey, 'delete', locale, options.trx)
    let linked: unknown
    try {
      await this.#inTransaction(options.trx, async (trx) => {
        const before = await this.#lockCurrent(trx, actor, form, id, 'delete', locale, options.version)
        await refuseClosedPeriod(trx, form, 'delete', { before: before.values[form.definition.periodField ?? ''] }, locale,
          this.#periodHidden(actor, form))
        try {
          await sql`delete from ${table(form)} where id = ${id}`.execute(trx)
        } catch (error) {
          if ((error as { code?: string } | undefined)?.code === '23503') linked = error
          throw translateWriteError(error, form, {}, locale)
        }
        const reveal = this.#guard?.revealTotals(actor)
        await this.#logic.afterWrite(trx, form, id, before.values, undefined, locale, reveal)
        await writeAudit(trx, {
          actor: actor.id, action: 'record.delete', app: form.app, form: form.key, recordId: id,
          before: before.values, context: originContext(options.origin),
        })
      })
    } catch (error) {
      // Still linked from other records: once the failed transaction has ended, the refusal
      // names which (those the deleter may read). Inside a caller's transaction nothing more
      // can be read, so the plain refusal stands.
      if (linked === undefined || options.trx !== undefined) throw error
      const linking = await linkingRecords(this.#database.db, this.#catalog, this.#guard, actor, form, id)
      throw stillLinked(form, linking, locale, linked)
    }
  }

  /**
   * The audit rows of one record, oldest first, for anyone who may read
   * it; values of fields hidden from the actor are left out of before and
   * after. A deleted record's history stays readable by those who may read
   * every row of the form.
   */
  async history(actor: Actor, app: string, formKey: string, id: number, options: ReadOptions = {}): Promise<AuditRow[]> {
    const locale = options.locale ?? 'zh-CN'
    const form = await this.#form(actor, app, formKey, 'read', locale)
    const exists = await this.#raw.find(this.#database.db, actor, form, id)
    if (exists) {
      await this.query.get(this.#database.db, actor, form, id)
    } else if (this.#guard && this.#guard.readsEveryRow(actor, form) === false) {
      throw recordNotFound(form, id)
    }
    const guard = this.#guard
    // Keys of the day become today's (a renamed field), before today's field rules hide any.
    const stored = await historyInTodaysFields(this.#database.db, form,
      await recordAudit(this.#database.db, app, form.key, id),
      !guard || guard.seesEveryField(actor, form))
    const rows = guard
      ? stored.map((row) => ({
          ...row,
          before: guard.shownValues(actor, form, row.before),
          after: guard.shownValues(actor, form, row.after),
        }))
      : stored
    await nameHistory(this.#database.db, this.query, actor, form, rows)
    return rows
  }

  /**
   * A refused duplicate that names a linked record by its title rather than
   * its id. The failed statement ended the transaction, so the titles are
   * read after it, through the actor's own scope (a record they may not
   * read stays "#id"); inside a caller's transaction the error stays as is.
   */
  async #namedConflict(
    error: unknown,
    actor: Actor,
    form: PublishedForm,
    values: Record<string, unknown>,
    locale: Locale,
    trx: Trx | undefined,
  ): Promise<unknown> {
    if (trx || !(error instanceof TesseraError) || error.code !== 'conflict.unique') return error
    const keys = (error.details.fields ?? []) as string[]
    const links = form.definition.fields.filter((f) => f.type === 'link' && keys.includes(f.key))
    if (links.length === 0) return error
    const probe: RecordData = { id: 0, version: 0, values: { ...values }, titles: {} } as RecordData
    await this.query.addLinkTitles(this.#database.db, actor, form, [probe])
    return translateWriteError(error.cause, form, values, locale, probe.titles ?? undefined)
  }

  /** The form, once the actor may `action` it; reads through `trx` when the caller has one open. */
  async #form(actor: Actor, app: string, formKey: string, action: FormAction, locale: Locale = 'zh-CN', trx?: Trx) {
    const form = await this.#catalog.getForm(app, formKey, trx)
    await this.#guard?.prepare(actor, form, action, locale, trx)
    return form
  }

  #shown(actor: Actor, form: PublishedForm, record: RecordData): RecordData {
    return this.#guard ? this.#guard.shown(actor, form, record) : record
  }

  /**
   * The written record as the actor sees it: through their read scope when
   * they may read it, else as stored without link titles (which could name
   * records out of their reach).
   */
  async #readBack(trx: Executor, actor: Actor, form: PublishedForm, stored: RecordData) {
    // A reader who sees the form as stored would read the same row again.
    const same = await readsAsStored(trx, this.#catalog, this.query, this.#raw, actor, form)
    const visible = same
      ? { ...stored, values: { ...stored.values }, titles: { ...stored.titles } }
      : await this.query.find(trx, actor, form, stored.id)
    const record = this.#shown(actor, form, visible ?? { ...stored, titles: {} })
    await addPeopleTitles(trx, form, [record])
    return record
  }

  /** The stored record (every field, for the audit), once the actor may change it. */
  async #lockCurrent(
    trx: Trx,
    actor: Actor,
    form: PublishedForm,
    id: number,
    action: FormAction,
    locale: Locale,
    version?: number,
  ) {
    if (this.#guard) await this.#guard.assertReach(trx, actor, form, id, action, locale)
    else await this.query.get(trx, actor, form, id)
    // Locked first, then read: what a concurrent writer committed meanwhile
    // (or its delete) is what this write starts from, so the totals it
    // moves are taken off the amounts really stored. An update takes the
    // lock that leaves links to the record alone (a foreign-key check of a
    // record linking here holds KEY SHARE, which FOR UPDATE would queue
    // behind, in a circle with that writer's own locks).
    const mode = action === 'delete' ? sql`for update` : sql`for no key update`
    const { rows } = await sql<{ v: number }>`
      ${PREPARE}select _version as v from ${table(form)} where id = ${id} ${mode}`.execute(trx)
    if (rows.length === 0) throw recordNotFound(form, id)
    const current = await this.#raw.get(trx, actor, form, id)
    const stored = rows[0].v
    if (version !== undefined && stored !== version) {
      throw new TesseraError('conflict.version', `record ${id} of form "${form.key}" was changed by someone else (version ${stored}, yours ${version}); reload it and try again`, {
        details: { form: form.key, id, expected: version, found: stored },
        messages: {
          'zh-CN': `记录 #${id} 已被他人修改（当前版本 ${stored}，您编辑的是版本 ${version}），请重新加载后再保存`,
          en: `record ${id} of form "${form.key}" was changed by someone else (version ${stored}, yours ${version}); reload it and try again`,
        },
      })
    }
    return current
  }

  /**
   * Runs `fn` in the caller's transaction, or in one of its own. A
   * transaction of its own that PostgreSQL chose as a deadlock's victim
   * (or could not serialize) was rolled back whole, and runs again, up to
   * three times in all; then the writer is told to try again.
   */
  async #inTransaction<T>(trx: Trx | undefined, fn: (trx: Trx) => Promise<T>): Promise<T> {
    if (trx) return fn(trx)
    return withRetries(() => this.#database.transaction(fn))
  }
}

function table(form: PublishedForm) {
  return sql.table(`${form.table.schema}.${form.table.name}`)
}

