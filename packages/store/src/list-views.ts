import { sql } from 'kysely'
import { localize, notFound, TesseraError, type Actor, type PublishedForm } from '@tessera/core'
import { logicVars } from '@tessera/logic'
import type { Executor } from './database.js'
import { checkViewName, checkViewSpec, type ListViewSpec } from './list-view-spec.js'

/** A saved view as the API shows it to one user. */
export interface ListView extends ListViewSpec {
  id: number
  name: string
  /** Offered to everyone who may read the form; only admins make these. */
  shared: boolean
  /** Whether the asking user made it (and so may rename or delete it). */
  mine: boolean
  /** Whether the asking user's list of the form opens with it. */
  isDefault: boolean
  updatedAt: string
}

export interface ListViewInput {
  name?: unknown
  shared?: unknown
  spec?: unknown
}

interface ViewRow {
  id: number
  owner: string
  shared: boolean
  name: string
  spec: ListViewSpec
  updated_at: Date
  is_default: boolean
}

/**
 * Saved list views of forms. A user sees their own personal views and the
 * shared ones; anyone else's personal view does not exist for them (404).
 * Callers check first that the actor may read the form.
 */
export class ListViews {
  /**
   * `hidden` gives the fields hidden from an actor on a form: a shared
   * view filtering or sorting by one is not offered to them (its filter
   * would tell what it holds, and find nothing), a column of one is left
   * out, and no view of theirs may name one.
   */
  constructor(
    private readonly db: Executor,
    private readonly hidden: (actor: Actor, form: PublishedForm) => ReadonlySet<string> = () => new Set(),
  ) {}

  async list(actor: Actor, form: PublishedForm): Promise<ListView[]> {
    const hidden = this.hidden(actor, form)
    const rows = await this.#rows(actor, form)
    return rows.filter((row) => !reliesOnHidden(row.spec, hidden)).map((row) => toView(actor, row, hidden))
  }

  async get(actor: Actor, form: PublishedForm, id: number): Promise<ListView> {
    const hidden = this.hidden(actor, form)
    const row = (await this.#rows(actor, form, id))[0]
    if (!row || reliesOnHidden(row.spec, hidden)) throw notFound(`list view of form ${form.key}`, id)
    return toView(actor, row, hidden)
  }

  async create(actor: Actor, form: PublishedForm, input: ListViewInput): Promise<ListView> {
    const name = checkViewName(input.name)
    const shared = input.shared === true
    if (shared) requireAdmin(actor)
    const spec = checkViewSpec(form, input.spec ?? {})
    this.#refuseHidden(actor, form, spec)
    await this.#refuseDuplicate(actor, form, name, shared)
    const { rows } = await sql<{ id: number }>`
      insert into tessera.list_view (app_key, form_key, owner, shared, name, spec)
      values (${form.app}, ${form.key}, ${actor.id}, ${shared}, ${name}, ${JSON.stringify(spec)}::jsonb)
      returning id`.execute(this.db)
    return this.get(actor, form, rows[0].id)
  }

  /** Renames a view or replaces its spec; the owner only, and admins for shared views. */
  async update(actor: Actor, form: PublishedForm, id: number, input: ListViewInput): Promise<ListView> {
    const view = await this.#writable(actor, form, id)
    const name = input.name === undefined ? view.name : checkViewName(input.name)
    const spec = input.spec === undefined ? undefined : checkViewSpec(form, input.spec)
    if (spec) this.#refuseHidden(actor, form, spec)
    if (name !== view.name) await this.#refuseDuplicate(actor, form, name, view.shared)
    await sql`
      update tessera.list_view set name = ${name}, updated_at = now(),
        spec = coalesce(${spec === undefined ? null : JSON.stringify(spec)}::jsonb, spec)
      where id = ${id}`.execute(this.db)
    return this.get(actor, form, id)
  }

  async delete(actor: Actor, form: PublishedForm, id: number): Promise<void> {
    await this.#writable(actor, form, id)
    await sql`delete from tessera.list_view where id = ${id}`.execute(this.db)
  }

  /** Makes a view the one the actor's list of the form opens with; null clears it. */
  async setDefault(actor: Actor, form: PublishedForm, id: number | null): Promise<void> {
    if (id !== null) await this.get(actor, form, id)
    await sql`
      delete from tessera.list_view_default
      where app_key = ${form.app} and form_key = ${form.key} and user_id = ${actor.id}`.execute(this.db)
    if (id === null) return
    await sql`
      insert into tessera.list_view_default (app_key, form_key, user_id, view_id)
      values (${form.app}, ${form.key}, ${actor.id}, ${id})`.execute(this.db)
  }

  async #rows(actor: Actor, form: PublishedForm, id?: number): Promise<ViewRow[]> {
    const one = id === undefined ? sql`` : sql`and v.id = ${id}`
    const { rows } = await sql<ViewRow>`
      select v.id, v.owner, v.shared, v.name, v.spec, v.updated_at,
        (d.view_id is not null) as is_default
      from tessera.list_view v
      left join tessera.list_view_default d on d.view_id = v.id and d.user_id = ${actor.id}
      where v.app_key = ${form.app} and v.form_key = ${form.key}
        and (v.shared or v.owner = ${actor.id}) ${one}
      order by v.shared desc, v.name, v.id`.execute(this.db)
    return rows
  }

  #refuseHidden(actor: Actor, form: PublishedForm, spec: ListViewSpec) {
    const hidden = this.hidden(actor, form)
    const named = [...fieldsNamed(spec)].filter((key) => hidden.has(key))
    if (named.length === 0) return
    const label = (key: string, locale: 'zh-CN' | 'en') =>
      localize(form.definition.fields.find((field) => field.key === key)?.label ?? key, locale)
    const en = `a view may not use ${named.map((key) => `"${label(key, 'en')}"`).join(', ')}, hidden from you`
    throw new TesseraError('request.invalid', en, {
      details: { form: form.key, fields: named },
      issues: named.map((key) => ({ field: `spec.${key}`, rule: 'hidden', message: `「${label(key, 'zh-CN')}」对你不可见，视图不能使用它` })),
      messages: { 'zh-CN': `视图不能使用对你不可见的字段 ${named.map((key) => `「${label(key, 'zh-CN')}」`).join('、')}`, en },
    })
  }

  async #writable(actor: Actor, form: PublishedForm, id: number) {
    const view = await this.get(actor, form, id)
    if (view.shared) requireAdmin(actor)
    else if (!view.mine) throw notFound(`list view of form ${form.key}`, id)
    return view
  }

  async #refuseDuplicate(actor: Actor, form: PublishedForm, name: string, shared: boolean) {
    const { rows } = await sql<{ id: number }>`
      select id from tessera.list_view
      where app_key = ${form.app} and form_key = ${form.key} and name = ${name}
        and shared = ${shared} and (shared or owner = ${actor.id})`.execute(this.db)
    if (rows.length === 0) return
    const message = `a ${shared ? 'shared' : 'personal'} view named "${name}" already exists`
    throw new TesseraError('conflict.unique', message, {
      details: { field: 'name', value: name },
      issues: [{ field: 'name', rule: 'unique', message: `"${name}" is taken` }],
    })
  }
}

function requireAdmin(actor: Actor) {
  // An API token acts within its scopes even for an admin: no shared views.
  if (actor.admin && actor.scopes === undefined) return
  throw new TesseraError('auth.forbidden', 'only administrators may create or change shared views', {
    details: { field: 'shared' },
    messages: { 'zh-CN': '只有管理员可以创建或修改共享视图', en: 'Only administrators may create or change shared views' },
  })
}

/** The fields a view's filter, sort and columns name. */
function fieldsNamed(spec: ListViewSpec): Set<string> {
  const named = new Set<string>()
  for (const name of logicVars(spec.filter ?? null)) named.add(name.split('.')[0])
  for (const part of (spec.sort ?? '').split(',')) if (part.trim()) named.add(part.trim().replace(/^-/, ''))
  for (const column of spec.columns ?? []) named.add(column)
  return named
}

/** Whether a view's filter or sort uses a hidden field (its columns can simply go). */
function reliesOnHidden(spec: ListViewSpec, hidden: ReadonlySet<string>): boolean {
  if (hidden.size === 0) return false
  return [...fieldsNamed({ filter: spec.filter, sort: spec.sort })].some((key) => hidden.has(key))
}

function toView(actor: Actor, row: ViewRow, hidden: ReadonlySet<string>): ListView {
  return {
    id: Number(row.id),
    name: row.name,
    shared: row.shared,
    mine: row.owner === actor.id,
    isDefault: row.is_default,
    updatedAt: new Date(row.updated_at).toISOString(),
    ...row.spec,
    ...(row.spec.columns && hidden.size > 0 ? { columns: row.spec.columns.filter((key) => !hidden.has(key)) } : {}),
  }
}
