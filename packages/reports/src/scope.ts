import { type RawBuilder, sql } from 'kysely'

import type { PublishedForm } from '@tessera/core'

import type { CompileContext } from './compile-context.js'
import type { RollupSource } from './rollup-table.js'
import type { Typed } from './value-type.js'

/** A form reached through a link path, under its own table alias. */
export interface JoinedForm {
  form: PublishedForm
  alias: string
}

/**
 * One FROM clause being built: a form's table under an alias, plus the
 * LEFT JOINs its expressions need. The report's source is one scope; each
 * rollup subquery is another, where lets are out of reach.
 */
export class Scope {
  readonly form: PublishedForm
  readonly alias: string
  readonly context: CompileContext
  readonly allowsLets: boolean
  readonly joins: Array<RawBuilder<unknown>> = []
  /** Joined forms by link path, such as "customer.region". */
  readonly links = new Map<string, JoinedForm>()
  /** Compiled rollups by their spec text, so equal rollups join once. */
  readonly rollups = new Map<string, Typed>()
  /** Joins to rolled-up sources, by source and target, so each joins once here. */
  readonly rollupJoins = new Map<string, string>()
  /** The rolled-up source this scope compiles the expressions of, if any. */
  owner?: RollupSource
  /** A scope whose SQL is thrown away (checking lets nobody uses). */
  discarded = false

  constructor(
    form: PublishedForm,
    alias: string,
    context: CompileContext,
    options: { allowsLets: boolean },
  ) {
    this.form = form
    this.alias = alias
    this.context = context
    this.allowsLets = options.allowsLets
  }

  /** `"schema"."table" as "t0" left join …`, ready for a FROM clause. */
  from(): RawBuilder<unknown> {
    const table = this.context.source(this.form, this.alias)
    if (this.joins.length === 0) return table
    return sql`${table} ${sql.join(this.joins, sql` `)}`
  }
}
