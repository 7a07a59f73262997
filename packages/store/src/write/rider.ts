import { sql, type RawBuilder } from 'kysely'
import type { Trx } from '../database.js'
import { PREPARE } from '../prepared-statements.js'

/**
 * A data-modifying statement (such as a write's audit line) that rides
 * along with the next statement of its transaction, as `with rider as
 * (…)`, instead of costing a round trip of its own. Whoever sends a
 * statement next takes it; `flush` sends it alone when nobody did.
 * A failure later in the transaction rolls it back with everything else.
 */
export class Rider {
  #statement: RawBuilder<unknown> | undefined

  constructor(statement: RawBuilder<unknown>) {
    this.#statement = statement
  }

  /** The `with rider as (…) ` prefix for one statement; empty once taken. */
  take(): RawBuilder<unknown> {
    const statement = this.#statement
    this.#statement = undefined
    return statement ? sql`with rider as (${statement}) ` : sql``
  }

  async flush(trx: Trx): Promise<void> {
    const statement = this.#statement
    this.#statement = undefined
    if (statement) await sql`${PREPARE}${statement}`.execute(trx)
  }
}

/** The prefix of a statement that may carry a rider: empty without one. */
export function along(rider: Rider | undefined): RawBuilder<unknown> {
  return rider ? rider.take() : sql``
}
