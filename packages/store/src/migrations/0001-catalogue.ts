import { sql } from 'kysely'
import type { Db } from '../database.js'

/** The catalogue, settings, audit trail and import runs. */
export async function up(db: Db): Promise<void> {
  await sql`create schema if not exists tessera`.execute(db)
  await sql`
    create table tessera.app (
      key text primary key,
      label jsonb not null,
      description jsonb,
      version text,
      data_schema text not null unique,
      installed_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db)
  await sql`
    create table tessera.form (
      app_key text not null references tessera.app(key) on delete cascade,
      key text not null,
      label jsonb not null,
      draft jsonb not null,
      published_version int,
      table_name text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      primary key (app_key, key)
    )`.execute(db)
  await sql`
    create table tessera.form_version (
      app_key text not null,
      form_key text not null,
      version int not null,
      definition jsonb not null,
      published_at timestamptz not null default now(),
      published_by text not null,
      primary key (app_key, form_key, version),
      foreign key (app_key, form_key) references tessera.form(app_key, key) on delete cascade
    )`.execute(db)
  await sql`
    create table tessera.meta_item (
      app_key text not null references tessera.app(key) on delete cascade,
      kind text not null check (kind in ('report', 'dashboard', 'import')),
      key text not null,
      spec jsonb not null,
      version int not null default 1,
      updated_at timestamptz not null default now(),
      updated_by text not null,
      primary key (app_key, kind, key)
    )`.execute(db)
  await sql`
    create table tessera.setting (
      key text primary key,
      value jsonb not null
    )`.execute(db)
  await sql`
    create table tessera.audit (
      id bigint generated always as identity primary key,
      at timestamptz not null default now(),
      actor text not null,
      action text not null,
      app_key text,
      form_key text,
      record_id bigint,
      before jsonb,
      after jsonb,
      context jsonb
    )`.execute(db)
  await sql`create index audit_record on tessera.audit (app_key, form_key, record_id)`
    .execute(db)
  await sql`
    create table tessera.import_run (
      id bigint generated always as identity primary key,
      app_key text not null,
      mapping_key text not null,
      file_name text,
      file_sha256 text,
      status text not null check (status in ('succeeded', 'rejected', 'failed')),
      actor text not null,
      started_at timestamptz not null,
      finished_at timestamptz not null default now(),
      row_count int not null default 0,
      summary jsonb not null default '{}',
      errors jsonb not null default '[]'
    )`.execute(db)
}
