import { sql, type RawBuilder } from 'kysely'
import {
  notFound,
  SYSTEM_COLUMNS,
  TesseraError,
  type Actor,
  type FieldType,
  type LookupField,
  type PublishedForm,
  type RecordData,
  type SortSpec,
} from '@tessera/core'
import type { Catalog } from './catalog.js'
import type { Executor } from './database.js'
import { compileFilter, likePattern } from './filter-sql.js'
import { lookupAlias, rowToRecord, titleAlias } from './record-rows.js'
import { readLines } from './write/line-items.js'

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
}

export interface RecordPage {
  items: RecordData[]
  total: number
  page: number
  pageSize: number
}

export const MAX_PAGE_SIZE = 500

/** Field types whose text `q` searches. */
const SEARCHED_TYPES = new Set<FieldType>([
  'text', 'select', 'phone', 'email', 'bank_account', 'region', 'uscc', 'autonumber',
])
const SORTABLE_SYSTEM: Record<string, string> = {
  id: 'id',
  createdAt: '_created_at',
  updatedAt: '_updated_at',
}

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
   * Fields hidden from the actor are selected as null under their column.
   */
  source(actor: Actor, form: PublishedForm, alias: string): RawBuilder<unknown> {
    const table = sql.table(`${form.table.schema}.${form.table.name}`)
    const scope = this.#policy?.rows(actor, form, 's')
    const hidden = this.#policy?.hiddenFields(actor, form) ?? NONE
    if (!scope && hidden.size === 0) return sql`${table} as ${sql.id(alias)}`
    const columns = hidden.size === 0 ? sql`*` : visibleColumns(form, hidden)
    const where = scope ? sql`where ${scope}` : sql``
    return sql`(select ${columns} from ${table} as s ${where}) as ${sql.id(alias)}`
  }

  async list(db: Executor, actor: Actor, form: PublishedForm, options: ListOptions = {}): Promise<RecordPage> {
    const page = clampInt(options.page ?? 1, 1, 1_000_000, 'page')
    const pageSize = clampInt(options.pageSize ?? 20, 1, MAX_PAGE_SIZE, 'pageSize')
    const where = this.#conditions(form, options)
    const from = await this.#from(db, actor, form)
    const order = orderBy(form, options.sort ?? form.definition.ui?.list?.defaultSort ?? [])

    const { rows } = await sql<Record<string, unknown>>`
      select ${from.select} from ${from.items} ${where}
      order by ${order} limit ${pageSize} offset ${(page - 1) * pageSize}`.execute(db)
    const { rows: counted } = await sql<{ total: number }>`
      select count(*)::int as total from ${this.source(actor, form, 't')} ${where}`.execute(db)
    return { items: rows.map((r) => rowToRecord(form, r)), total: counted[0].total, page, pageSize }
  }

  async find(db: Executor, actor: Actor, form: PublishedForm, id: number): Promise<RecordData | undefined> {
    const from = await this.#from(db, actor, form)
    const { rows } = await sql<Record<string, unknown>>`
      select ${from.select} from ${from.items} where t.id = ${id}`.execute(db)
    if (!rows[0]) return undefined
    const record = rowToRecord(form, rows[0])
    await readLines(db, form, [record])
    return record
  }

  async get(db: Executor, actor: Actor, form: PublishedForm, id: number): Promise<RecordData> {
    const record = await this.find(db, actor, form, id)
    if (!record) throw notFound(`record of form ${form.key}`, id)
    return record
  }

  /** Id and title of records matching `q`, for link pickers. */
  async options(db: Executor, actor: Actor, form: PublishedForm, q: string | undefined, limit = 20) {
    const title = titleExpression(form, 't')
    const where = q ? sql`where ${title} ilike ${likePattern(q)}` : sql``
    const { rows } = await sql<{ id: number; title: string }>`
      select t.id, ${title} as title from ${this.source(actor, form, 't')} ${where}
      order by ${title} limit ${clampInt(limit, 1, 100, 'limit')}`.execute(db)
    return rows
  }

  async #from(db: Executor, actor: Actor, form: PublishedForm) {
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
      items: sql`${this.source(actor, form, 't')} ${sql.join(joins, sql` `)}`,
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

const NONE: ReadonlySet<string> = new Set()

/** The lookups of a form that read through one of its link fields (and were resolved on publish). */
function lookupsThrough(form: PublishedForm, link: string): LookupField[] {
  return form.definition.fields.filter(
    (field): field is LookupField => field.type === 'lookup' && field.link === link && !!field.target?.column,
  )
}

/**
 * The system columns and every field's column, a hidden one as a null of
 * the same type (`case when false then s.col end` keeps the column's type,
 * so sums and comparisons over it still compile).
 */
function visibleColumns(form: PublishedForm, hidden: ReadonlySet<string>): RawBuilder<unknown> {
  const items = Object.values(SYSTEM_COLUMNS).map((column) => sql.ref(`s.${column}`))
  for (const field of form.definition.fields) {
    if (!field.column) continue
    const ref = sql.ref(`s.${field.column}`)
    items.push(hidden.has(field.key) ? sql`case when false then ${ref} end as ${sql.id(field.column)}` : ref)
  }
  return sql.join(items)
}

/** The SQL text naming a record: its title field, else "#<id>". */
export function titleExpression(form: PublishedForm, alias: string): RawBuilder<string> {
  const field = form.definition.fields.find((f) => f.key === form.definition.titleField)
  if (!field) return sql<string>`'#' || ${sql.ref(`${alias}.id`)}::text`
  return sql<string>`${sql.ref(`${alias}.${field.column}`)}::text`
}

function orderBy(form: PublishedForm, sort: SortSpec[]): RawBuilder<unknown> {
  const parts = sort.map((s, i) => {
    const column = SORTABLE_SYSTEM[s.field] ??
      form.definition.fields.find((f) => f.key === s.field)?.column
    if (!column) {
      throw new TesseraError('request.invalid', `sort[${i}]: "${s.field}" is not a field of form "${form.key}"`, {
        details: { field: s.field },
      })
    }
    const dir = s.dir === 'desc' ? sql`desc nulls last` : sql`asc nulls last`
    return sql`${sql.ref(`t.${column}`)} ${dir}`
  })
  parts.push(sql`t.id desc`)
  return sql.join(parts)
}

function clampInt(value: number, min: number, max: number, name: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new TesseraError('request.invalid', `${name} must be a whole number from ${min} to ${max}, got ${value}`, {
      details: { field: name, expected: { min, max }, received: value },
    })
  }
  return value
}
