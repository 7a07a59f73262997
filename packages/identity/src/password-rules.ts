import type { FieldIssue, Locale } from '@tessera/core'

export const PASSWORD_MIN_LENGTH = 10
export const PASSWORD_MAX_LENGTH = 200

const MESSAGES = {
  min: {
    'zh-CN': `密码至少需要 ${PASSWORD_MIN_LENGTH} 个字符`,
    en: `The password needs at least ${PASSWORD_MIN_LENGTH} characters`,
  },
  max: {
    'zh-CN': `密码最多 ${PASSWORD_MAX_LENGTH} 个字符`,
    en: `The password may have at most ${PASSWORD_MAX_LENGTH} characters`,
  },
  kinds: {
    'zh-CN': '密码需要包含字母、数字、符号中的至少两类',
    en: 'The password needs at least two of: letters, digits, symbols',
  },
  name: {
    'zh-CN': '密码不能包含用户名',
    en: 'The password must not contain the username',
  },
} as const

/**
 * The minimum rules for a new password: 10 to 200 characters, at least two
 * kinds of characters (letters, digits, anything else), and not containing
 * the username. Returns one issue per broken rule on `field`.
 */
export function checkPassword(
  password: string,
  username: string,
  locale: Locale,
  field = 'password',
): FieldIssue[] {
  const issues: FieldIssue[] = []
  const length = [...password].length
  const add = (rule: keyof typeof MESSAGES, expected?: unknown) =>
    issues.push({ field, rule, message: MESSAGES[rule][locale], expected })

  if (length < PASSWORD_MIN_LENGTH) add('min', { min: PASSWORD_MIN_LENGTH })
  if (length > PASSWORD_MAX_LENGTH) add('max', { max: PASSWORD_MAX_LENGTH })

  const kinds = [/\p{L}/u, /\p{Nd}/u, /[^\p{L}\p{Nd}]/u].filter((kind) => kind.test(password))
  if (kinds.length < 2) add('kinds', { kinds: 2 })

  const name = username.trim().toLowerCase()
  if (name.length >= 3 && password.toLowerCase().includes(name)) add('name')
  return issues
}
