import { TesseraError, type Actor, type Locale } from '@tessera/core'
import { Identity } from '@tessera/identity'
import type { Platform } from '@tessera/platform'
import { readNewPassword } from './read-password.js'

export interface UserCommandFlags {
  admin?: boolean
  'display-name'?: string
  department?: string
  role?: string[]
  'password-stdin'?: boolean
}

/**
 * `tessera user create <username>` and `tessera user reset-password <username>`,
 * and `tessera user list`. Answers a printable line and a JSON value.
 */
export async function userCommand(
  platform: Platform,
  actor: Actor,
  [action, username]: string[],
  flags: UserCommandFlags,
  locale: Locale,
): Promise<{ text: string; json: unknown }> {
  const identity = new Identity(platform.database)
  const context = { ip: 'cli', userAgent: 'tessera cli', locale }

  switch (action) {
    case 'create': {
      const name = required(username, 'user create <username>')
      const departmentId = flags.department === undefined ? undefined : Number(flags.department)
      if (departmentId !== undefined && (!Number.isSafeInteger(departmentId) || departmentId < 1)) {
        throw new TesseraError('request.invalid', `--department takes a department's id (a whole number from 1), got ${JSON.stringify(flags.department)}`, {
          details: { flag: 'department', value: flags.department },
        })
      }
      const password = await readNewPassword(flags['password-stdin'] === true)
      const user = await identity.users.create(actor, {
        username: name,
        displayName: flags['display-name'],
        password,
        admin: flags.admin === true,
        departmentId,
        roles: flags.role,
      }, context)
      return { text: `created user ${user.username} (id ${user.id}${user.admin ? ', administrator' : ''})`, json: user }
    }
    case 'reset-password': {
      const name = required(username, 'user reset-password <username>')
      const row = await identity.users.findRow({ username: name })
      if (!row) throw new TesseraError('not_found', `there is no user "${name}"`)
      const password = await readNewPassword(flags['password-stdin'] === true)
      await identity.users.resetPassword(actor, row.id, password, context)
      return { text: `set a new password for ${row.username}; their sessions have ended`, json: { id: row.id } }
    }
    case 'list': {
      const users = await identity.users.list(actor)
      const lines = users.map((u) =>
        `${u.id}\t${u.username}\t${u.displayName}${u.admin ? '\tadmin' : ''}${u.disabled ? '\tdisabled' : ''}`)
      return { text: lines.join('\n') || '(no users yet: open the web app to create the administrator)', json: users }
    }
    default:
      throw new TesseraError('request.invalid', `unknown user command ${JSON.stringify(action ?? '')}; use create, reset-password or list`)
  }
}

function required(value: string | undefined, usage: string): string {
  if (value) return value
  throw new TesseraError('request.invalid', `usage: tessera ${usage}`)
}
