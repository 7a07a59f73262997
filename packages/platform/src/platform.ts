import {
  DEFAULT_TIME_ZONE,
  todayIn,
  type Actor,
  type Locale,
} from '@tessera/core'
import { runImport, type ImportOptions, type ImportResult } from '@tessera/importer'
import { checkReportSpec, runReport, type ReportResult } from '@tessera/reports'
import {
  Catalog,
  migrate,
  openDatabase,
  RecordService,
  type Database,
  type OpenDatabaseOptions,
  type RowScope,
} from '@tessera/store'
import type { Readable } from 'node:stream'
import { sql } from 'kysely'
import { installTemplate, type InstallResult } from './install-template.js'

/**
 * Everything a running Tessera needs, wired once: the database, the metadata
 * catalogue, the record service and the engines over them. The server and
 * the command line are thin adapters over this object.
 */
export class Platform {
  readonly database: Database
  readonly catalog: Catalog
  readonly records: RecordService

  constructor(database: Database, options: { scope?: RowScope } = {}) {
    this.database = database
    this.catalog = new Catalog(database)
    this.records = new RecordService(database, this.catalog, { scope: options.scope })
  }

  async timeZone(): Promise<string> {
    return this.catalog.getSetting('timeZone', DEFAULT_TIME_ZONE)
  }

  async today(): Promise<string> {
    return todayIn(await this.timeZone())
  }

  installTemplate(dir: string, actor: Actor): Promise<InstallResult> {
    return installTemplate(this.catalog, dir, actor)
  }

  async runReport(
    actor: Actor,
    appKey: string,
    reportKey: string,
    params: Record<string, unknown>,
    locale: Locale = 'zh-CN',
  ): Promise<ReportResult> {
    const forms = this.catalog.resolver(appKey)
    const stored = await this.catalog.getMeta(appKey, 'report', reportKey)
    const spec = await checkReportSpec(stored, forms)
    return runReport(this.database.db, spec, forms, params, {
      timeZone: await this.timeZone(),
      locale,
      source: (form, alias) => this.records.query.source(actor, form, alias),
    })
  }

  runImport(appKey: string, mappingKey: string, input: string | Readable, options: ImportOptions): Promise<ImportResult> {
    return runImport(this, appKey, mappingKey, input, options)
  }

  /** How many imports into an app have succeeded: zero means a fresh install. */
  async succeededImports(appKey: string): Promise<number> {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from tessera.import_run
      where app_key = ${appKey} and status = 'succeeded'`.execute(this.database.db)
    return rows[0].n
  }

  close(): Promise<void> {
    return this.database.close()
  }
}

/** Opens (and migrates) the database and returns the wired platform. */
export async function openPlatform(options: OpenDatabaseOptions = {}): Promise<Platform> {
  const database = await openDatabase(options)
  await migrate(database)
  return new Platform(database)
}
