import { localize, type Locale } from '@tessera/core'
import type { RoleOption } from './admin-api.js'

/** "customer-settlement/salesperson" → "销售 (customer-settlement)" when the role is known. */
export function roleLabel(role: string, options: RoleOption[], locale: Locale): string {
  const found = options.find((option) => `${option.app}/${option.key}` === role)
  if (!found?.label) return role
  return `${localize(found.label, locale)} (${found.app})`
}
