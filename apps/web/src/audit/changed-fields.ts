/** One field that differs between an audit row's before and after. */
export interface FieldChange {
  key: string
  before: unknown
  after: unknown
}

/**
 * The fields an audited change touched, in `order` (a form's field keys)
 * and then any others alphabetically. A creation lists the values it set,
 * a deletion the values it removed; values compare by their JSON text, so
 * "12.50" and "12.5" differ as the stored values did.
 *
 * @example
 * changedFields({ amount: '10.00', number: 'A' }, { amount: '12.00', number: 'A' })
 * // [{ key: 'amount', before: '10.00', after: '12.00' }]
 */
export function changedFields(before: unknown, after: unknown, order: string[] = []): FieldChange[] {
  const old = asValues(before)
  const now = asValues(after)
  const keys = [...new Set([...Object.keys(old), ...Object.keys(now)])]
  const rank = (key: string) => {
    const index = order.indexOf(key)
    return index < 0 ? order.length : index
  }
  keys.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))
  return keys
    .map((key) => ({ key, before: old[key] ?? null, after: now[key] ?? null }))
    .filter((change) => JSON.stringify(change.before) !== JSON.stringify(change.after))
}

function asValues(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {}
}
