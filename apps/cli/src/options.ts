import { resolve } from 'node:path'
import { TesseraError } from '@tessera/core'
import type { OpenDatabaseOptions } from '@tessera/store'

/**
 * Where the data lives: DATABASE_URL (or --database-url) for a real
 * PostgreSQL server; otherwise embedded PGlite in --data-dir,
 * TESSERA_DATA_DIR, or ./data under the working directory.
 */
export function databaseOptions(flags: { 'database-url'?: string; 'data-dir'?: string }): OpenDatabaseOptions {
  const url = flags['database-url'] ?? process.env.DATABASE_URL
  if (url) return { url: checkedUrl(url) }
  return { dataDir: resolve(flags['data-dir'] ?? (process.env.TESSERA_DATA_DIR || 'data'), 'pglite') }
}

export function dataDir(flags: { 'data-dir'?: string }): string {
  return resolve(flags['data-dir'] ?? (process.env.TESSERA_DATA_DIR || 'data'))
}

/** A PostgreSQL address, or a refusal saying what one looks like. */
function checkedUrl(url: string): string {
  let protocol: string | undefined
  try {
    protocol = new URL(url).protocol
  } catch {
    protocol = undefined
  }
  if (protocol === 'postgres:' || protocol === 'postgresql:') return url
  throw new TesseraError('request.invalid', 'DATABASE_URL (or --database-url) must be a PostgreSQL address such as postgres://user:password@host:5432/database, ' +
    `got ${url.includes('@') ? 'an address with another scheme' : JSON.stringify(url)}`, { details: { setting: 'DATABASE_URL' } })
}
