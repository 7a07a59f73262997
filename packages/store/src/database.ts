import { mkdirSync } from 'node:fs'
import { lockDataDir } from './data-dir-lock.js'
import { resolve } from 'node:path'
import pg from 'pg'
import {
  isAbortedTransactionError,
  Kysely,
  PostgresDialect,
  sql,
  type Transaction,
} from 'kysely'
import { TesseraError } from '@tessera/core'
import { PGliteDialect, runInTransactionScope } from './pglite-dialect.js'
import { type NoticeHandler, NoticeListener } from './notices.js'
import { PreparingClient } from './prepared-statements.js'
import { PGLITE_PARSERS, pgTypes } from './type-parsers.js'

// Tables are created from metadata at run time, so the query builder is
// untyped; identifiers still come only from the catalogue.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Db = Kysely<any>
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Trx = Transaction<any>
export type Executor = Db | Trx

export type DatabaseKind = 'pglite' | 'postgres'

export interface OpenDatabaseOptions {
  /** A postgres:// URL. Without it, embedded PGlite is used. */
  url?: string
  /** PGlite's data folder; omitted (and no url) means in memory. */
  dataDir?: string
  /** Pool size for real Postgres. */
  poolSize?: number
}

/**
 * One open database: embedded PGlite or a real PostgreSQL server, behind the
 * same kysely handle, the same SQL and the same result types.
 */
export class Database {
  readonly db: Db
  readonly kind: DatabaseKind
  /** Where the data lives: the PGlite folder, or the URL without password. */
  readonly location: string

  readonly #notices: NoticeListener | undefined

  constructor(db: Db, kind: DatabaseKind, location: string, url?: string) {
    this.db = db
    this.kind = kind
    this.location = location
    this.#notices = url === undefined ? undefined : new NoticeListener(url)
  }

  /**
   * Calls `handler` with the payload of each `pg_notify(channel, …)` that
   * another session of this PostgreSQL database commits (see notices.ts);
   * with `undefined` after the listening connection was lost and opened
   * again. On PGlite, which one process holds, nothing is ever delivered.
   * Resolves after the first try to listen; the result unsubscribes.
   */
  async onNotice(channel: string, handler: NoticeHandler): Promise<() => void> {
    if (!this.#notices) return () => {}
    return this.#notices.subscribe(channel, handler)
  }

  /**
   * Runs `fn` in one transaction. Any error rolls everything back; an error
   * that was caught inside `fn` but aborted the transaction still fails the
   * call (db.transaction_aborted) instead of committing half the work.
   */
  async transaction<T>(fn: (trx: Trx) => Promise<T>): Promise<T> {
    // Only PGlite needs to know that a callback runs inside a transaction;
    // the mark (async hooks) would slow every promise on PostgreSQL. It
    // covers the callback only: the transaction's own wait for the one
    // connection (another request's transaction holds it) is no stray query.
    const run = this.kind === 'pglite'
      ? () => this.db.transaction().execute((trx) => runInTransactionScope(() => fn(trx)))
      : () => this.db.transaction().execute(fn)
    try {
      return await run()
    } catch (error) {
      if (isAbortedTransactionError(error)) {
        throw new TesseraError(
          'db.transaction_aborted',
          'a statement failed inside the transaction and everything in it was rolled back',
          { cause: error },
        )
      }
      throw error
    }
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db)
  }

  async close(): Promise<void> {
    await this.#notices?.close()
    await this.db.destroy()
    this.#release?.()
  }

  #release: (() => void) | undefined

  /** Called once the folder lock is held, to free it on close. */
  holdLock(release: () => void): void {
    this.#release = release
  }
}

export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<Database> {
  if (options.url) return openPostgres(options.url, options.poolSize ?? 10)
  return openPGlite(options.dataDir)
}

async function openPGlite(dataDir: string | undefined): Promise<Database> {
  // Loaded only when used: a PostgreSQL deployment never needs the WASM build.
  const { PGlite } = await import('@electric-sql/pglite')
  let location = 'memory'
  let release: (() => void) | undefined
  if (dataDir) {
    location = resolve(dataDir)
    mkdirSync(location, { recursive: true })
    release = lockDataDir(location)
  }
  const pglite = new PGlite({
    dataDir: dataDir ? location : undefined,
    parsers: PGLITE_PARSERS,
  })
  await pglite.waitReady
  const db = new Kysely({ dialect: new PGliteDialect(pglite) })
  const database = new Database(db, 'pglite', location)
  if (release) database.holdLock(release)
  return database
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    // Statements marked PREPARE are prepared once per connection.
    Client: PreparingClient,
    types: pgTypes(pg.types.getTypeParser as never),
  })
  // An idle client that loses its server is dropped by the pool; without a
  // listener that event would crash the process.
  pool.on('error', () => {})
  const db = new Kysely({ dialect: new PostgresDialect({ pool }) })
  const database = new Database(db, 'postgres', redactUrl(url), url)
  await database.ping()
  return database
}

function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password) parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'postgres'
  }
}
