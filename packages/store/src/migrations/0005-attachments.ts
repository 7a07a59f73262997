import { sql } from 'kysely'
import type { Db } from '../database.js'

/**
 * Uploaded files. The bytes live on disk under the files folder, named by
 * id (see files/file-store.ts); this table holds what a record shows of a
 * file and what a download needs: name, MIME type, size and SHA-256, and
 * who uploaded it when. Records reference files by id inside an
 * attachment field's jsonb value.
 */
export async function up(db: Db): Promise<void> {
  await sql`
    create table tessera.attachment (
      id bigint generated always as identity primary key,
      name text not null check (length(name) between 1 and 255),
      mime_type text not null,
      size bigint not null check (size >= 0),
      sha256 text not null check (sha256 ~ '^[0-9a-f]{64}$'),
      created_by text not null,
      created_at timestamptz not null default now()
    )`.execute(db)
  await sql`create index attachment_by_creator on tessera.attachment (created_by)`.execute(db)
}
