import type { FormInstance } from 'antd'
import { isApiError } from '../api/api-error.js'

/**
 * Puts the server's field issues under the matching inputs; returns whether
 * any landed, so the caller shows the rest as one message.
 */
export function showFieldIssues(form: FormInstance, error: unknown, fields: string[]): boolean {
  if (!isApiError(error)) return false
  const placed = error.issues.filter((issue) => issue.field && fields.includes(issue.field))
  const byField = new Map<string, string[]>()
  for (const issue of placed) {
    byField.set(issue.field!, [...(byField.get(issue.field!) ?? []), issue.message])
  }
  form.setFields([...byField].map(([name, errors]) => ({ name, errors })))
  return placed.length > 0
}
