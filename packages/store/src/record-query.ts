import { sql, type RawBuilder } from 'kysely'
import {
  isPickerDetailField,
  SYSTEM_COLUMNS,
  TesseraError,
  type Actor,
  type FieldType,
  type LookupField,
  type PublishedForm,
  type RecordData,
  type SortSpec,
} from '@tessera/core'
import type { LiveRollup } from './access/derived-view.js'
import type { Catalog } from './catalog.js'
import type { Executor } from './database.js'
import { compileFilter, likePattern } from './filter-sql.js'
import { countList, EXACT_COUNT_UP_TO, type ListTotal } from './list-count.js'
import { sortKeys } from './list-cursor.js'
import { readListPage } from './list-page.js'
import { storedType } from './publish-convert.js'
import { listOf, TITLE_SEPARATOR } from './people-titles.js'
import { fromColumn, lookupAlias, rowToRecord, titleAlias } from './record-rows.js'
import { readLines } from './write/line-items.js'
import { rollupAggregate } from './write/rollups.js'
import { PREPARE } from './prepared-statements.js'
import { recordNotFound } from './write-errors.js'

/** A record as a link picker offers it. */
export interface LinkOption {
  id: number
  title: string
  /** The fields the form's `ui.picker.fields` names that the reader may see; only when it names any. */
  values?: Record<string, unknown>
}

/**
 * Restricts which rows of a form an actor may read. Returning undefined means
 * no restriction. Every read of records (lists, single records, pickers,
 * reports) applies the scope through RecordQuery, so a permission rule
 * written here holds everywhere at once.
 */
export type RowScope = (actor: Actor, form: PublishedForm, alias: string) => RawBuilder<boolean> | undefined

/**
 * A row scope plus the fields an actor may not see. Hidden fields read as
 * null in the source itself, so a filter, a sort, a text search or a report
 * expression over them finds nothing to go on.
 */
export interface ReadPolicy {
  rows: RowScope
  /** Keys of the fields of `form` hidden from `actor`; none when empty. */
  hiddenFields(actor: Actor, form: PublishedForm): ReadonlySet<string>
  /**
   * Rollups of `form` to compute over the rows of the other form that
   * `actor` may read, rather than read from their stored column.
   */
  liveRollups?(actor: Actor, form: PublishedForm): ReadonlyMap<string, LiveRollup>
}

export interface ListOptions {
  page?: number
  pageSize?: number
  sort?: SortSpec[]
  /** A json-logic rule over field keys; see compileFilter. */
  filter?: unknown
  /** Case-insensitive text search over the form's text fields. */
  q?: string
  /**
   * An extra condition over the list's alias `t`, built by trusted code
   * (the permission engine), never from a request.
   */
  where?: RawBuilder<boolean>
  /** A cursor from a page's `next`: the page after that row (keyset). */
  after?: string
  /** A cursor from a page's `prev`: the page before that row (keyset). */
  before?: string
  /** Count matching rows exactly up to this many; see countList. */
  countUpTo?: number
}

export interface RecordPage extends ListTotal {
  items: RecordData[]
  page: number
  pageSize: number
  /** Cursor of the next page (pass as `after`); null on the last page. */
  next: string | null
  /** Cursor of the previous page (pass as `before`); null on the first page. */
  prev: string | null
}

export const MAX_PAGE_SIZE = 500

/** Field types whose text `q` searches. */
const SEARCHED_TYPES = new Set<FieldType>([
  'text', 'select', 'phone', 'email', 'bank_account', 'region', 'uscc', 'autonumber',
])

/** The one read path for records. */
export class RecordQuery {
  readonly #catalog: Catalog
  readonly #policy: ReadPolicy | undefined

  constructor(catalog: Catalog, scope?: RowScope | ReadPolicy) {
    this.#catalog = catalog
    this.#policy = typeof scope === 'function' ? { rows: scope, hiddenFields: () => NONE } : scope
  }

  /**
   * The rows of `form` that `actor` may read, as a FROM item
   * `(select * from <table> where <scope>) as <alias>`. Reports build on it.
   * Fields hidden from the actor are selected as null under their column;
   * rollups the actor may not read whole are summed over their own rows.
   */
  /**
   * Whether `source` is the bare table for this reader: no row scope, no
   * hidden field, no rollup summed again over their own rows. Such a reader
   * reads a record exactly as stored.
   */
  readsBare(actor: Actor, form: PublishedForm): boolean {
    const policy = this.#policy
    if (!policy) return true
    return policy.rows(actor, form, 's') === undefined && policy.hiddenFields(actor, form).size === 0 &&
      (policy.liveRollups?.(actor, form) ?? NO_ROLLUPS).size === 0
  }

  source(actor: Actor, form: PublishedForm, alias: string): RawBuilder<unknown> {
    const table = sql.table(`${form.table.schema}.${form.table.name}`)
    const scope = this.#policy?.rows(actor, form, 's')
    const hidden = this.#policy?.hiddenFields(actor, form) ?? NONE
    const live = this.#policy?.liveRollups?.(actor, form) ?? NO_ROLLUPS
    if (!scope && hidden.size === 0 && live.size === 0) return sql`${table} as ${sql.id(alias)}`
    const computed = new Map<string, RawBuilder<unknown>>()
    for (const [key, rollup] of live) computed.set(key, this.#liveRollup(actor, rollup))
    const columns = hidden.size === 0 && computed.size === 0 ? sql`*` : visibleColumns(form, hidden, computed)
    const where = scope ? sql`where ${scope}` : sql``
    return sql`(select ${columns} from ${table} as s ${where}) as ${sql.id(alias)}`
  }

  /**
   * `source` bound to one reader, for reports: the FROM item of a form's
   * rows, and whether a rollup field reads as its stored column (neither
   * hidden from the reader nor summed again over the reader's own rows).
   */
  reportSource(actor: Actor): ((form: PublishedForm, alias: string) => RawBuilder<unknown>) & {
    readsStored(form: PublishedForm, key: string): boolean
  } {
    const policy = this.#policy
    return Object.assign((form: PublishedForm, alias: string) => this.source(actor, form, alias), {
      readsStored(form: PublishedForm, key: string): boolean {
        if (!policy) return true
        // A bare row scope says nothing of which rollups a reader reads whole.
        if (!policy.liveRollups) return false
        return !policy.hiddenFields(actor, form).has(key) && !policy.liveRollups(actor, form).has(key)
      },
    })
  }

  /** A rollup over the actor's rows of the other form, for the row aliased `s`. */
  #liveRollup(actor: Actor, { field, child, link }: LiveRollup): RawBuilder<unknown> {
    const summed = child.definition.fields.find((f) => f.key === field.field)?.column
    const aggregate = rollupAggregate(field, summed)
    return sql`(select ${aggregate} from ${this.source(actor, child, 'c')}
      where ${sql.ref(`c.${link.column}`)} = s.id)::${sql.raw(storedType(field))}`
  }

  async list(db: Executor, actor: Actor, form: PublishedForm, options: ListOptions = {}): Promise<RecordPage> {
    const page = clampInt(options.page ?? 1, 1, 1_000_000, 'page')
    const pageSize = clampInt(options.pageSize ?? 20, 1, MAX_PAGE_SIZE, 'pageSize')
    const where = this.#conditions(form, options)
    const keys = sortKeys(form, options.sort ?? form.definition.ui?.list?.defaultSort ?? [])
    const narrowed = options.where !== undefined || !!options.q?.trim() ||
      (options.filter !== undefined && options.filter !== null) ||
      this.#policy?.rows(actor, form, 's') !== undefined
    const [read, counted] = await Promise.all([
      readListPage(db, {
        keys, where, page, pageSize, after: options.after, before: options.before,
        source: this.source(actor, form, 't'),
        from: (base) => this.#from(db, actor, form, base),
      }),
      countList(db, form, this.source(actor, form, 't'), where, !narrowed, options.countUpTo ?? EXACT_COUNT_UP_TO),
    ])
    const items = read.rows.map((r) => rowToRecord(form, r))
    return { items, ...counted, page, pageSize, next: read.next, prev: read.prev }
  }

  async find(db: Executor, actor: Actor, form: PublishedForm, id: number): Promise<RecordData | undefined> {
    const from = await this.#from(db, actor, form)
    const { rows } = await sql<Record<string, unknown>>`
      ${PREPARE}select ${from.select} from ${from.items} where t.id = ${id}`.execute(db)
    if (!rows[0]) return undefined
    const record = rowToRecord(form, rows[0])
    await readLines(db, form, [record])
    return record
  }

  /**
   * Runs `insert`, an INSERT … RETURNING * into the form's table, and reads
   * the row it wrote as `find` does (titles and lookups joined) in the same
   * statement; runs `lock` (a SELECT … FOR NO KEY UPDATE) in it too, when
   * given. It reads the row as stored, so only a query without a scope may
   * do it.
   */
  /**
   * Runs `insert` (ending `returning *`) and reads the new record back as
   * stored, in one statement. Also in it, when given: `lock`, whose rows
   * come back as `locked`; `audit`, a statement reading the new row from
   * `inserted`; and `refuse`, which fails the statement when a row of
   * `lock` (a LimitRow) is above its limit (see limit-totals.ts), instead
   * of returning them.
   */
  async findInserted(db: Executor, actor: Actor, form: PublishedForm, insert: RawBuilder<unknown>, options: InsertedOptions = {}) {
    const statement = await this.insertedStatement(db, actor, form, insert, options)
    const { rows } = await statement.execute(db)
    return this.readInserted(db, form, rows[0])
  }

  /** findInserted's statement, unsent (to compile once and run many times). */
  async insertedStatement(
    db: Executor,
    actor: Actor,
    form: PublishedForm,
    insert: RawBuilder<unknown>,
    options: InsertedOptions = {},
  ): Promise<RawBuilder<Record<string, unknown>>> {
    if (this.#policy) throw new Error('findInserted reads as stored: use a RecordQuery without a scope')
    const { lock, audit, refuse } = options
    // A refusing statement checks the locked rows itself; otherwise they
    // come back for the caller to check.
    const returnsLocked = lock !== undefined && !refuse
    const base = returnsLocked
      ? sql`inserted as t cross join (select coalesce(json_agg(l), '[]') as rows from locked as l) as locks`
      : sql`inserted as t`
    const from = await this.#from(db, actor, form, base)
    const locking = lock ? sql`locked as (${lock}), ` : sql``
    const auditing = audit ? sql`, audit as (${audit})` : sql``
    const extra = [
      ...(returnsLocked ? [sql`locks.rows as "__locked"`] : []),
      ...(lock && refuse ? [sql`tessera.refuse_over_limit((select json_agg(l) from locked as l
        where l.max is not null and l.total::numeric > l.max::numeric)) as "__refused"`] : []),
    ]
    const more = extra.length > 0 ? sql`, ${sql.join(extra)}` : sql``
    return sql<Record<string, unknown>>`
      ${PREPARE}with ${locking}inserted as (${insert})${auditing}
      select ${from.select}${more} from ${from.items}`
  }

  /** The record (and the rows of `lock`) from the row findInserted's statement returned. */
  async readInserted(db: Executor, form: PublishedForm, row: Record<string, unknown>) {
    const record = rowToRecord(form, row)
    await readLines(db, form, [record])
    const locked = row.__locked
    return { record, locked: (typeof locked === 'string' ? JSON.parse(locked) : locked ?? []) as Record<string, unknown>[] }
  }

  async get(db: Executor, actor: Actor, form: PublishedForm, id: number): Promise<RecordData> {
    const record = await this.find(db, actor, form, id)
    if (!record) throw recordNotFound(form, id)
    return record
  }

  /** Id and title of records matching `q`, for link pickers. */
  async options(
    db: Executor,
    actor: Actor,
    form: PublishedForm,
    q: string | undefined,
    limit = 20,
    /** A further condition on the rows (alias `t`): a picker's bounds. */
    narrowing?: RawBuilder<boolean>,
  ) {
    const title = titleExpression(form, 't')
    // The fields the form shows beside each title, as far as the reader may see them.
    const named = form.definition.ui?.picker?.fields
    const hidden = this.#policy?.hiddenFields(actor, form) ?? NONE
    const details = (named ?? []).flatMap((key) => {
      const field = form.definition.fields.find((one) => one.key === key)
      return field?.column && isPickerDetailField(field) && !hidden.has(key) ? [field] : []
    })
    // Searched in the title and in the texts shown beside it: a customer is found by the code
    // its option shows (客户编号 CL-002) as well as by its name.
    const searched = q
      ? [sql<boolean>`(${sql.join([title, ...details.filter((field) => field.type === 'text')
        .map((field) => sql.ref(`t.${field.column}`))].map((text) => sql`${text} ilike ${likePattern(q)}`), sql` or `)})`]
      : []
    const conditions = [...searched, ...(narrowing ? [narrowing] : [])]
    const where = conditions.length > 0 ? sql`where ${sql.join(conditions, sql` and `)}` : sql``
    // Each under an alias of its own: a field whose column is named title or id would otherwise
    // come back in the title's or the id's place (a contract's name shown for its number).
    const columns = details.map((field, index) => sql`, ${sql.ref(`t.${field.column}`)} as ${sql.id(`__detail${index}`)}`)
    const { rows } = await sql<Record<string, unknown> & { __id: number; __title: string }>`
      select t.id as "__id", ${title} as "__title" ${sql.join(columns, sql``)} from ${this.source(actor, form, 't')} ${where}
      order by ${title} limit ${clampInt(limit, 1, 100, 'limit')}`.execute(db)
    return rows.map((row): LinkOption => ({
      id: row.__id,
      title: row.__title,
      ...(named ? { values: Object.fromEntries(details.map((field, index) => [field.key, fromColumn(field, row[`__detail${index}`])])) } : {}),
    }))
  }

  /**
   * Puts the titles of the records that link fields of `records` point at
   * into their `titles`, read through the actor's scope: a linked record
   * the actor may not read shows as "#id". For values that did not come
   * from a read, such as those of an audit row.
   */
  async addLinkTitles(db: Executor, actor: Actor, form: PublishedForm, records: readonly RecordData[]): Promise<void> {
    for (const field of form.definition.fields) {
      if (field.type !== 'link') continue
      const ids = new Set<number>()
      for (const record of records) for (const id of listOf(record.values[field.key])) ids.add(id)
      if (ids.size === 0) continue
      const target = await this.#catalog.getForm(form.app, field.form, db)
      const { rows } = await sql<{ id: number; title: string }>`
        select t.id, ${titleExpression(target, 't')} as title from ${this.source(actor, target, 't')}
        where t.id in (${sql.join([...ids])})`.execute(db)
      const titles = new Map(rows.map((row) => [Number(row.id), row.title]))
      for (const record of records) {
        if (!(field.key in record.values)) continue
        const linked = listOf(record.values[field.key])
        record.titles ??= {}
        record.titles[field.key] = linked.length === 0
          ? null
          : linked.map((id) => titles.get(id) ?? `#${id}`).join(TITLE_SEPARATOR)
      }
    }
  }

  async #from(db: Executor, actor: Actor, form: PublishedForm, base?: RawBuilder<unknown>) {
    const selects: RawBuilder<unknown>[] = [sql`t.*`]
    const joins: RawBuilder<unknown>[] = []
    for (const field of form.definition.fields) {
      if (field.type !== 'link') continue
      const target = await this.#catalog.getForm(form.app, field.form, db)
      const alias = `l_${field.key}`
      joins.push(sql`left join ${this.source(actor, target, alias)}
        on ${sql.ref(`${alias}.id`)} = ${sql.ref(`t.${field.column}`)}`)
      selects.push(sql`${titleExpression(target, alias)} as ${sql.id(titleAlias(field))}`)
      for (const lookup of lookupsThrough(form, field.key)) {
        const column = sql.ref(`${alias}.${lookup.target?.column}`)
        selects.push(sql`${column} as ${sql.id(lookupAlias(lookup))}`)
      }
    }
    return {
      select: sql.join(selects),
      items: sql`${base ?? this.source(actor, form, 't')} ${sql.join(joins, sql` `)}`,
    }
  }

  #conditions(form: PublishedForm, options: ListOptions): RawBuilder<unknown> {
    const parts: RawBuilder<boolean>[] = []
    if (options.where) parts.push(options.where)
    if (options.filter !== undefined && options.filter !== null) {
      parts.push(compileFilter(form, options.filter, 't'))
    }
    const q = options.q?.trim()
    if (q) {
      const texts = form.definition.fields.filter((f) => SEARCHED_TYPES.has(f.type))
      const pattern = likePattern(q)
      const tests = texts.map((f) => sql<boolean>`${sql.ref(`t.${f.column}`)} ilike ${pattern}`)
      if (/^\d+$/.test(q)) tests.push(sql<boolean>`t.id = ${Number(q)}`)
      parts.push(tests.length ? sql<boolean>`(${sql.join(tests, sql` or `)})` : sql<boolean>`false`)
    }
    return parts.length ? sql`where ${sql.join(parts, sql` and `)}` : sql``
  }
}

/** What findInserted runs besides the insert. */
export interface InsertedOptions {
  lock?: RawBuilder<unknown>
  audit?: RawBuilder<unknown>
  refuse?: boolean
}

const NONE: ReadonlySet<string> = new Set()
const NO_ROLLUPS: ReadonlyMap<string, LiveRollup> = new Map()

/** The lookups of a form that read through one of its link fields (and were resolved on publish). */
function lookupsThrough(form: PublishedForm, link: string): LookupField[] {
  return form.definition.fields.filter(
    (field): field is LookupField => field.type === 'lookup' && field.link === link && !!field.target?.column,
  )
}

/**
 * The system columns and every field's column, a hidden one as a null of
 * the same type (`case when false then s.col end` keeps the column's type,
 * so sums and comparisons over it still compile), a computed one as its
 * expression.
 */
function visibleColumns(
  form: PublishedForm,
  hidden: ReadonlySet<string>,
  computed: ReadonlyMap<string, RawBuilder<unknown>>,
): RawBuilder<unknown> {
  const items = Object.values(SYSTEM_COLUMNS).map((column) => sql.ref(`s.${column}`))
  for (const field of form.definition.fields) {
    if (!field.column) continue
    const ref = sql.ref(`s.${field.column}`)
    const name = sql.id(field.column)
    const expression = computed.get(field.key)
    if (hidden.has(field.key)) items.push(sql`case when false then ${ref} end as ${name}`)
    else if (expression) items.push(sql`${expression} as ${name}`)
    else items.push(ref)
  }
  return sql.join(items)
}

/** The SQL text naming a record: its title field, else "#<id>". */
export function titleExpression(form: PublishedForm, alias: string): RawBuilder<string> {
  const field = form.definition.fields.find((f) => f.key === form.definition.titleField)
  if (!field) return sql<string>`'#' || ${sql.ref(`${alias}.id`)}::text`
  return sql<string>`${sql.ref(`${alias}.${field.column}`)}::text`
}

function clampInt(value: number, min: number, max: number, name: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new TesseraError('request.invalid', `${name} must be a whole number from ${min} to ${max}, got ${value}`, {
      details: { field: name, expected: { min, max }, received: value },
    })
  }
  return value
}

/**
 * Records as stored, every field and their line items (no link titles or
 * lookups), locked FOR UPDATE until the transaction ends: what a writer
 * merges a partial change into, as an import does for rows matching
 * existing records by key.
 */
export async function readStoredRecords(trx: Executor, form: PublishedForm, ids: readonly number[]): Promise<Map<number, RecordData>> {
  const found = new Map<number, RecordData>()
  if (ids.length === 0) return found
  const { rows } = await sql<Record<string, unknown>>`
    select t.* from ${sql.table(`${form.table.schema}.${form.table.name}`)} as t
    where t.id in (${sql.join([...ids])}) order by t.id for update`.execute(trx)
  const records = rows.map((row) => rowToRecord(form, row))
  await readLines(trx, form, records)
  for (const record of records) found.set(record.id, record)
  return found
}
