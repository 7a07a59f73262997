import { CompiledQuery, type QueryResult, type RawBuilder } from 'kysely'
import type { Executor } from '../database.js'

/**
 * A place for a value in a statement that is compiled once and run many
 * times (a create of the same form): the statement is built with slots
 * where its values go, compiled to SQL text once, and each run only puts
 * the values in. Building and compiling a statement of a form with many
 * fields costs more than PostgreSQL takes to run it.
 */
export class Slot {
  constructor(readonly name: string) {}
}

/** A compiled statement whose parameters may be slots. */
export interface Template {
  sql: string
  parameters: readonly unknown[]
}

export function compileTemplate(db: Executor, statement: RawBuilder<unknown>): Template {
  const { sql, parameters } = statement.compile(db)
  return { sql, parameters }
}

/** Runs a template with a value for each of its slots (a slot without one is an error, not a null). */
export function runTemplate<R>(db: Executor, template: Template, values: ReadonlyMap<string, unknown>): Promise<QueryResult<R>> {
  const parameters = template.parameters.map((parameter) => {
    if (!(parameter instanceof Slot)) return parameter
    if (!values.has(parameter.name)) throw new Error(`no value for slot ${parameter.name}`)
    return values.get(parameter.name)
  })
  return db.executeQuery<R>(CompiledQuery.raw(template.sql, parameters))
}
