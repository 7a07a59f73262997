import { sql } from 'kysely'
import type { Db } from '../database.js'

/**
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
}
