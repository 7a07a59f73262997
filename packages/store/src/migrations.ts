import { Migrator, sql, type Migration, type MigrationProvider } from 'kysely'
import { TesseraError } from '@tessera/core'
import type { Database } from './database.js'
import { ensureLimitTotals } from './write/limit-totals.js'
import * as catalogue from './migrations/0001-catalogue.js'
import * as identity from './migrations/0002-identity.js'
import * as permissionsAudit from './migrations/0003-permissions-audit.js'
import * as formEngine from './migrations/0004-form-engine.js'
import * as attachments from './migrations/0005-attachments.js'
import * as rateLimit from './migrations/0006-rate-limit.js'
import * as listViews from './migrations/0007-list-views.js'
import * as limitTotals from './migrations/0008-limit-totals.js'
import * as closedPeriods from './migrations/0009-closed-periods.js'

/** The platform's own tables, in schema `tessera`. Records live elsewhere. */
export const SYSTEM_SCHEMA = 'tessera'

/**
 * Every migration, in order. Each lives in its own file under migrations/
 * and only adds: a released migration is never edited.
 */
const migrations: Record<string, Migration> = {
  '0001-catalogue': catalogue,
  '0002-identity': identity,
  '0003-permissions-audit': permissionsAudit,
  '0004-form-engine': formEngine,
  '0005-attachments': attachments,
  '0006-rate-limit': rateLimit,
  '0007-list-views': listViews,
  '0008-limit-totals': limitTotals,
  '0009-closed-periods': closedPeriods,
}

class StaticProvider implements MigrationProvider {
  async getMigrations() {
    return migrations
  }
}

/** Brings the system tables up to date; safe to call at every start. */
export async function migrate(database: Database): Promise<void> {
  await sql`create schema if not exists tessera`.execute(database.db)
  const migrator = new Migrator({
    db: database.db,
    provider: new StaticProvider(),
    migrationTableSchema: SYSTEM_SCHEMA,
    migrationTableName: 'migration',
    migrationLockTableName: 'migration_lock',
  })
  const { error, results } = await migrator.migrateToLatest()
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName
    throw new TesseraError('internal', `migration ${failed ?? '?'} failed: ${String(error)}`, {
      cause: error,
    })
  }
  // Constraints published before their totals were kept (or whose total
  // column was dropped by hand) get the column, filled from their records.
  await database.transaction((trx) => ensureLimitTotals(trx))
}
