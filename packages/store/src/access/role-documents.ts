import { sql } from 'kysely'
import {
  notFound,
  TesseraError,
  type Actor,
  type Locale,
  type PublishedForm,
  type RoleSpec,
  requireAdmin,
} from '@tessera/core'
import { originContext, writeAudit, type AuditOrigin } from '../audit/audit-log.js'
import type { Catalog } from '../catalog.js'
import type { Database } from '../database.js'
import { checkRoleSpec, type RoleSpecContext } from './check-role-spec.js'

export interface RoleWriteOptions {
  locale?: Locale
  origin?: AuditOrigin
}

/**
 * The role documents of apps (metadata kind "role"): listed, checked,
 * saved and deleted. Only platform administrators change them, and every
 * change is written to the audit trail with the document before and after.
 */
export class RoleDocuments {
  readonly #database: Database
  readonly #catalog: Catalog

  constructor(database: Database, catalog: Catalog) {
    this.#database = database
    this.#catalog = catalog
  }

  async list(app: string): Promise<RoleSpec[]> {
    await this.#catalog.getApp(app)
    const { rows } = await sql<{ spec: RoleSpec }>`
      select spec from tessera.meta_item where app_key = ${app} and kind = 'role' order by key`
      .execute(this.#database.db)
    return rows.map((row) => row.spec)
  }

  async get(app: string, key: string): Promise<RoleSpec> {
    const spec = await this.#catalog.findMeta<RoleSpec>(app, 'role', key)
    if (!spec) throw notFound('role', `${app}/${key}`)
    return spec
  }

  /** The app's forms, reports and dashboards, which role documents name. */
  async context(app: string, locale?: Locale): Promise<RoleSpecContext> {
    const forms = new Map<string, PublishedForm>()
    for (const summary of await this.#catalog.listForms(app)) {
      if (summary.publishedVersion === null) continue
      forms.set(summary.key, await this.#catalog.getForm(app, summary.key))
    }
    const reports = new Set((await this.#catalog.listMeta(app, 'report')).map((r) => r.key))
    const dashboards = new Set((await this.#catalog.listMeta(app, 'dashboard')).map((d) => d.key))
    return { forms, reports, dashboards, locale }
  }

  /**
   * Checks and stores a role (creating or replacing it) and audits the
   * change as "role.save". `key`, when given, must equal the document's key.
   * Saving an unchanged document writes nothing.
   */
  async save(actor: Actor, app: string, spec: unknown, options: RoleWriteOptions & { key?: string; context?: RoleSpecContext } = {}) {
    requireAdmin(actor, `change the roles of app "${app}"`)
    await this.#catalog.getApp(app)
    const context = options.context ?? (await this.context(app, options.locale))
    const role = checkRoleSpec(spec, context)
    if (options.key !== undefined && options.key !== role.key) {
      throw new TesseraError('request.invalid', `the role document's key "${role.key}" differs from the key in the address, "${options.key}"`, {
        details: { expected: options.key, received: role.key },
      })
    }

    await this.#database.transaction(async (trx) => {
      const text = JSON.stringify(role)
      const { rows } = await sql<{ spec: RoleSpec; same: boolean }>`
        select spec, spec = ${text}::jsonb as same from tessera.meta_item
        where app_key = ${app} and kind = 'role' and key = ${role.key} for update`.execute(trx)
      const before = rows[0]?.spec
      if (rows[0]?.same) return
      await sql`
        insert into tessera.meta_item (app_key, kind, key, spec, updated_by)
        values (${app}, 'role', ${role.key}, ${text}, ${actor.id})
        on conflict (app_key, kind, key) do update set spec = excluded.spec,
          updated_by = excluded.updated_by, updated_at = now(),
          version = tessera.meta_item.version + 1`.execute(trx)
      await writeAudit(trx, {
        actor: actor.id, action: 'role.save', app, before: before ?? null, after: role,
        context: { ...originContext(options.origin), role: role.key },
      })
    })
    return role
  }

  async delete(actor: Actor, app: string, key: string, options: RoleWriteOptions = {}) {
    requireAdmin(actor, `change the roles of app "${app}"`)
    await this.#database.transaction(async (trx) => {
      const { rows } = await sql<{ spec: RoleSpec }>`
        delete from tessera.meta_item where app_key = ${app} and kind = 'role' and key = ${key}
        returning spec`.execute(trx)
      if (!rows[0]) throw notFound('role', `${app}/${key}`)
      await writeAudit(trx, {
        actor: actor.id, action: 'role.delete', app, before: rows[0].spec,
        context: { ...originContext(options.origin), role: key },
      })
    })
  }
}

