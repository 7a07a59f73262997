/**
 * E-mail addresses: a local part of letters (in any script), digits and
 * the usual marks (no leading, trailing or doubled dot), "@", and a
 * domain of at least two labels (letters, digits, inner hyphens) ending
 * in a top-level name of two or more letters. At most 254 characters. The
 * domain is stored in lower case; the local part as typed, since mail
 * servers may tell its cases apart.
 *
 * @example
 * normalizeEmail(' Zhang.San@Example.COM ') // "Zhang.San@example.com"
 */
const LOCAL = /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*$/u
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?$/u
const TOP_LEVEL = /^(?:\p{L}{2,}|xn--[a-z0-9-]+)$/iu

export const EMAIL_MAX_LENGTH = 254

export type EmailProblem = 'format' | 'length'

export function checkEmail(text: string): EmailProblem | undefined {
  const address = text.trim()
  if (address.length > EMAIL_MAX_LENGTH) return 'length'

  const at = address.lastIndexOf('@')
  if (at <= 0) return 'format'
  const local = address.slice(0, at)
  const labels = address.slice(at + 1).split('.')

  if (local.length > 64 || !LOCAL.test(local)) return 'format'
  if (labels.length < 2 || !labels.every((label) => LABEL.test(label))) return 'format'
  return TOP_LEVEL.test(labels[labels.length - 1]) ? undefined : 'format'
}

export function normalizeEmail(text: string): string {
  const address = text.trim()
  const at = address.lastIndexOf('@')
  if (at < 0) return address
  return address.slice(0, at) + address.slice(at).toLowerCase()
}
