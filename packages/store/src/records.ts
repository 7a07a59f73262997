import { sql } from 'kysely'
import {
  SYSTEM_COLUMNS,
  TesseraError,
  type Actor,
  type Locale,
  type PublishedForm,
  type RecordData,
} from '@tessera/core'
import { createValidator, normalizeValues } from '@tessera/forms'
import type { Catalog } from './catalog.js'
import type { Database, Executor, Trx } from './database.js'
import { RecordQuery, type ListOptions, type RecordPage, type RowScope } from './record-query.js'
import { valuesToColumns } from './record-rows.js'
import { translateWriteError } from './write-errors.js'

export interface WriteOptions {
  locale?: Locale
  /** Run inside this transaction instead of a new one. */
  trx?: Trx
}

export interface UpsertResult {
  id: number
  created: boolean
}

/**
 * Reads and writes records of any published form: validation against the
 * form's schema, the write itself, and an audit row, in one transaction.
 */
export class RecordService {
  readonly query: RecordQuery
  readonly #database: Database
  readonly #catalog: Catalog
  readonly #validator = createValidator()

  constructor(database: Database, catalog: Catalog, options: { scope?: RowScope } = {}) {
    this.#database = database
    this.#catalog = catalog
    this.query = new RecordQuery(catalog, options.scope)
  }

  async list(actor: Actor, app: string, formKey: string, options?: ListOptions): Promise<RecordPage> {
    const form = await this.#catalog.getForm(app, formKey)
    return this.query.list(this.#database.db, actor, form, options)
  }

  async get(actor: Actor, app: string, formKey: string, id: number): Promise<RecordData> {
    const form = await this.#catalog.getForm(app, formKey)
    return this.query.get(this.#database.db, actor, form, id)
  }

  async options(actor: Actor, app: string, formKey: string, q?: string, limit?: number) {
    const form = await this.#catalog.getForm(app, formKey)
    return this.query.options(this.#database.db, actor, form, q, limit)
  }

  /** Validates `values` for a write and returns them normalized, or throws. */
  check(form: PublishedForm, values: unknown, locale: Locale, partial = false) {
    const issues = this.#validator.validate(form, values, { locale, partial })
    if (issues.length > 0) {
      const message = locale === 'en'
        ? `${issues.length} field(s) of form "${form.key}" are invalid: ${issues.map((i) => i.message).join('; ')}`
        : `表单「${form.key}」有 ${issues.length} 处填写有误：${issues.map((i) => i.message).join('；')}`
      throw new TesseraError('validation.failed', message, {
        details: { form: form.key },
        issues,
      })
    }
    return normalizeValues(form, values as Record<string, unknown>)
  }

  async create(actor: Actor, app: string, formKey: string, values: unknown, options: WriteOptions = {}) {
    const form = await this.#catalog.getForm(app, formKey)
    const locale = options.locale ?? 'zh-CN'
    const clean = this.check(form, values, locale)
    return this.#inTransaction(options.trx, async (trx) => {
      const id = await this.#insert(trx, actor, form, clean, locale)
      const record = await this.query.get(trx, actor, form, id)
      await audit(trx, actor, 'record.create', form, id, null, record.values)
      return record
    })
  }

  async update(
    actor: Actor,
    app: string,
    formKey: string,
    id: number,
    change: { version: number; values: unknown },
    options: WriteOptions = {},
  ): Promise<RecordData> {
    const form = await this.#catalog.getForm(app, formKey)
    const locale = options.locale ?? 'zh-CN'
    const clean = this.check(form, change.values, locale, true)
    return this.#inTransaction(options.trx, async (trx) => {
      const before = await this.#lockCurrent(trx, actor, form, id, change.version)
      const columns = valuesToColumns(form, clean)
      const sets = Object.entries(columns).map(([c, v]) => sql`${sql.id(c)} = ${v}`)
      sets.push(sql`_version = _version + 1`, sql`_updated_at = now()`, sql`_updated_by = ${actor.id}`)
      try {
        await sql`update ${table(form)} set ${sql.join(sets)} where id = ${id}`.execute(trx)
      } catch (error) {
        throw translateWriteError(error, form, clean, locale)
      }
      const after = await this.query.get(trx, actor, form, id)
      await audit(trx, actor, 'record.update', form, id, before.values, after.values)
      return after
    })
  }

  async delete(actor: Actor, app: string, formKey: string, id: number, options: WriteOptions & { version?: number } = {}) {
    const form = await this.#catalog.getForm(app, formKey)
    const locale = options.locale ?? 'zh-CN'
    await this.#inTransaction(options.trx, async (trx) => {
      const before = await this.#lockCurrent(trx, actor, form, id, options.version)
      try {
        await sql`delete from ${table(form)} where id = ${id}`.execute(trx)
      } catch (error) {
        throw translateWriteError(error, form, {}, locale)
      }
      await audit(trx, actor, 'record.delete', form, id, before.values, null)
    })
  }

  /**
   * Inserts a record, or updates the one whose `keys` fields equal the given
   * values (which must be covered by a unique index), inside `trx`. Used by
   * imports, so that running one twice changes nothing the second time.
   */
  async upsert(
    trx: Trx,
    actor: Actor,
    form: PublishedForm,
    values: Record<string, unknown>,
    keys: string[],
    locale: Locale = 'zh-CN',
  ): Promise<UpsertResult> {
    const clean = this.check(form, values, locale)
    const columns = valuesToColumns(form, clean)
    const keyColumns = keys.map((k) => form.definition.fields.find((f) => f.key === k)!.column!)
    const match = sql.join(keyColumns.map((c) => sql`${sql.id(c)} = ${columns[c]}`), sql` and `)
    const { rows: found } = await sql<{ id: number }>`
      select id from ${table(form)} where ${match} for update`.execute(trx)
    if (found[0]) {
      const id = found[0].id
      const changed = Object.entries(columns).map(([c, v]) => sql`${sql.id(c)} is distinct from ${v}`)
      const sets = Object.entries(columns).map(([c, v]) => sql`${sql.id(c)} = ${v}`)
      const { rows } = await sql<{ id: number }>`
        update ${table(form)} set ${sql.join(sets)}, _version = _version + 1,
          _updated_at = now(), _updated_by = ${actor.id}
        where id = ${id} and (${sql.join(changed, sql` or `)}) returning id`.execute(trx)
      if (rows[0]) await audit(trx, actor, 'record.update', form, id, null, clean)
      return { id, created: false }
    }
    const id = await this.#insert(trx, actor, form, clean, locale)
    await audit(trx, actor, 'record.create', form, id, null, clean)
    return { id, created: true }
  }

  async #insert(trx: Trx, actor: Actor, form: PublishedForm, values: Record<string, unknown>, locale: Locale) {
    const columns = valuesToColumns(form, values)
    const names = Object.keys(columns)
    const all = [...names, SYSTEM_COLUMNS.createdBy, SYSTEM_COLUMNS.updatedBy]
    const params = [...names.map((c) => columns[c]), actor.id, actor.id]
    try {
      const { rows } = await sql<{ id: number }>`
        insert into ${table(form)} (${sql.join(all.map((c) => sql.id(c)))})
        values (${sql.join(params)}) returning id`.execute(trx)
      return rows[0].id
    } catch (error) {
      throw translateWriteError(error, form, values, locale)
    }
  }

  async #lockCurrent(trx: Trx, actor: Actor, form: PublishedForm, id: number, version?: number) {
    const current = await this.query.get(trx, actor, form, id)
    const { rows } = await sql<{ v: number }>`
      select _version as v from ${table(form)} where id = ${id} for update`.execute(trx)
    const stored = rows[0]?.v
    if (version !== undefined && stored !== version) {
      throw new TesseraError('conflict.version', `record ${id} of form "${form.key}" was changed by someone else (version ${stored}, yours ${version}); reload it and try again`, {
        details: { form: form.key, id, expected: version, found: stored },
      })
    }
    return current
  }

  #inTransaction<T>(trx: Trx | undefined, fn: (trx: Trx) => Promise<T>): Promise<T> {
    return trx ? fn(trx) : this.#database.transaction(fn)
  }
}

function table(form: PublishedForm) {
  return sql.table(`${form.table.schema}.${form.table.name}`)
}

async function audit(
  db: Executor,
  actor: Actor,
  action: string,
  form: PublishedForm,
  recordId: number,
  before: unknown,
  after: unknown,
) {
  await sql`
    insert into tessera.audit (actor, action, app_key, form_key, record_id, before, after)
    values (${actor.id}, ${action}, ${form.app}, ${form.key}, ${recordId},
            ${before === null ? null : JSON.stringify(before)},
            ${after === null ? null : JSON.stringify(after)})`.execute(db)
}
