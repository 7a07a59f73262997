import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import {
  notFound,
  TesseraError,
  type Actor,
  type AppDefinition,
  type FormDefinition,
  type FormResolver,
  type LocalizedText,
  type MetaKind,
  type PublishedForm,
} from '@tessera/core'
import { checkFormDefinition } from '@tessera/forms'
import type { Database, Executor } from './database.js'
import { schemaForApp } from './naming.js'
import { publishForms } from './publish.js'
import { tablesChanged } from './prepared-statements.js'
import { withRetries } from './write/retries.js'
import { changedSinceInstall } from './template-ownership.js'
import { writeAudit } from './audit/audit-log.js'

const PUBLISH_CONFLICT = {
  en: 'records were being saved while publishing and nothing was published; try again',
  zh: '发布时有其他人正在保存记录，发生冲突，本次未发布，请重试',
}

/** The channel on which a catalogue tells the others on the database that an app's forms were published. */
const PUBLISHED = 'tessera_forms_published'

export interface AppSummary {
  key: string
  label: LocalizedText
  description?: LocalizedText
  version?: string
  dataSchema: string
}

export interface FormSummary {
  key: string
  label: LocalizedText
  publishedVersion: number | null
}

export interface MetaSummary {
  key: string
  label: LocalizedText
  version: number
}

/**
 * The metadata catalogue: apps, forms (drafts and published versions) and the
 * other metadata documents (reports, dashboards, import mappings), all stored
 * in Postgres. Published forms are cached in this process. On PostgreSQL,
 * where several processes may share the database, a publish notifies the
 * others when it commits and each drops that app's cached forms (and its
 * connections' prepared statements) on hearing it; see notices.ts.
 */
export class Catalog {
  readonly #database: Database
  readonly #forms = new Map<string, PublishedForm>()
  /** Keys of each app's published forms, refreshed when this process publishes. */
  readonly #published = new Map<string, string[]>()
  /** Tells this catalogue's own notices from the others'. */
  readonly #origin = randomUUID()

  constructor(database: Database) {
    this.#database = database
    // What was cached before the channel was listened to may already be old.
    void database.onNotice(PUBLISHED, (payload) => this.#heard(payload)).then(() => this.#forget())
  }

  /** Another catalogue published (or, with no payload, may have published unheard). */
  #heard(payload: string | undefined): void {
    let notice: { origin?: unknown; app?: unknown } | undefined
    try {
      notice = payload === undefined ? undefined : JSON.parse(payload)
    } catch {
      notice = undefined
    }
    if (notice?.origin === this.#origin) return
    this.#forget(typeof notice?.app === 'string' ? notice.app : undefined)
  }

  /** Drops the cached forms of one app, or of every app. */
  #forget(app?: string): void {
    if (app === undefined) {
      this.#forms.clear()
      this.#published.clear()
    } else {
      for (const key of [...this.#forms.keys()]) if (key.startsWith(`${app}/`)) this.#forms.delete(key)
      this.#published.delete(app)
    }
    tablesChanged()
  }

  async saveApp(app: AppDefinition): Promise<AppSummary> {
    const dataSchema = schemaForApp(app.key)
    await sql`
      insert into tessera.app (key, label, description, version, data_schema)
      values (${app.key}, ${JSON.stringify(app.label)}, ${json(app.description)},
              ${app.version ?? null}, ${dataSchema})
      on conflict (key) do update set label = excluded.label,
        description = excluded.description, version = excluded.version, updated_at = now()
    `.execute(this.#database.db)
    return { key: app.key, label: app.label, description: app.description, version: app.version, dataSchema }
  }

  /**
   * Takes back an app an install has just created and failed to finish:
   * its data schema, forms, versions, items and autonumbers. Refused
   * (`conflict.reference`) once any of its tables holds a record, so it can
   * never remove data someone entered.
   */
  async discardNewApp(key: string): Promise<void> {
    const app = await this.findApp(key)
    if (!app) return
    await this.#database.transaction(async (trx) => {
      const { rows: tables } = await sql<{ name: string }>`
        select table_name as name from information_schema.tables
        where table_schema = ${app.dataSchema} and table_type = 'BASE TABLE'`.execute(trx)
      for (const { name } of tables) {
        const { rows } = await sql<{ held: boolean }>`select exists (select 1 from ${sql.id(app.dataSchema, name)}) as held`.execute(trx)
        if (rows[0]?.held) {
          throw new TesseraError('conflict.reference', `app "${key}" already holds records (table ${name}); it is kept`, {
            details: { app: key, table: name },
          })
        }
      }
      await sql`drop schema if exists ${sql.id(app.dataSchema)} cascade`.execute(trx)
      await sql`delete from tessera.autonumber where app_key = ${key}`.execute(trx)
      await sql`delete from tessera.app where key = ${key}`.execute(trx)
    })
    this.#forget(key)
  }

  async findApp(key: string): Promise<AppSummary | undefined> {
    const { rows } = await sql<AppRow>`
      select key, label, description, version, data_schema from tessera.app where key = ${key}
    `.execute(this.#database.db)
    return rows[0] && toAppSummary(rows[0])
  }

  async getApp(key: string): Promise<AppSummary> {
    const app = await this.findApp(key)
    if (!app) throw notFound('app', key)
    return app
  }

  async listApps(): Promise<AppSummary[]> {
    const { rows } = await sql<AppRow>`
      select key, label, description, version, data_schema from tessera.app order by key
    `.execute(this.#database.db)
    return rows.map(toAppSummary)
  }

  /** Stores a form's draft after checking its shape; publishing is separate. */
  async saveDraft(appKey: string, definition: unknown): Promise<FormDefinition> {
    await this.getApp(appKey)
    const checked = checkFormDefinition(definition)
    await sql`
      insert into tessera.form (app_key, key, label, draft)
      values (${appKey}, ${checked.key}, ${JSON.stringify(checked.label)},
              ${JSON.stringify(checked)})
      on conflict (app_key, key) do update set draft = excluded.draft,
        label = excluded.label, updated_at = now()
    `.execute(this.#database.db)
    return checked
  }

  /**
   * Publishes the drafts of the named forms in one transaction: creates or
   * alters their tables, then records a new version of each form whose draft
   * differs from its published definition.
   */
  async publish(appKey: string, formKeys: string[], actor: Actor): Promise<PublishedForm[]> {
    const app = await this.getApp(appKey)
    // Prepared statements over the tables are dropped before the change
    // (statements prepared while it runs wait for its locks and see the new
    // shape) and after it (those prepared before it ran).
    tablesChanged()
    // Its locks may meet a writer's in the other order: the deadlock's
    // victim, whichever it is, runs again.
    const published = await withRetries(() => this.#database.transaction(async (trx) => {
      const forms = await publishForms(trx, app.key, app.dataSchema, formKeys, actor)
      const notice = JSON.stringify({ origin: this.#origin, app: app.key })
      await sql`select pg_notify(${PUBLISHED}, ${notice})`.execute(trx)
      return forms
    }), PUBLISH_CONFLICT).finally(tablesChanged)
    for (const form of published) this.#forms.set(cacheKey(appKey, form.key), form)
    this.#published.delete(appKey)
    return published
  }

  /** What people other than `installer` changed in an installed app (see template-ownership.ts). */
  changedSinceInstall(appKey: string, installer: string): Promise<Map<string, string>> {
    return changedSinceInstall(this.#database.db, appKey, installer)
  }

  /**
   * The published form, from this process's cache or the catalogue. Inside a
   * transaction pass its handle as `db`: on embedded PGlite the outer handle
   * cannot be used while a transaction holds the connection.
   */
  async findForm(appKey: string, formKey: string, db: Executor = this.#database.db): Promise<PublishedForm | undefined> {
    const cached = this.#forms.get(cacheKey(appKey, formKey))
    if (cached) return cached
    const form = await loadPublishedForm(db, appKey, formKey)
    if (form) this.#forms.set(cacheKey(appKey, formKey), form)
    return form
  }

  async getForm(appKey: string, formKey: string, db?: Executor): Promise<PublishedForm> {
    const form = await this.findForm(appKey, formKey, db)
    if (!form) throw notFound('form', `${appKey}/${formKey}`)
    return form
  }

  /** A resolver of one app's forms, for the report and import engines. */
  resolver(appKey: string): FormResolver {
    return { getForm: (formKey) => this.getForm(appKey, formKey) }
  }

  /**
   * Every published form of an app, cached like the forms themselves: the
   * permission engine reads them to follow rollups from form to form.
   */
  async publishedForms(appKey: string, db: Executor = this.#database.db): Promise<PublishedForm[]> {
    let keys = this.#published.get(appKey)
    if (!keys) {
      const { rows } = await sql<{ key: string }>`
        select key from tessera.form
        where app_key = ${appKey} and published_version is not null order by key
      `.execute(db)
      keys = rows.map((row) => row.key)
      this.#published.set(appKey, keys)
    }
    const forms: PublishedForm[] = []
    for (const key of keys) {
      const form = await this.findForm(appKey, key, db)
      if (form) forms.push(form)
    }
    return forms
  }

  async listForms(appKey: string): Promise<FormSummary[]> {
    const { rows } = await sql<{ key: string; label: LocalizedText; published_version: number | null }>`
      select key, label, published_version from tessera.form
      where app_key = ${appKey} order by created_at, key
    `.execute(this.#database.db)
    return rows.map((r) => ({ key: r.key, label: r.label, publishedVersion: r.published_version }))
  }

  async putMeta(appKey: string, kind: MetaKind, key: string, spec: unknown, actor: Actor) {
    await this.getApp(appKey)
    await this.#database.transaction((trx) => upsertMeta(trx, appKey, { kind, key, spec }, actor))
  }

  /**
   * Saves several items in one transaction: all of them or, on any failure,
   * none. What the caller checked them against is held still while they
   * are written:
   * - an item with `baseVersion` (the version it was read at) is refused
   *   with conflict.version if someone saved it since;
   * - an item with `create` is refused with conflict.unique if one of its
   *   kind and key is there already (also one saved meanwhile);
   * - `requires` names items they depend on (a dashboard's reports): they
   *   are locked against change and delete until the save commits, and one
   *   missing is refused (not_found), one at another `version` than checked
   *   (conflict.retry);
   * - `unchanged` gives the versions of every item of a kind as checked (a
   *   report checked against all dashboards): if any differs once the
   *   items are locked, the save is refused with conflict.retry.
   * A caller refused with conflict.retry reads again, checks again and
   * saves again.
   */
  async putMetaItems(
    appKey: string,
    items: ReadonlyArray<{ kind: MetaKind; key: string; spec: unknown; baseVersion?: number; create?: boolean }>,
    actor: Actor,
    requires: ReadonlyArray<{ kind: MetaKind; key: string; version?: number }> = [],
    unchanged?: { kind: MetaKind; versions: Readonly<Record<string, number>> },
  ): Promise<Record<string, number>> {
    await this.getApp(appKey)
    return this.#database.transaction(async (trx) => {
      // The rows written, locked first and in one order, so that a save
      // depending on them waits for this one (or this one for it).
      const ordered = [...items].sort((a, b) => `${a.kind}/${a.key}`.localeCompare(`${b.kind}/${b.key}`))
      for (const item of ordered) {
        const { rows } = await sql<{ version: number }>`
          select version from tessera.meta_item
          where app_key = ${appKey} and kind = ${item.kind} and key = ${item.key} for update
        `.execute(trx)
        const current = rows[0]?.version
        // An item changed from a version someone else has replaced since is refused, not overwritten.
        if (item.baseVersion !== undefined && current !== item.baseVersion) {
          throw staleMeta(item.kind, item.key, item.baseVersion, current)
        }
        if (item.create && current !== undefined) throw existingMeta(item.kind, item.key)
      }
      for (const needed of requires) {
        const { rows } = await sql<{ version: number }>`
          select version from tessera.meta_item
          where app_key = ${appKey} and kind = ${needed.kind} and key = ${needed.key} for share
        `.execute(trx)
        if (rows.length === 0) throw notFound(needed.kind, `${appKey}/${needed.key}`)
        if (needed.version !== undefined && rows[0].version !== needed.version) throw movedMeta(needed.kind, needed.key)
      }
      if (unchanged) {
        const { rows } = await sql<{ key: string; version: number }>`
          select key, version from tessera.meta_item where app_key = ${appKey} and kind = ${unchanged.kind}
        `.execute(trx)
        const now = Object.fromEntries(rows.map((row) => [row.key, row.version]))
        const keys = new Set([...Object.keys(now), ...Object.keys(unchanged.versions)])
        const moved = [...keys].find((key) => now[key] !== unchanged.versions[key])
        if (moved !== undefined) throw movedMeta(unchanged.kind, moved)
      }
      // Each item's version as stored now, by "kind/key": what a client sends back with its next change.
      const versions: Record<string, number> = {}
      for (const item of items) {
        const { version, inserted } = await upsertMeta(trx, appKey, item, actor)
        // Saved by someone else between the check above and now (no row to lock then): theirs stays.
        if (item.create && !inserted) throw existingMeta(item.kind, item.key)
        versions[`${item.kind}/${item.key}`] = version
      }
      return versions
    })
  }

  /** Every item of a kind with its spec and version, read in one statement. */
  async listMetaSpecs<T = unknown>(appKey: string, kind: MetaKind): Promise<Array<{ key: string; spec: T; version: number }>> {
    const { rows } = await sql<{ key: string; spec: T; version: number }>`
      select key, spec, version from tessera.meta_item where app_key = ${appKey} and kind = ${kind} order by key
    `.execute(this.#database.db)
    return rows
  }

  /**
   * Deletes one item; false when there was none. `check` sees every other
   * item of the app and throws to refuse the delete; saves that `require`
   * the item wait for the delete and are then refused, so nothing comes to
   * depend on it unseen.
   */
  async deleteMeta(
    appKey: string,
    kind: MetaKind,
    key: string,
    check?: (items: ReadonlyArray<{ kind: MetaKind; key: string; spec: unknown }>) => void,
    actor?: Actor,
  ): Promise<boolean> {
    await this.getApp(appKey)
    return this.#database.transaction(async (trx) => {
      // Locked first: a save that requires this item waits, or is waited
      // for, so the read below sees every item that depends on it.
      const target = await sql<{ spec: unknown }>`
        select spec from tessera.meta_item where app_key = ${appKey} and kind = ${kind} and key = ${key} for update
      `.execute(trx)
      if (target.rows.length === 0) return false
      const { rows } = await sql<{ kind: MetaKind; key: string; spec: unknown }>`
        select kind, key, spec from tessera.meta_item
        where app_key = ${appKey} and not (kind = ${kind} and key = ${key}) order by kind, key
      `.execute(trx)
      check?.(rows)
      await sql`delete from tessera.meta_item where app_key = ${appKey} and kind = ${kind} and key = ${key}`.execute(trx)
      if (actor) {
        await writeAudit(trx, {
          actor: actor.id, action: `${kind}.delete`, app: appKey, before: target.rows[0].spec, after: null, context: { key },
        })
      }
      return true
    })
  }

  /** An item with its version (which moves each time its spec changes). */
  async getMetaVersioned<T = unknown>(appKey: string, kind: MetaKind, key: string): Promise<{ spec: T; version: number }> {
    const { rows } = await sql<{ spec: T; version: number }>`
      select spec, version from tessera.meta_item
      where app_key = ${appKey} and kind = ${kind} and key = ${key}
    `.execute(this.#database.db)
    if (!rows[0]) throw notFound(kind, `${appKey}/${key}`)
    return rows[0]
  }

  async findMeta<T = unknown>(appKey: string, kind: MetaKind, key: string): Promise<T | undefined> {
    const { rows } = await sql<{ spec: T }>`
      select spec from tessera.meta_item
      where app_key = ${appKey} and kind = ${kind} and key = ${key}
    `.execute(this.#database.db)
    return rows[0]?.spec
  }

  async getMeta<T = unknown>(appKey: string, kind: MetaKind, key: string): Promise<T> {
    const spec = await this.findMeta<T>(appKey, kind, key)
    if (spec === undefined) throw notFound(kind, `${appKey}/${key}`)
    return spec
  }

  async listMeta(appKey: string, kind: MetaKind): Promise<MetaSummary[]> {
    const { rows } = await sql<{ key: string; label: LocalizedText | null; version: number }>`
      select key, spec->'label' as label, version from tessera.meta_item
      where app_key = ${appKey} and kind = ${kind} order by key
    `.execute(this.#database.db)
    return rows.map((r) => ({ key: r.key, label: r.label ?? r.key, version: r.version }))
  }

  async getSetting<T>(key: string, fallback: T): Promise<T> {
    const { rows } = await sql<{ value: T }>`
      select value from tessera.setting where key = ${key}
    `.execute(this.#database.db)
    return rows[0] ? rows[0].value : fallback
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    await sql`
      insert into tessera.setting (key, value) values (${key}, ${JSON.stringify(value)})
      on conflict (key) do update set value = excluded.value
    `.execute(this.#database.db)
  }
}

function staleMeta(kind: MetaKind, key: string, base: number, current: number | undefined): TesseraError {
  const en = current === undefined
    ? `${kind} "${key}" was deleted after version ${base} was read`
    : `${kind} "${key}" was changed by someone else (version ${current}, this change started from ${base}); reload it and make the change again`
  return new TesseraError('conflict.version', en, {
    details: { kind, key, expected: base, current: current ?? null },
    messages: {
      'zh-CN': current === undefined
        ? `「${key}」已被删除`
        : `「${key}」已被他人修改（当前版本 ${current}，本次修改基于版本 ${base}），请重新加载后再改`,
      en,
    },
  })
}

/** A new item whose kind and key are taken. */
function existingMeta(kind: MetaKind, key: string): TesseraError {
  const en = `${kind} "${key}" already exists; choose another key`
  return new TesseraError('conflict.unique', en, {
    details: { kind, key },
    issues: [{ field: 'key', rule: 'unique', message: en, received: key }],
    messages: { 'zh-CN': `标识「${key}」已被占用，请换一个`, en },
  })
}

/** An item a save was checked against changed before the save could hold it: check and save again. */
function movedMeta(kind: MetaKind, key: string): TesseraError {
  const en = `${kind} "${key}" changed while this save was being checked; check and save again`
  return new TesseraError('conflict.retry', en, {
    details: { kind, key },
    messages: { 'zh-CN': `检查期间「${key}」被修改，请重新保存`, en },
  })
}

/** Inserts or replaces one item; its version moves only when the spec changed. */
/**
 * Writes one item, and an audit line (`report.save`, `dashboard.save`…)
 * with the spec before and after when it changed: a changed report
 * formula must leave a trace. Runs inside the caller's transaction.
 */
async function upsertMeta(
  db: Executor,
  appKey: string,
  item: { kind: MetaKind; key: string; spec: unknown },
  actor: Actor,
): Promise<{ version: number; inserted: boolean }> {
  const text = JSON.stringify(item.spec)
  const { rows } = await sql<{ spec: unknown; same: boolean }>`
    select spec, spec = ${text}::jsonb as same from tessera.meta_item
    where app_key = ${appKey} and kind = ${item.kind} and key = ${item.key} for update
  `.execute(db)
  const { rows: stored } = await sql<{ version: number; inserted: boolean }>`
    insert into tessera.meta_item (app_key, kind, key, spec, updated_by)
    values (${appKey}, ${item.kind}, ${item.key}, ${text}, ${actor.id})
    on conflict (app_key, kind, key) do update set spec = excluded.spec,
      updated_by = excluded.updated_by, updated_at = now(),
      version = tessera.meta_item.version + case
        when tessera.meta_item.spec = excluded.spec then 0 else 1 end
    returning version, (xmax = 0) as inserted
  `.execute(db)
  // xmax is 0 on a row this statement inserted, not on one it updated (also
  // one another transaction inserted while this one waited on its key).
  const version = Number(stored[0].version)
  const inserted = stored[0].inserted
  if (rows[0]?.same) return { version, inserted }
  await writeAudit(db, {
    actor: actor.id, action: `${item.kind}.save`, app: appKey,
    before: rows[0]?.spec ?? null, after: item.spec, context: { key: item.key },
  })
  return { version, inserted }
}

interface AppRow {
  key: string
  label: LocalizedText
  description: LocalizedText | null
  version: string | null
  data_schema: string
}

function toAppSummary(row: AppRow): AppSummary {
  return {
    key: row.key,
    label: row.label,
    description: row.description ?? undefined,
    version: row.version ?? undefined,
    dataSchema: row.data_schema,
  }
}

function cacheKey(appKey: string, formKey: string): string {
  return `${appKey}/${formKey}`
}

function json(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value)
}

export async function loadPublishedForm(
  db: Executor,
  appKey: string,
  formKey: string,
): Promise<PublishedForm | undefined> {
  const { rows } = await sql<{ definition: FormDefinition; version: number; table_name: string; data_schema: string }>`
    select v.definition, v.version, f.table_name, a.data_schema
    from tessera.form f
    join tessera.app a on a.key = f.app_key
    join tessera.form_version v
      on v.app_key = f.app_key and v.form_key = f.key and v.version = f.published_version
    where f.app_key = ${appKey} and f.key = ${formKey}
  `.execute(db)
  const row = rows[0]
  if (!row) return undefined
  return {
    app: appKey,
    key: formKey,
    version: row.version,
    definition: row.definition,
    table: { schema: row.data_schema, name: row.table_name },
  }
}

export function assertPublished(form: PublishedForm | undefined, appKey: string, key: string) {
  if (!form) {
    throw new TesseraError('metadata.invalid', `form "${key}" of app "${appKey}" is not published`)
  }
  return form
}
