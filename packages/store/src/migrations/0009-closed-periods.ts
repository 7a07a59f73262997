import { sql } from 'kysely'
import type { Db } from '../database.js'

/**
 * The company's closed periods: the setting `closedThrough` (the last
 * closed day, or null), and `tessera.closed_through_for_write()`, which a
 * writing transaction calls to read it: it first takes the shared
 * transaction-level advisory lock CLOSE_LOCK, then reads the setting (a
 * function's statements each see what is committed when they start, so
 * the read comes after any wait). A close takes the same lock exclusively
 * before it updates the setting (see platform's closed-periods.ts). The
 * lock manager queues requests in order, so a close waits for the writes
 * already running and writes arriving after it wait for the close, rather
 * than a stream of writers keeping it waiting without end.
 */
export async function up(db: Db): Promise<void> {
  await sql`
    insert into tessera.setting (key, value) values ('closedThrough', 'null'::jsonb)
    on conflict (key) do nothing`.execute(db)
  await sql`
    create function tessera.closed_through_for_write() returns jsonb
    language plpgsql volatile as $$
    begin
      perform pg_advisory_xact_lock_shared(${sql.lit(CLOSE_LOCK)});
      return (select value from tessera.setting where key = 'closedThrough');
    end
    $$`.execute(db)
}

/** The advisory lock key of the company's close (an arbitrary constant of this project). */
export const CLOSE_LOCK = 7_406_192_011
