import { sql } from 'kysely'
import type { Db } from '../database.js'

/**
 * Role documents become metadata (kind "role"), and the audit trail becomes
 * append-only: a trigger refuses UPDATE, DELETE and TRUNCATE on
 * tessera.audit for everyone, the platform's own code included. On
 * PostgreSQL the table can additionally be owned by a role the application
 * does not log in as (docs/operations.md), so that not even a compromised
 * application can drop the trigger.
 *
 * A later migration that extends the kind list must keep 'role' in it.
 */
export async function up(db: Db): Promise<void> {
  await sql`alter table tessera.meta_item drop constraint if exists meta_item_kind_check`
    .execute(db)
  await sql`
    alter table tessera.meta_item add constraint meta_item_kind_check
      check (kind in ('report', 'dashboard', 'import', 'role'))`.execute(db)

  await sql`
    create function tessera.audit_is_append_only() returns trigger
    language plpgsql as $$
    begin
      raise exception 'tessera.audit is append-only: % is not allowed', tg_op
        using errcode = 'insufficient_privilege';
    end
    $$`.execute(db)
  await sql`
    create trigger audit_no_change before update or delete on tessera.audit
      for each row execute function tessera.audit_is_append_only()`.execute(db)
  await sql`
    create trigger audit_no_truncate before truncate on tessera.audit
      for each statement execute function tessera.audit_is_append_only()`.execute(db)

  await sql`create index audit_at on tessera.audit (at)`.execute(db)
  await sql`create index audit_actor_at on tessera.audit (actor, at)`.execute(db)
}
