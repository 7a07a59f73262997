import { sql } from 'kysely'
import type { Db } from '../database.js'

/**
 * `list_view`: named ways of looking at a form's record list (filter,
 * sort, columns, page size). A personal view belongs to `owner` alone; a
 * shared one (made by an admin) is offered to everyone who may read the
 * form. `list_view_default`: the view a user's list of a form opens with.
 */
export async function up(db: Db): Promise<void> {
  await sql`
    create table tessera.list_view (
      id bigint generated always as identity primary key,
      app_key text not null,
      form_key text not null,
      owner text not null,
      shared boolean not null default false,
      name text not null,
      spec jsonb not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db)
  await sql`
    create index list_view_form on tessera.list_view (app_key, form_key, owner)`.execute(db)
  await sql`
    create table tessera.list_view_default (
      app_key text not null,
      form_key text not null,
      user_id text not null,
      view_id bigint not null references tessera.list_view (id) on delete cascade,
      primary key (app_key, form_key, user_id)
    )`.execute(db)
}
