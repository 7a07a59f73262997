import { sql } from 'kysely'
import { notFound, requireAdmin, TesseraError, type Actor } from '@tessera/core'
import type { Database, Executor, Trx } from '@tessera/store'
import { writeAuthAudit } from './auth-audit.js'
import type { AuthContext, Clock } from './auth-context.js'
import { hashPassword, verifyPassword } from './password-hash.js'
import {
  checkNewUser,
  displayNameIssues,
  normalizeUsername,
  parseRole,
  passwordRejected,
  type NewUser,
} from './user-input.js'
import { toUserView, type UserRow, type UserView } from './user-view.js'

/** What an administrator may change on a user (password and roles have their own calls). */
export interface UserChanges {
  displayName?: string
  admin?: boolean
  disabled?: boolean
  departmentId?: number | null
}

const SELECT_USER = sql`
  select a.id, a.username, a.display_name, a.password_hash, a.admin, a.disabled,
         a.failed_logins, a.locked_until, a.created_at, a.password_changed_at,
         a.department_id, d.name as department_name, d.path as department_path,
         (select jsonb_agg(r.app_key || '/' || r.role_key order by r.app_key, r.role_key)
          from tessera.user_role r where r.user_id = a.id) as roles
  from tessera.account a
  left join tessera.department d on d.id = a.department_id`

/** Told, once a change is over, which user's sessions may now act differently. */
export type UserChanged = (userId: number) => void

/** Accounts: create, list, change, roles, and passwords set by an administrator or the user. */
export class Users {
  readonly #database: Database
  readonly #now: Clock
  readonly #changed: UserChanged

  constructor(database: Database, now: Clock, changed: UserChanged = () => {}) {
    this.#database = database
    this.#now = now
    this.#changed = changed
  }

  async list(actor: Actor): Promise<UserView[]> {
    requireAdmin(actor, 'list users')
    const { rows } = await sql<UserRow>`${SELECT_USER} order by a.username`
      .execute(this.#database.db)
    return rows.map(toUserView)
  }

  /** The stored row, hash included: for sign-in only, never for display. */
  async findRow(where: { id: number } | { username: string }, db: Executor = this.#database.db) {
    const condition = 'id' in where
      ? sql`a.id = ${where.id}`
      : sql`a.username = ${normalizeUsername(where.username)}`
    const { rows } = await sql<UserRow>`${SELECT_USER} where ${condition}`.execute(db)
    return rows[0]
  }

  async find(id: number, db: Executor = this.#database.db): Promise<UserView | undefined> {
    const row = await this.findRow({ id }, db)
    return row && toUserView(row)
  }

  async get(id: number, db: Executor = this.#database.db): Promise<UserView> {
    const user = await this.find(id, db)
    if (!user) throw notFound('user', id)
    return user
  }

  async count(db: Executor = this.#database.db): Promise<number> {
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from tessera.account`
      .execute(db)
    return rows[0].n
  }

  async create(actor: Actor, input: NewUser, context: AuthContext = {}): Promise<UserView> {
    requireAdmin(actor, 'create users')
    const clean = checkNewUser(input, context.locale ?? 'zh-CN')
    const hash = await hashPassword(clean.password)
    return this.#database.transaction((trx) =>
      this.insert(trx, actor.id, { ...input, ...clean }, hash, context))
  }

  /** Inserts a checked user inside `trx`; the first-run setup shares this. */
  async insert(
    trx: Trx,
    actorId: string | undefined,
    input: NewUser & { displayName: string },
    hash: string,
    context: AuthContext,
  ): Promise<UserView> {
    const taken = await this.findRow({ username: input.username }, trx)
    if (taken) {
      const en = `the username "${input.username}" is taken`
      const zh = `用户名「${input.username}」已被占用，请换一个`
      throw new TesseraError('conflict.unique', en, {
        issues: [{ field: 'username', rule: 'unique', message: context.locale === 'en' ? `"${input.username}" is taken` : zh }],
        messages: { 'zh-CN': zh, en },
      })
    }
    if (input.departmentId != null) await this.#checkDepartment(trx, input.departmentId)

    const now = this.#now()
    const { rows } = await sql<{ id: number }>`
      insert into tessera.account
        (username, display_name, password_hash, admin, department_id,
         password_changed_at, created_at, updated_at)
      values (${input.username}, ${input.displayName}, ${hash}, ${input.admin ?? false},
              ${input.departmentId ?? null}, ${now}, ${now}, ${now})
      returning id`.execute(trx)
    const id = rows[0].id
    if (input.roles?.length) await this.#replaceRoles(trx, id, input.roles)

    const user = await this.get(id, trx)
    await writeAuthAudit(trx, {
      actor: actorId ?? String(id), action: 'user.created', context, at: now,
      details: { user: id, username: user.username }, after: user,
    })
    return user
  }

  async update(actor: Actor, id: number, changes: UserChanges, context: AuthContext = {}) {
    requireAdmin(actor, 'change users')
    const displayName = changes.displayName?.trim()
    if (displayName !== undefined) {
      const issues = displayNameIssues(displayName, context.locale ?? 'zh-CN')
      if (issues.length) throw new TesseraError('validation.failed', issues[0].message, { issues })
    }

    return this.#changing(id, () => this.#database.transaction(async (trx) => {
      const before = await this.get(id, trx)
      const admin = changes.admin ?? before.admin
      const disabled = changes.disabled ?? before.disabled
      if (before.admin && !before.disabled && (!admin || disabled)) {
        await this.#keepOneAdmin(trx, id)
      }
      if (changes.departmentId != null) await this.#checkDepartment(trx, changes.departmentId)
      const departmentId = changes.departmentId === undefined
        ? before.department?.id ?? null
        : changes.departmentId

      await sql`
        update tessera.account set
          display_name = ${displayName ?? before.displayName},
          admin = ${admin},
          disabled = ${disabled},
          department_id = ${departmentId},
          updated_at = ${this.#now()}
        where id = ${id}`.execute(trx)
      if (disabled && !before.disabled) await revokeSessions(trx, id)

      const after = await this.get(id, trx)
      await writeAuthAudit(trx, {
        actor: actor.id, action: 'user.updated', context, at: this.#now(),
        details: { user: id, username: after.username }, before, after,
      })
      return after
    }))
  }

  /** Replaces a user's role assignments ("<app>/<role>" each). */
  async setRoles(actor: Actor, id: number, roles: string[], context: AuthContext = {}) {
    requireAdmin(actor, 'assign roles')
    return this.#changing(id, () => this.#database.transaction(async (trx) => {
      const before = await this.get(id, trx)
      await this.#replaceRoles(trx, id, roles)
      const after = await this.get(id, trx)
      await writeAuthAudit(trx, {
        actor: actor.id, action: 'user.roles_changed', context, at: this.#now(),
        details: { user: id, username: after.username },
        before: { roles: before.roles }, after: { roles: after.roles },
      })
      return after
    }))
  }

  /**
   * An administrator sets a new password: the user's sessions end and a
   * lockout is lifted.
   */
  async resetPassword(actor: Actor, id: number, password: string, context: AuthContext = {}) {
    requireAdmin(actor, 'reset passwords')
    const user = await this.get(id)
    const rejected = passwordRejected(password, user.username, context.locale ?? 'zh-CN', 'password')
    if (rejected) throw rejected

    const hash = await hashPassword(password)
    await this.#changing(id, () => this.#database.transaction(async (trx) => {
      await this.#storePassword(trx, id, hash)
      await revokeSessions(trx, id)
      await writeAuthAudit(trx, {
        actor: actor.id, action: 'auth.password_reset', context, at: this.#now(),
        details: { user: id, username: user.username },
      })
    }))
  }

  /**
   * A user changes their own password, proving the current one. Every
   * other session of theirs ends; `keepSession` (the one asking) stays.
   */
  async changePassword(
    userId: number,
    input: { currentPassword: string; newPassword: string },
    keepSession: string | undefined,
    context: AuthContext = {},
  ): Promise<void> {
    const row = await this.findRow({ id: userId })
    if (!row) throw notFound('user', userId)
    if (!(await verifyPassword(String(input.currentPassword ?? ''), row.password_hash))) {
      const zh = '当前密码不正确'
      const en = 'the current password is not right'
      throw new TesseraError('validation.failed', en, {
        issues: [{ field: 'currentPassword', rule: 'match', message: context.locale === 'en' ? en : zh }],
        messages: { 'zh-CN': zh, en },
      })
    }
    const next = String(input.newPassword ?? '')
    const rejected = passwordRejected(next, row.username, context.locale ?? 'zh-CN', 'newPassword')
    if (rejected) throw rejected

    const hash = await hashPassword(next)
    await this.#changing(userId, () => this.#database.transaction(async (trx) => {
      await this.#storePassword(trx, userId, hash)
      await sql`
        delete from tessera.session
        where user_id = ${userId} and id is distinct from ${keepSession ?? null}`.execute(trx)
      await writeAuthAudit(trx, {
        actor: String(userId), action: 'auth.password_changed', context, at: this.#now(),
        details: { user: userId, username: row.username },
      })
    }))
  }

  /** Runs a change of a user and then tells whoever caches their sessions, whatever the outcome. */
  async #changing<T>(userId: number, change: () => Promise<T>): Promise<T> {
    try {
      return await change()
    } finally {
      this.#changed(userId)
    }
  }

  async #storePassword(trx: Trx, id: number, hash: string) {
    const now = this.#now()
    await sql`
      update tessera.account
      set password_hash = ${hash}, password_changed_at = ${now}, updated_at = ${now},
          failed_logins = 0, locked_until = null
      where id = ${id}`.execute(trx)
  }

  async #replaceRoles(trx: Trx, id: number, roles: string[]) {
    const parsed = [...new Set(roles)].map(parseRole)
    for (const { app, role } of parsed) await checkRole(trx, app, role)
    await sql`delete from tessera.user_role where user_id = ${id}`.execute(trx)
    for (const { app, role } of parsed) {
      await sql`
        insert into tessera.user_role (user_id, app_key, role_key)
        values (${id}, ${app}, ${role})`.execute(trx)
    }
  }

  async #checkDepartment(db: Executor, id: number) {
    const { rows } = await sql`select 1 from tessera.department where id = ${id}`.execute(db)
    if (rows.length === 0) {
      throw new TesseraError('validation.failed', `department ${id} does not exist`, {
        issues: [{ field: 'departmentId', rule: 'exists', message: `department ${id} does not exist`, received: id }],
      })
    }
  }

  // Signing in must stay possible: the last enabled administrator can be
  // neither disabled nor demoted.
  async #keepOneAdmin(trx: Trx, leaving: number) {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from tessera.account
      where admin and not disabled and id <> ${leaving}`.execute(trx)
    if (rows[0].n === 0) {
      throw new TesseraError('request.invalid', `user ${leaving} is the last enabled administrator and must stay one`, {
        details: { user: leaving },
      })
    }
  }
}

/**
 * A role must belong to an installed app; once the app defines role
 * documents (tessera.meta_item, kind 'role'), it must also be one of them.
 */
async function checkRole(db: Executor, app: string, role: string) {
  const { rows } = await sql<{ roles: string[] | null }>`
    select (select jsonb_agg(m.key) from tessera.meta_item m
            where m.app_key = a.key and m.kind = 'role') as roles
    from tessera.app a where a.key = ${app}`.execute(db)
  if (rows.length === 0) {
    throw new TesseraError('validation.failed', `role "${app}/${role}" names app "${app}", which is not installed`, {
      issues: [{ field: 'roles', rule: 'exists', message: `no app "${app}"`, received: `${app}/${role}` }],
    })
  }
  const known = rows[0].roles
  if (known && !known.includes(role)) {
    throw new TesseraError('validation.failed', `app "${app}" has no role "${role}"; it has ${known.join(', ')}`, {
      issues: [{ field: 'roles', rule: 'exists', message: `no role "${role}" in "${app}"`, received: `${app}/${role}` }],
    })
  }
}

export async function revokeSessions(db: Executor, userId: number): Promise<void> {
  await sql`delete from tessera.session where user_id = ${userId}`.execute(db)
}
