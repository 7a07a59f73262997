import { sql } from 'kysely'
import type { Db } from '../database.js'

/**
 * The company's closed periods: the setting `closedThrough` (the last
 * closed day, or null) exists from here on, so a write can take a share
 * lock on it (see write/closed-periods.ts) even before the first close.
 */
export async function up(db: Db): Promise<void> {
  await sql`
    insert into tessera.setting (key, value) values ('closedThrough', 'null'::jsonb)
    on conflict (key) do nothing`.execute(db)
}
