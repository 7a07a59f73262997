/**
 * A record as the API reads and writes it. Field values sit under `values`,
 * keyed by field key, so that no field can collide with a system column.
 *
 * JSON value per field type: text and select → string; number → number;
 * money → decimal string ("1234.50"); date → "YYYY-MM-DD"; link → the linked
 * record's id (number). A missing or null value means empty.
 */
export interface RecordData {
  id: number
  version: number
  createdAt: string
  createdBy: string
  updatedAt: string
  updatedBy: string
  values: Record<string, unknown>
  /** Titles of linked records, keyed by link field key, for display. */
  titles?: Record<string, string | null>
}

/** Who is acting. Permissions (their own issue) hang off this. */
export interface Actor {
  id: string
  name?: string
  roles?: string[]
}

export const SYSTEM_ACTOR: Actor = { id: 'system', name: 'system', roles: ['admin'] }
