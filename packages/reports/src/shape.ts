import { KEY_PATTERN, type LocalizedText } from '@tessera/core'

/** Narrowing helpers for JSON that arrived as `unknown`. */

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

export function isKey(value: unknown): value is string {
  return typeof value === 'string' && KEY_PATTERN.test(value)
}

/**
 * Param and let names never reach SQL text, so camelCase ("asOf") is fine
 * besides snake case.
 */
export const NAME_PATTERN = /^[a-zA-Z][a-zA-Z0-9_]{0,39}$/

export function isName(value: unknown): value is string {
  return typeof value === 'string' && NAME_PATTERN.test(value)
}

export function isLocalizedText(value: unknown): value is LocalizedText {
  if (typeof value === 'string') return true
  if (!isRecord(value)) return false
  if (typeof value['zh-CN'] !== 'string') return false
  if (value.en !== undefined && typeof value.en !== 'string') return false
  return Object.keys(value).every((locale) => locale === 'zh-CN' || locale === 'en')
}

/** Property names of `value` that are not in `allowed`. */
export function extraKeys(value: Record<string, unknown>, allowed: readonly string[]): string[] {
  return Object.keys(value).filter((name) => !allowed.includes(name))
}

/** Own property lookup, so that "constructor" or "__proto__" find nothing. */
export function own<T>(table: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined
}
