import { createHash } from 'node:crypto'
import pg from 'pg'
import { sql } from 'kysely'

/**
 * Put in front of a statement that runs often with the same text and
 * different values (the statements of a record write: insert, lock,
 * constraint totals, audit line). On PostgreSQL such a statement is
 * prepared once per connection and then only bound and executed; parsing
 * and planning it anew each time cost PostgreSQL more than running it.
 *
 * Only statements whose best plan does not depend on the values may be
 * marked (lookups by id, inserts): after a few runs PostgreSQL may keep one
 * plan for all values. Reports and list queries, whose plans depend on
 * dates and filters, are never marked. On PGlite the mark is a comment.
 */
export const PREPARE = sql.raw('/* prepare */ ')

/** The mark, after any leading white space of the statement. */
const MARKED = /^\s*\/\* prepare \*\//

/** Most statements one connection keeps prepared; later ones run unprepared. */
const MAX_PER_CONNECTION = 200

/**
 * Bumped whenever tables change shape (a form is published): each
 * connection drops its prepared statements before its next marked one,
 * since PostgreSQL refuses to run a prepared statement whose result
 * columns changed type ("cached plan must not change result type").
 */
let shapeGeneration = 0

/** Tells every connection of this process to prepare its statements again. */
export function tablesChanged(): void {
  shapeGeneration += 1
}

interface QueryConfig {
  name?: string
  text: string
  values?: unknown[]
}

type QueryCallback = (error: Error | null, result?: unknown) => void

/**
 * A pg client that prepares the statements marked with PREPARE, naming
 * each by a hash of its text, and passes everything else through as is.
 */
export class PreparingClient extends pg.Client {
  readonly #prepared = new Set<string>()
  #generation = shapeGeneration
  /**
   * Part of every statement name, moved on whenever this connection
   * forgets its statements: the old ones may outlive the `deallocate all`
   * (it fails inside an aborted transaction), and new names cannot meet them.
   */
  #epoch = 0

  // pg's query() has many overloads; only (text, values[, callback]), the
  // form kysely uses, is ever prepared.
  override query(...args: unknown[]): never {
    const [text, values, callback] = args as [unknown, unknown, QueryCallback | undefined]
    const call = super.query as unknown as (...rest: unknown[]) => never
    if (typeof text !== 'string' || !Array.isArray(values) || !MARKED.test(text)) {
      return call.apply(this, args)
    }
    if (this.#generation !== shapeGeneration) this.#forgetAll()
    const name = `${statementName(text)}_${this.#epoch}`
    if (!this.#prepared.has(name)) {
      if (this.#prepared.size >= MAX_PER_CONNECTION) return call.apply(this, args)
      this.#prepared.add(name)
    }
    // Outside a transaction block a statement refused for a stale plan ran
    // nothing, so it is prepared again and sent once more; inside one the
    // error has aborted the transaction, which its owner runs again.
    const autocommit = (this as unknown as { _txStatus?: string | null })._txStatus === 'I'
    const config: QueryConfig = { name, text, values }
    const result = call.call(this, config, callback) as unknown
    if (result instanceof Promise) {
      return result.catch((error: unknown) => {
        if (!this.#forgetOnShapeError(error) || !autocommit || callback) throw error
        const again = `${statementName(text)}_${this.#epoch}`
        this.#prepared.add(again)
        return call.call(this, { name: again, text, values })
      }) as never
    }
    return result as never
  }

  /** Drops every prepared statement of this connection (queued before the next query). */
  #forgetAll(): void {
    this.#generation = shapeGeneration
    if (this.#prepared.size === 0) return
    this.#prepared.clear()
    this.#epoch += 1
    clearParsed(this)
    const call = super.query as unknown as (text: string) => Promise<unknown>
    call.call(this, 'deallocate all').catch(() => {})
  }

  /**
   * A statement whose tables changed under it: another process published,
   * or a table was altered by hand, between its preparing and this run.
   * Every statement of the connection is forgotten, since the others may
   * read the same tables.
   */
  #forgetOnShapeError(error: unknown): boolean {
    if (!isStalePlanError(error)) return false
    this.#prepared.clear()
    this.#epoch += 1
    clearParsed(this)
    const call = super.query as unknown as (text: string) => Promise<unknown>
    call.call(this, 'deallocate all').catch(() => {})
    return true
  }
}

/**
 * PostgreSQL refused a prepared statement for what it was prepared
 * against, not for what it would do: its tables changed shape ("cached
 * plan must not change result type"), or it is unknown to the server or
 * already known there under its name. Nothing of it ran.
 */
export function isStalePlanError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown }
  if (code === '26000' || code === '42P05') return true
  return code === '0A000' && typeof message === 'string' && message.includes('cached plan')
}

/** pg remembers which names it already parsed on a connection; forget them too. */
function clearParsed(client: pg.Client): void {
  const connection = (client as unknown as { connection?: { parsedStatements?: Record<string, string> } }).connection
  if (connection?.parsedStatements) connection.parsedStatements = {}
}

/** Names by text, kept for the texts seen last (hashing each run cost more than the lookup). */
const names = new Map<string, string>()
const MAX_NAMES = 2_000

function statementName(text: string): string {
  let name = names.get(text)
  if (name === undefined) {
    name = `t_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`
    if (names.size >= MAX_NAMES) names.delete(names.keys().next().value as string)
    names.set(text, name)
  }
  return name
}
