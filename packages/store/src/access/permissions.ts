import { sql, type RawBuilder } from 'kysely'
import {
  localize,
  TesseraError,
  type Actor,
  type FieldRule,
  type FormAction,
  type Locale,
  type PublishedForm,
  type RoleSpec,
} from '@tessera/core'
import type { Catalog } from '../catalog.js'
import type { Database, Executor } from '../database.js'
import type { ReadPolicy } from '../record-query.js'
import { derivedView, readsAllLinked, type DerivedView } from './derived-view.js'
import { RoleGrants } from './role-grants.js'
import { rowCondition } from './row-rule-sql.js'

/**
 * The permission engine: who may do what with which rows and fields of an
 * app, decided from the actor and the app's role documents (metadata kind
 * "role"). The record service, the record query layer (through
 * `readPolicy`), reports, dashboards and imports all ask it.
 *
 * Row rules compile to SQL synchronously, inside query building, so the
 * role documents of an app are loaded first with `prepare(app)`; every
 * entry point of the record service and the platform calls it, once per
 * operation, and so sees a role saved by another process at its next
 * request.
 *
 * @example
 * await permissions.prepare('customer-settlement')
 * permissions.assert(actor, invoiceForm, 'update')          // or 403 auth.forbidden
 * permissions.rowCondition(actor, invoiceForm, 'read', 's') // SQL, or undefined for all rows
 */
export class Permissions {
  readonly #database: Database
  readonly #catalog: Catalog
  readonly #roles = new Map<string, Map<string, RoleSpec>>()
  readonly #forms = new Map<string, PublishedForm>()

  constructor(database: Database, catalog: Catalog) {
    this.#database = database
    this.#catalog = catalog
  }

  /** What the reads of the record query layer may return to an actor. */
  readonly readPolicy: ReadPolicy = {
    rows: (actor, form, alias) => this.rowCondition(actor, form, 'read', alias),
    hiddenFields: (actor, form) => this.hiddenFields(actor, form),
    liveRollups: (actor, form) => this.derivedView(actor, form).live,
  }

  /** Loads the app's role documents and its published forms (row rules and rollups reach across forms). */
  async prepare(app: string, db: Executor = this.#database.db): Promise<void> {
    const { rows } = await sql<{ key: string; spec: RoleSpec }>`
      select key, spec from tessera.meta_item where app_key = ${app} and kind = 'role'`
      .execute(db)
    for (const form of await this.#catalog.publishedForms(app, db)) {
      this.#forms.set(`${app}/${form.key}`, form)
    }
    this.#roles.set(app, new Map(rows.map((row) => [row.key, row.spec])))
  }

  /** The actor's merged grants in an app. */
  grants(actor: Actor, app: string): RoleGrants {
    const prefix = `${app}/`
    const keys = (actor.roles ?? []).filter((r) => r.startsWith(prefix)).map((r) => r.slice(prefix.length))
    if (keys.length === 0 || (actor.admin && actor.scopes === undefined)) {
      return new RoleGrants(actor, app, [])
    }
    const roles = this.#roles.get(app)
    if (!roles) {
      throw new TesseraError('internal', `the roles of app "${app}" were not loaded before checking ${actor.id}'s permissions; call prepare("${app}") first`)
    }
    const held = keys.map((key) => roles.get(key)).filter((role) => role !== undefined)
    return new RoleGrants(actor, app, held)
  }

  can(actor: Actor, form: PublishedForm, action: FormAction): boolean {
    return this.grants(actor, form.app).can(form.key, action)
  }

  /** Throws 403 auth.forbidden naming the form and the action. */
  assert(actor: Actor, form: PublishedForm, action: FormAction, locale: Locale = 'zh-CN'): void {
    if (this.can(actor, form, action)) return
    throw forbidden(actor, form, action, locale)
  }

  /** The SQL admitting the rows the actor may `action`; undefined for all rows. */
  rowCondition(
    actor: Actor,
    form: PublishedForm,
    action: FormAction,
    alias: string,
  ): RawBuilder<boolean> | undefined {
    if (actor.admin && actor.scopes === undefined) return undefined
    const grants = this.grants(actor, form.app)
    const reach = actor.scopes === undefined ? grants : this.grants({ ...actor, scopes: undefined }, form.app)
    return rowCondition({ actor, grants, reach, form: (key) => this.#form(form.app, key) }, form, action, alias)
  }

  fieldRules(actor: Actor, form: PublishedForm): Map<string, FieldRule> {
    if (actor.admin && actor.scopes === undefined) return new Map()
    return this.grants(actor, form.app).fields(form.key)
  }

  /**
   * Fields that read as empty for the actor: hidden by a role, or derived
   * values that would reveal rows the actor cannot read (see derivedView).
   */
  hiddenFields(actor: Actor, form: PublishedForm): ReadonlySet<string> {
    return this.derivedView(actor, form).hidden
  }

  /** Which stored derived values the actor sees as stored, recomputed or not at all. */
  derivedView(actor: Actor, form: PublishedForm): DerivedView {
    if (actor.admin && actor.scopes === undefined) return EVERYTHING
    const grants = this.grants(actor, form.app)
    return derivedView({ grants, form: (key) => this.#forms.get(`${form.app}/${key}`) }, form)
  }

  /**
   * True when the actor may read every record of `child` linked through
   * `link` to a record they can read, so sums over them tell nothing new.
   */
  readsAllLinked(actor: Actor, child: PublishedForm, link: string): boolean {
    if (actor.admin && actor.scopes === undefined) return true
    return readsAllLinked(this.grants(actor, child.app), child, link)
  }

  #form(app: string, key: string): PublishedForm {
    const form = this.#forms.get(`${app}/${key}`)
    if (!form) {
      throw new TesseraError('metadata.invalid', `a row rule of app "${app}" reaches form "${key}", which is not published`, {
        details: { app, form: key },
      })
    }
    return form
  }
}

const EVERYTHING: DerivedView = { hidden: new Set(), live: new Map(), storedLookups: new Set() }

const ACTION_WORDS: Record<FormAction, { zh: string; en: string }> = {
  create: { zh: '新建', en: 'create' },
  read: { zh: '查看', en: 'read' },
  update: { zh: '修改', en: 'update' },
  delete: { zh: '删除', en: 'delete' },
  import: { zh: '导入', en: 'import' },
  export: { zh: '导出', en: 'export' },
}

/** 403 auth.forbidden for an action on a form. */
export function forbidden(
  actor: Actor,
  form: PublishedForm,
  action: FormAction,
  locale: Locale,
  extra: { reason?: { zh: string; en: string }; id?: number } = {},
): TesseraError {
  const word = ACTION_WORDS[action]
  const record = extra.id === undefined ? '' : ` ${extra.id}`
  const what = extra.id === undefined ? 'records' : `record ${extra.id}`
  const message = locale === 'en'
    ? `you may not ${word.en} ${what} of form "${form.key}"${extra.reason ? `: ${extra.reason.en}` : ''}`
    : `你无权${word.zh}表单「${localize(form.definition.label, 'zh-CN')}」的记录${record}${extra.reason ? `：${extra.reason.zh}` : ''}`
  return new TesseraError('auth.forbidden', message, {
    details: { actor: actor.id, app: form.app, form: form.key, action, id: extra.id },
  })
}
