import { AsyncLocalStorage } from 'node:async_hooks'
import type { PGlite } from '@electric-sql/pglite'
import {
  AbortedTransactionError,
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely'
import { TesseraError } from '@tessera/core'

/**
 * A kysely dialect for embedded PGlite.
 *
 * PGlite is one connection. A transaction therefore holds that connection
 * exclusively until it ends: a query from elsewhere waits instead of landing
 * inside somebody else's transaction. A query started with the outer handle
 * from inside a transaction callback would wait forever, so it fails at once
 * (the callback must use its `trx`). COMMIT of a transaction that an earlier
 * error aborted completes as ROLLBACK in Postgres; that is reported as an
 * error, never as a silent success.
 */
export class PGliteDialect implements Dialect {
  readonly #pglite: PGlite

  constructor(pglite: PGlite) {
    this.#pglite = pglite
  }

  createAdapter() {
    return new PostgresAdapter()
  }

  createDriver(): Driver {
    return new PGliteDriver(this.#pglite)
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  createIntrospector(db: Kysely<any>) {
    return new PostgresIntrospector(db)
  }

  createQueryCompiler() {
    return new PostgresQueryCompiler()
  }
}

/** Marks the async context of code running inside a transaction callback. */
const transactionScope = new AsyncLocalStorage<true>()

/**
 * Runs a transaction callback so that a stray query on the outer handle
 * inside it fails fast instead of waiting for the connection it holds.
 */
export function runInTransactionScope<T>(fn: () => Promise<T>): Promise<T> {
  return transactionScope.run(true, fn)
}

class PGliteDriver implements Driver {
  readonly #connection: PGliteConnection
  #queue: Promise<void> = Promise.resolve()

  constructor(pglite: PGlite) {
    this.#connection = new PGliteConnection(pglite)
  }

  async init(): Promise<void> {
    await this.#connection.pglite.waitReady
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    if (transactionScope.getStore() && this.#connection.inTransaction) {
      throw new TesseraError(
        'db.wrong_handle',
        'a query used the database handle from inside a transaction; use the transaction handle (trx) there',
      )
    }
    let release!: () => void
    const previous = this.#queue
    this.#queue = new Promise<void>((resolve) => (release = resolve))
    await previous
    this.#connection.release = release
    return this.#connection
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    const conn = connection as PGliteConnection
    let begin = 'begin'
    if (settings.isolationLevel) begin += ` isolation level ${settings.isolationLevel}`
    if (settings.accessMode) begin += ` ${settings.accessMode}`
    await conn.executeQuery(CompiledQuery.raw(begin))
    conn.inTransaction = true
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const conn = connection as PGliteConnection
    conn.inTransaction = false
    const result = await conn.pglite.query('commit')
    if (result.command === 'ROLLBACK') throw new AbortedTransactionError()
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const conn = connection as PGliteConnection
    conn.inTransaction = false
    await conn.pglite.query('rollback')
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await (connection as PGliteConnection).pglite.query(`savepoint ${quoteIdent(name)}`)
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await (connection as PGliteConnection).pglite.query(`rollback to savepoint ${quoteIdent(name)}`)
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await (connection as PGliteConnection).pglite.query(`release savepoint ${quoteIdent(name)}`)
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const conn = connection as PGliteConnection
    const release = conn.release
    conn.release = undefined
    release?.()
  }

  async destroy(): Promise<void> {
    await this.#queue
    if (!this.#connection.pglite.closed) await this.#connection.pglite.close()
  }
}

class PGliteConnection implements DatabaseConnection {
  readonly pglite: PGlite
  inTransaction = false
  release: (() => void) | undefined

  constructor(pglite: PGlite) {
    this.pglite = pglite
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.pglite.query<R>(compiled.sql, [...compiled.parameters])
    const affected = result.affectedRows
    const changes = result.command && /^(INSERT|UPDATE|DELETE|MERGE)$/.test(result.command)
    return {
      rows: result.rows,
      numAffectedRows: changes && affected !== undefined ? BigInt(affected) : undefined,
    }
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new TesseraError('internal', 'streaming queries are not supported on embedded PGlite')
  }
}

function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}
