import { sql } from 'kysely'
import type { Db } from '../database.js'

/**
 * `rate_bucket`: one token bucket per client address for sign-in
 * attempts, shared by every server process on the database (an in-memory
 * count would let each process allow the full rate and forget on restart).
 * Unlogged: losing the buckets in a crash only forgives recent attempts.
 */
export async function up(db: Db): Promise<void> {
  await sql`
    create unlogged table tessera.rate_bucket (
      key text primary key,
      tokens double precision not null,
      at timestamptz not null,
      refused boolean not null default false
    )`.execute(db)
}
