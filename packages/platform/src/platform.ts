import {
  companyTimeZone,
  localize,
  requireAdmin,
  todayIn,
  type Actor,
  type Locale,
  type LocalizedText,
  type PublishedForm,
} from '@tessera/core'
import { runImport, type ImportOptions, type ImportResult } from '@tessera/importer'
import { checkReportSpec, runReport, type ReportResult, type RowSource, type RunShape } from '@tessera/reports'
import {
  Catalog,
  migrate,
  openDatabase,
  Permissions,
  RecordService,
  RoleDocuments,
  RoleGrants,
  searchAudit,
  actorNames,
  type AuditPage,
  type AuditQuery,
  type Database,
  type OpenDatabaseOptions,
  type RowScope,
} from '@tessera/store'
import type { Readable } from 'node:stream'
import { sql } from 'kysely'
import { type GridBox, reflowLayout, settleLayout } from './dashboard-layout.js'
import { assertImportAllowed } from './import-access.js'
import { installTemplate, type InstallResult } from './install-template.js'
import { refuse } from './refuse.js'
import { defaultCacheLimits, ResultCache, type ResultCacheLimits } from './result-cache.js'

/**
 * Everything a running Tessera needs, wired once: the database, the metadata
 * catalogue, the record service and the engines over them. The server and
 * the command line are thin adapters over this object.
 */
export class Platform {
  readonly database: Database
  readonly catalog: Catalog
  readonly records: RecordService
  /** Who may do what: role documents decide, every engine asks. */
  readonly permissions: Permissions
  readonly roles: RoleDocuments
  /** Report results for repeated views of unchanged data (see ResultCache). */
  readonly reportCache: ResultCache
  readonly #enforced: boolean

  /**
   * `scope` is a test hook: a bare row scope that replaces the permission
   * engine (no role checks at all). Without it, permissions apply.
   */
  constructor(database: Database, options: { scope?: RowScope; reportCache?: ResultCacheLimits } = {}) {
    this.database = database
    this.reportCache = new ResultCache(options.reportCache ?? defaultCacheLimits())
    this.catalog = new Catalog(database)
    this.permissions = new Permissions(database, this.catalog)
    this.roles = new RoleDocuments(database, this.catalog)
    this.#enforced = options.scope === undefined
    this.records = new RecordService(database, this.catalog, this.#enforced
      ? { permissions: this.permissions }
      : { scope: options.scope })
  }

  /** The actor's grants in an app, its role documents freshly loaded. */
  async grants(actor: Actor, appKey: string): Promise<RoleGrants> {
    if (!this.#enforced) return new RoleGrants({ ...actor, admin: true, scopes: undefined }, appKey, [])
    if (!(actor.admin && actor.scopes === undefined)) await this.permissions.prepare(appKey)
    return this.permissions.grants(actor, appKey)
  }

  /** 403 unless the actor holds a role in the app (or is an administrator). */
  async enterApp(actor: Actor, appKey: string, locale: Locale = 'zh-CN'): Promise<RoleGrants> {
    await this.catalog.getApp(appKey)
    const grants = await this.grants(actor, appKey)
    if (!grants.entered) {
      const app = await this.catalog.getApp(appKey)
      refuse(actor, locale, `进入应用「${localize(app.label, 'zh-CN')}」`, `open app "${localize(app.label, 'en')}"`)
    }
    return grants
  }

  /** 403 unless one of the actor's roles lists the report. */
  async assertReport(actor: Actor, appKey: string, reportKey: string, locale: Locale = 'zh-CN') {
    const grants = await this.grants(actor, appKey)
    if (!grants.canRunReport(reportKey)) {
      const label = await this.#metaLabel(appKey, 'report', reportKey)
      refuse(actor, locale, `查看报表「${localize(label, 'zh-CN')}」`, `run report "${localize(label, 'en')}"`)
    }
  }

  /** 403 unless one of the actor's roles lists the dashboard. */
  async assertDashboard(actor: Actor, appKey: string, key: string, locale: Locale = 'zh-CN') {
    const grants = await this.grants(actor, appKey)
    if (!grants.canOpenDashboard(key)) {
      const label = await this.#metaLabel(appKey, 'dashboard', key)
      refuse(actor, locale, `查看看板「${localize(label, 'zh-CN')}」`, `open dashboard "${localize(label, 'en')}"`)
    }
    return grants
  }

  /** A report's or dashboard's label for a refusal; its key when it has none (or is not there). */
  async #metaLabel(appKey: string, kind: 'report' | 'dashboard', key: string): Promise<LocalizedText> {
    const spec = await this.catalog.getMeta<{ label?: LocalizedText }>(appKey, kind, key).catch(() => undefined)
    return spec?.label ?? key
  }

  /**
   * A dashboard as the actor may see it: 403 unless a role lists it, and
   * without the widgets whose report the actor may not run.
   */
  async dashboardFor(actor: Actor, appKey: string, key: string, locale: Locale = 'zh-CN') {
    const grants = await this.assertDashboard(actor, appKey, key, locale)
    // With its version: a changed dashboard sent back with it is refused if
    // someone else saved the dashboard in between (see saveDashboard).
    const { spec, version } = await this.catalog.getMetaVersioned<{
      widgets?: Array<{ report?: string; layout: GridBox }>
      params?: unknown
    }>(
      appKey, 'dashboard', key)
    if (!Array.isArray(spec.widgets)) return { ...spec, version }
    const widgets = spec.widgets.filter((w) => typeof w.report !== 'string' || grants.canRunReport(w.report))
    if (widgets.length === spec.widgets.length) {
      // Saved before overlapping widgets were moved apart on save: shown apart all the same.
      const settled = settleLayout(widgets.map((widget) => widget.layout))
      return { ...spec, widgets: widgets.map((widget, index) => ({ ...widget, layout: settled[index] })), version }
    }
    // Widgets left out would leave holes their size: the rest widen into
    // their rows and move up. (Only administrators edit layouts, and they
    // are shown every widget.)
    const shown = spec.widgets.map((widget) => widgets.includes(widget))
    const layouts = reflowLayout(spec.widgets.map((widget) => widget.layout), shown)
    const params = await this.#paramsTaken(appKey, spec.params, widgets)
    return {
      ...spec,
      ...(params ? { params } : {}),
      widgets: widgets.map((widget, index) => ({ ...widget, layout: layouts[index] })),
      version,
    }
  }

  /**
   * The dashboard params some widget shown still takes (its report declares
   * it): a reader shown only an aging as of a date is not offered a period
   * that changes nothing. Undefined when the dashboard has no params.
   */
  async #paramsTaken(
    appKey: string,
    params: unknown,
    widgets: ReadonlyArray<{ report?: string; params?: Record<string, unknown> }>,
  ): Promise<unknown[] | undefined> {
    if (!Array.isArray(params)) return undefined
    const taken = new Set<string>()
    for (const widget of widgets) {
      if (typeof widget.report !== 'string') continue
      const spec = await this.catalog.getMeta<{ params?: Array<{ key: string }> }>(appKey, 'report', widget.report)
        .catch(() => undefined)
      // A value the widget fixes itself is not the dashboard's to change.
      for (const param of spec?.params ?? []) if (!Object.hasOwn(widget.params ?? {}, param.key)) taken.add(param.key)
    }
    return params.filter((param: { key?: unknown }) => typeof param.key === 'string' && taken.has(param.key))
  }

  /** The audit trail, for administrators; dates are read in the company time zone. */
  async searchAudit(actor: Actor, query: AuditQuery): Promise<AuditPage> {
    requireAdmin(actor, 'search the audit trail')
    const page = await searchAudit(this.database.db, { ...query, timeZone: await this.timeZone() })
    // Users by their display names, as a record's history shows them.
    const names = await actorNames(this.database.db, page.items.map((row) => row.actor))
    for (const row of page.items) {
      const name = names.get(row.actor)
      if (name !== undefined) row.actorName = name
    }
    return page
  }

  async timeZone(): Promise<string> {
    return companyTimeZone(await this.catalog.getSetting<unknown>('timeZone', null))
  }

  async today(): Promise<string> {
    return todayIn(await this.timeZone())
  }

  installTemplate(dir: string, actor: Actor): Promise<InstallResult> {
    return installTemplate(this.catalog, dir, actor, this.roles)
  }

  async runReport(
    actor: Actor,
    appKey: string,
    reportKey: string,
    params: Record<string, unknown>,
    locale: Locale = 'zh-CN',
    shape: RunShape = {},
  ): Promise<ReportResult> {
    await this.assertReport(actor, appKey, reportKey, locale)
    const forms = this.catalog.resolver(appKey)
    const stored = await this.catalog.getMeta(appKey, 'report', reportKey)
    const spec = await checkReportSpec(stored, forms, { locale })
    // A token's scopes chose this report; its figures are then those of the
    // user behind the token (their rows and fields), not limited further to
    // forms the token could also list, which would silently give zeros.
    const reader: Actor = { ...actor, scopes: undefined }
    const timeZone = await this.timeZone()
    // The key holds all the answer depends on besides the data: the reader,
    // the spec as stored, the params, the run's shape, and today's date.
    const key = JSON.stringify([reader, appKey, spec, params, shape, locale, timeZone, todayIn(timeZone)])
    return this.reportCache.run(this.database.db, key, async () => {
      const watch = watchedSource(this.records.query.reportSource(reader))
      const result = await runReport(this.database.db, spec, forms, params, { ...shape, timeZone, locale, source: watch.source })
      return { ...result, ...this.#leftOut(reader, watch) }
    })
  }

  /**
   * What a report's reader does not see of what it read: whole forms they
   * may not read (their records count as none), and fields hidden from
   * them (read as empty), so the figures can say so.
   */
  #leftOut(reader: Actor, watch: WatchedSource): Pick<ReportResult, 'unreadable' | 'hidden'> {
    const unreadable: NonNullable<ReportResult['unreadable']> = []
    const hidden: NonNullable<ReportResult['hidden']> = []
    for (const form of watch.forms.values()) {
      if (!this.permissions.can(reader, form, 'read')) {
        unreadable.push({ form: form.key, label: form.definition.label })
        continue
      }
      const fields = watch.fields.get(form.key)
      if (!fields) continue
      const hiddenHere = this.permissions.hiddenFields(reader, form)
      for (const field of form.definition.fields) {
        if (fields.has(field.key) && hiddenHere.has(field.key)) {
          hidden.push({ form: form.key, formLabel: form.definition.label, field: field.key, label: field.label })
        }
      }
    }
    return { ...(unreadable.length > 0 ? { unreadable } : {}), ...(hidden.length > 0 ? { hidden } : {}) }
  }

  /** Needs the import action, with every row in reach, on each form the mapping writes. */
  async runImport(appKey: string, mappingKey: string, input: string | Readable, options: ImportOptions): Promise<ImportResult> {
    if (this.#enforced) {
      const grants = await this.grants(options.actor, appKey)
      await assertImportAllowed(this.catalog, grants, options.actor, appKey, mappingKey, options.locale)
    }
    return runImport(this, appKey, mappingKey, input, options)
  }

  /**
   * Whether any form of the app holds a record: the test for a fresh
   * install, before sample data may be loaded. (Not whether an import ever
   * ran: records entered by hand count, and sample data upserted by key
   * would overwrite them.)
   */
  async holdsRecords(appKey: string): Promise<boolean> {
    for (const form of await this.catalog.publishedForms(appKey)) {
      const { rows } = await sql<{ found: boolean }>`
        select exists (select 1 from ${sql.table(`${form.table.schema}.${form.table.name}`)}) as found`
        .execute(this.database.db)
      if (rows[0].found) return true
    }
    return false
  }

  close(): Promise<void> {
    return this.database.close()
  }
}

interface WatchedSource {
  source: RowSource
  /** The forms whose rows the statement read, by key. */
  forms: Map<string, PublishedForm>
  /** The fields it read, by form key. */
  fields: Map<string, Set<string>>
}

/** A reader's row source that notes which forms and fields a report reads through it. */
function watchedSource(source: RowSource): WatchedSource {
  const forms = new Map<string, PublishedForm>()
  const fields = new Map<string, Set<string>>()
  const watched: RowSource = Object.assign((form: PublishedForm, alias: string) => {
    forms.set(form.key, form)
    return source(form, alias)
  }, {
    ...(source.readsStored ? { readsStored: source.readsStored } : {}),
    noteField(form: PublishedForm, key: string) {
      let keys = fields.get(form.key)
      if (!keys) fields.set(form.key, keys = new Set())
      keys.add(key)
    },
  })
  return { source: watched, forms, fields }
}

/** Opens (and migrates) the database and returns the wired platform. */
export async function openPlatform(options: OpenDatabaseOptions = {}): Promise<Platform> {
  const database = await openDatabase(options)
  await migrate(database)
  return new Platform(database)
}
