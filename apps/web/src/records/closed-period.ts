import type { FormDefinition } from '@tessera/core'

/** What places a stored record in a closed period: its period field, its date and the close. */
export interface ClosedPeriod {
  field: string
  date: string
  through: string
}

/**
 * The closed period a stored record lies in, when its form has a period
 * field and the record's date is on or before the company's close; the
 * server refuses changing or deleting such a record.
 */
export function closedPeriodOf(
  definition: FormDefinition,
  values: Record<string, unknown> | undefined,
  closedThrough: string | null | undefined,
): ClosedPeriod | undefined {
  const field = definition.periodField
  const date = field && values ? values[field] : undefined
  if (!field || typeof date !== 'string' || !closedThrough || date > closedThrough) return undefined
  return { field, date, through: closedThrough }
}
