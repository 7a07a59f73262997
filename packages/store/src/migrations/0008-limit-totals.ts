import { sql } from 'kysely'
import type { Db } from '../database.js'
import { ensureLimitTotals } from '../write/limit-totals.js'

/**
 * Cross-record constraints keep their running totals in a column of the
 * limited form's table (see write/limit-totals.ts). Forms published before
 * that get the columns here, filled from their records.
 *
 * `tessera.refuse_over_limit(figures)`: a create written as one statement
 * (see Records.create) calls it with the figures of the limits it broke,
 * or null; given figures, it fails the statement, so nothing of it is
 * kept, and the figures travel in the error's detail.
 */
export async function up(db: Db): Promise<void> {
  await sql`
    create function tessera.refuse_over_limit(figures json) returns integer
    language plpgsql as $$
    begin
      if figures is null then
        return 0;
      end if;
      raise exception 'tessera.over_limit' using errcode = 'P0001', detail = figures::text;
    end
    $$`.execute(db)
  await ensureLimitTotals(db)
}
