import type { Actor } from '@tessera/core'

/**
 * A user as the API shows it. Never carries the password hash.
 *
 * { "id": 3, "username": "li.na", "displayName": "李娜", "admin": false,
 *   "disabled": false, "department": { "id": 4, "name": "华东销售部", "path": "/1/4/" },
 *   "roles": ["customer-settlement/salesperson"], "lockedUntil": null,
 *   "createdAt": "2026-12-01T02:00:00.000Z", "passwordChangedAt": null }
 */
export interface UserView {
  id: number
  username: string
  displayName: string
  admin: boolean
  disabled: boolean
  department: { id: number; name: string; path: string } | null
  roles: string[]
  lockedUntil: string | null
  createdAt: string
  passwordChangedAt: string | null
}

export interface UserRow {
  id: number
  username: string
  display_name: string
  password_hash: string | null
  admin: boolean
  disabled: boolean
  failed_logins: number
  locked_until: Date | null
  created_at: Date
  password_changed_at: Date | null
  department_id: number | null
  department_name: string | null
  department_path: string | null
  roles: string[] | null
}

export function toUserView(row: UserRow): UserView {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    admin: row.admin,
    disabled: row.disabled,
    department: row.department_id === null
      ? null
      : { id: row.department_id, name: row.department_name ?? '', path: row.department_path ?? '' },
    roles: row.roles ?? [],
    lockedUntil: row.locked_until?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
    passwordChangedAt: row.password_changed_at?.toISOString() ?? null,
  }
}

/** The actor a signed-in user acts as: roles and department included. */
export function actorOfUser(user: UserView): Actor {
  const actor: Actor = {
    id: String(user.id),
    name: user.displayName,
    admin: user.admin,
    roles: user.roles,
  }
  if (user.department) actor.department = { id: user.department.id, path: user.department.path }
  return actor
}
