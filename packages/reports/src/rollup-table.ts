import { type RawBuilder, sql } from 'kysely'

import type { Scope } from './scope.js'

type Sql = RawBuilder<unknown>

/**
 * One rolled-up source: the records of a form grouped by a link column,
 * with a filter, as a WITH step of the statement. Every rollup over the
 * same form, link and filter — in any scope of the statement — reads it,
 * each adding its aggregate as another column, so the rows are scanned and
 * grouped once however many measures need them:
 *
 *   "__rollup1" as (select "t1"."invoice_id" as "k", sum("t1"."amount") as "v1",
 *                          max("t1"."date") as "v2"
 *                   from "app"."allocation" as "t1"
 *                   where "t1"."invoice_id" is not null and (…) group by 1)
 */
export interface RollupSource {
  name: string
  /** Where the source's expressions compile (its own alias and joins). */
  scope: Scope
  linkColumn: Sql
  /** The filter as " and (…)", or empty. */
  where: Sql
  aggregates: Array<{ key: string; column: string; sql: Sql }>
  /** Sources read inside this one, which must come first in the WITH list. */
  needs: Set<RollupSource>
  /** Joined by a scope that reaches the statement (not only by a check of unused lets). */
  used: boolean
}

/** The rolled-up sources of one compilation, by the text of their form, link and filter. */
export class RollupTable {
  readonly #sources = new Map<string, RollupSource>()
  readonly #prefix: string
  /** Sources whose expressions are being compiled, innermost last. */
  readonly open: RollupSource[] = []

  constructor(prefix: string) {
    this.#prefix = prefix
  }

  /**
   * The source for a key, unless it is one being compiled right now (a
   * rollup of the same rows inside itself gets a source of its own, since
   * a WITH step cannot read itself).
   */
  find(key: string): RollupSource | undefined {
    const known = this.#sources.get(key)
    return known && !this.open.includes(known) ? known : undefined
  }

  add(key: string, source: Pick<RollupSource, 'scope' | 'linkColumn' | 'where'>): RollupSource {
    const name = `${this.#prefix}__rollup${this.#sources.size + 1}`
    const created: RollupSource = { ...source, name, aggregates: [], needs: new Set(), used: false }
    const taken = this.#sources.has(key) ? `${key}#${this.#sources.size}` : key
    this.#sources.set(taken, created)
    return created
  }

  /** The WITH steps, each after the sources it reads. */
  steps(): Sql[] {
    const ordered: RollupSource[] = []
    const visit = (source: RollupSource) => {
      if (ordered.includes(source)) return
      for (const needed of source.needs) visit(needed)
      ordered.push(source)
    }
    for (const source of this.#sources.values()) if (source.used) visit(source)
    return ordered.map(step)
  }
}

function step(source: RollupSource): Sql {
  const values = source.aggregates.map((one) => sql`${one.sql} as ${sql.id(one.column)}`)
  const select = sql`select ${source.linkColumn} as "k", ${sql.join(values)}`
  const from = sql`from ${source.scope.from()} where ${source.linkColumn} is not null${source.where}`
  return sql`${sql.id(source.name)} as (${select} ${from} group by 1)`
}
