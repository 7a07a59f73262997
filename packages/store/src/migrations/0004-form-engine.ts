import { sql } from 'kysely'
import type { Db } from '../database.js'

/**
 * The form engine's own state:
 * - `autonumber`: one counter row per autonumber field and period. A
 *   create increments its row inside the writing transaction, so the row
 *   stays locked until commit (concurrent creates queue on it) and a
 *   rollback takes the number back: numbers are unique and gap-free.
 * - `form_import_mapping`: the column mapping last used to import a file
 *   into a form (file column → field key, key fields), offered again next
 *   time.
 */
export async function up(db: Db): Promise<void> {
  await sql`
    create table tessera.autonumber (
      app_key text not null,
      form_key text not null,
      field_key text not null,
      period text not null,
      last bigint not null check (last >= 0),
      primary key (app_key, form_key, field_key, period)
    )`.execute(db)
  await sql`
    create table tessera.form_import_mapping (
      app_key text not null,
      form_key text not null,
      mapping jsonb not null,
      updated_by text not null,
      updated_at timestamptz not null default now(),
      primary key (app_key, form_key),
      foreign key (app_key, form_key) references tessera.form (app_key, key) on delete cascade
    )`.execute(db)
}
