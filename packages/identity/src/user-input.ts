import { TesseraError, type FieldIssue, type Locale } from '@tessera/core'
import { checkPassword } from './password-rules.js'

/** What an administrator gives to create a user. */
export interface NewUser {
  username: string
  displayName?: string
  password: string
  admin?: boolean
  departmentId?: number | null
  /** Role assignments, "<app key>/<role key>". */
  roles?: string[]
}

const USERNAME = /^[\p{L}\p{N}][\p{L}\p{N}._@-]{1,63}$/u
const ROLE = /^([a-z][a-z0-9-]*)\/([a-z][a-z0-9_-]*)$/

/** Usernames compare case-insensitively: they are stored in lower case. */
export function normalizeUsername(username: string): string {
  return username.normalize('NFKC').trim().toLowerCase()
}

export function usernameIssues(username: string, locale: Locale = 'en'): FieldIssue[] {
  if (USERNAME.test(username)) return []
  return [{
    field: 'username',
    rule: 'pattern',
    message: locale === 'en'
      ? 'a username has 2 to 64 letters, digits or . _ @ -, starting with a letter or digit'
      : '用户名为 2 到 64 个字母、数字或 . _ @ -，以字母或数字开头',
    received: username,
  }]
}

export function displayNameIssues(name: string, locale: Locale = 'en'): FieldIssue[] {
  if (name.length >= 1 && name.length <= 100) return []
  return [{
    field: 'displayName',
    rule: 'length',
    message: locale === 'en' ? 'a display name has 1 to 100 characters' : '显示名称为 1 到 100 个字符',
  }]
}

/** Splits "app/role"; throws naming the bad entry. */
export function parseRole(role: string): { app: string; role: string } {
  const match = ROLE.exec(role)
  if (!match) {
    throw new TesseraError('validation.failed', `a role is written "<app>/<role>", e.g. "customer-settlement/salesperson"; got ${JSON.stringify(role)}`, {
      issues: [{ field: 'roles', rule: 'pattern', message: `bad role ${JSON.stringify(role)}`, received: role }],
    })
  }
  return { app: match[1], role: match[2] }
}

/** Checks a new user's fields; returns them cleaned or throws validation.failed. */
export function checkNewUser(input: NewUser, locale: Locale) {
  const username = normalizeUsername(String(input.username ?? ''))
  const displayName = String(input.displayName ?? input.username ?? '').trim()
  const password = String(input.password ?? '')
  const issues = [
    ...usernameIssues(username, locale),
    ...displayNameIssues(displayName, locale),
    ...checkPassword(password, username, locale),
  ]
  if (issues.length > 0) {
    const en = `user "${username}" cannot be created: ${issues.map((i) => i.message).join('; ')}`
    const message = locale === 'en' ? en : `无法创建用户「${username}」：${issues.map((i) => i.message).join('；')}`
    throw new TesseraError('validation.failed', message, { issues, messages: { [locale]: message } })
  }
  return { username, displayName, password }
}

export function passwordRejected(password: string, username: string, locale: Locale, field: string) {
  const issues = checkPassword(password, username, locale, field)
  if (issues.length === 0) return undefined
  const message = locale === 'en'
    ? `the new password is not accepted: ${issues.map((i) => i.message).join('; ')}`
    : `新密码不符合要求：${issues.map((i) => i.message).join('；')}`
  return new TesseraError('validation.failed', message, { issues, messages: { [locale]: message } })
}
