import { randomUUID } from 'node:crypto'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import type { Platform } from '@tessera/platform'

/**
 * Where uploaded files are kept, in this order: the server option (the
 * command line passes `<data dir>/files`), TESSERA_FILES_DIR, then next to
 * the embedded database (`<data dir>/files` beside `<data dir>/pglite`),
 * or ./data/files with PostgreSQL. An in-memory database (tests) gets a
 * fresh temporary folder, as short-lived as its data.
 */
export function filesDirFor(platform: Platform, option?: string): string {
  if (option) return resolve(option)
  const fromEnv = process.env.TESSERA_FILES_DIR
  if (fromEnv) return resolve(fromEnv)
  const { kind, location } = platform.database
  if (kind === 'postgres') return resolve('data', 'files')
  if (location === 'memory') return join(tmpdir(), `tessera-files-${randomUUID()}`)
  return join(dirname(location), 'files')
}
