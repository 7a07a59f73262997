import type { FieldIssue } from '@tessera/core'

/** Messages to show, under each field and above the form. */
export interface PlacedIssues {
  byField: Record<string, string[]>
  /** Issues about the whole record, or naming a field the form does not show. */
  general: string[]
}

/**
 * Places issues (from the browser's validator or the server's error body)
 * on the fields they name. A path belongs to its first segment:
 * "lines[2].amount" → field "lines".
 */
export function placeIssues(
  issues: readonly FieldIssue[],
  fieldKeys: Iterable<string>,
): PlacedIssues {
  const known = new Set(fieldKeys)
  const byField: Record<string, string[]> = {}
  const general: string[] = []

  for (const issue of issues) {
    const key = issue.field?.split(/[.[]/)[0]
    if (key === undefined || !known.has(key)) {
      general.push(issue.message)
      continue
    }
    const list = (byField[key] ??= [])
    if (!list.includes(issue.message)) list.push(issue.message)
  }
  return { byField, general }
}

/** The issues of one field only, e.g. to refresh its message on blur. */
export function issuesOf(issues: readonly FieldIssue[], field: string): string[] {
  return placeIssues(issues, [field]).byField[field] ?? []
}

/**
 * Which cells of a line-items field the issues name, as "<row>.<column>"
 * (rows from 0: "items[1].price" → "1.price"), and "*" when an issue is
 * about the field as a whole (no lines at all, say).
 */
export function lineCellsOf(issues: readonly FieldIssue[], field: string): string[] {
  const cells = new Set<string>()
  for (const issue of issues) {
    if (issue.field === field) cells.add('*')
    const cell = issue.field?.startsWith(`${field}[`) ? /^[^[]+\[(\d+)\]\.([^.[]+)/.exec(issue.field) : null
    if (cell) cells.add(`${cell[1]}.${cell[2]}`)
  }
  return [...cells]
}
