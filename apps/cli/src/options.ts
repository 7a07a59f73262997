import { resolve } from 'node:path'
import type { OpenDatabaseOptions } from '@tessera/store'

/**
 * Where the data lives: DATABASE_URL (or --database-url) for a real
 * PostgreSQL server; otherwise embedded PGlite in --data-dir,
 * TESSERA_DATA_DIR, or ./data under the working directory.
 */
export function databaseOptions(flags: { 'database-url'?: string; 'data-dir'?: string }): OpenDatabaseOptions {
  const url = flags['database-url'] ?? process.env.DATABASE_URL
  if (url) return { url }
  return { dataDir: resolve(flags['data-dir'] ?? (process.env.TESSERA_DATA_DIR || 'data'), 'pglite') }
}

export function dataDir(flags: { 'data-dir'?: string }): string {
  return resolve(flags['data-dir'] ?? (process.env.TESSERA_DATA_DIR || 'data'))
}
