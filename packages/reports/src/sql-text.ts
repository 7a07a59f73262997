import {
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type RawBuilder,
} from 'kysely'

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

export function toSqlText(query: RawBuilder<unknown>): SqlText {
  const compiled = query.compile(compiler)
  return { sql: compiled.sql, parameters: compiled.parameters }
}
