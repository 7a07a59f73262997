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
 * The longest statement text a report may compile to. The template's
 * largest (the collection rate, with its previous period) is about 6,000
 * characters; a text this long comes from `let`s that repeat each other
 * (one let used 64 times in another, that one 64 times in a third: a
 * quarter of a million copies), which PostgreSQL would plan and evaluate
 * for seconds on every run while other readers wait.
 */
export const MAX_SQL_LENGTH = 1_000_000

/**
 * The statement of report `report` as text; refused as `report.invalid`
 * when it would carry more values than PostgreSQL takes (its `in` lists
 * together, doubled by a previous-period comparison), which the database
 * would otherwise refuse with a bare protocol error, or when its text is
 * longer than MAX_SQL_LENGTH.
 */
export function toSqlText(query: RawBuilder<unknown>, report: string): SqlText {
  const compiled = query.compile(compiler)
  if (compiled.sql.length > MAX_SQL_LENGTH) {
    const length = compiled.sql.length
    throw new TesseraError('report.invalid', `report ${report} compiles to a statement of ${length} characters, more than the ${MAX_SQL_LENGTH} allowed; its lets repeat each other too often (a let used many times in a let used many times): compute the value once`, {
      details: { report, length, max: MAX_SQL_LENGTH },
      messages: { 'zh-CN': `报表 ${report} 编译出的语句长 ${length} 个字符，超过允许的 ${MAX_SQL_LENGTH} 个：其中的 let 互相重复引用太多次（一个 let 在另一个里用了很多次，后者又被多次使用），请改为只计算一次` },
    })
  }
  const count = compiled.parameters.length
  if (count > MAX_PARAMETERS) {
    throw new TesseraError('report.invalid', `report ${report} needs ${count} values in one statement, more than the ${MAX_PARAMETERS} PostgreSQL takes; shorten its in lists`, {
      details: { report, parameters: count, max: MAX_PARAMETERS },
      messages: { 'zh-CN': `报表 ${report} 的语句需要 ${count} 个值，超过 PostgreSQL 能接受的 ${MAX_PARAMETERS} 个；请缩短其中的 in 列表` },
    })
  }
  return { sql: compiled.sql, parameters: compiled.parameters }
}
