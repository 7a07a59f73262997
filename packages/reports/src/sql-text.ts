import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type RawBuilder,
} from 'kysely'
import { TesseraError } from '@tessera/core'

/** A Kysely that only compiles: it turns a query into Postgres text. */
const compiler = new Kysely<Record<string, never>>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new PostgresIntrospector(db),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
})

/** The statement's SQL text with $n placeholders, and its parameters. */
export interface SqlText {
  sql: string
  parameters: readonly unknown[]
}

/** The most values one statement may carry (the wire protocol numbers them in 16 bits). */
export const MAX_PARAMETERS = 65_535

/**
 * The statement of report `report` as text; refused as `report.invalid`
 * when it would carry more values than PostgreSQL takes (its `in` lists
 * together, doubled by a previous-period comparison), which the database
 * would otherwise refuse with a bare protocol error.
 */
export function toSqlText(query: RawBuilder<unknown>, report: string): SqlText {
  const compiled = query.compile(compiler)
  const count = compiled.parameters.length
  if (count > MAX_PARAMETERS) {
    throw new TesseraError('report.invalid', `report ${report} needs ${count} values in one statement, more than the ${MAX_PARAMETERS} PostgreSQL takes; shorten its in lists`, {
      details: { report, parameters: count, max: MAX_PARAMETERS },
      messages: { 'zh-CN': `报表 ${report} 的语句需要 ${count} 个值，超过 PostgreSQL 能接受的 ${MAX_PARAMETERS} 个；请缩短其中的 in 列表` },
    })
  }
  return { sql: compiled.sql, parameters: compiled.parameters }
}
