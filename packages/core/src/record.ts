import type { AccessScope } from './access-scope.js'

/**
 * A record as the API reads and writes it. Field values sit under `values`,
 * keyed by field key, so that no field can collide with a system column.
 *
 * JSON value per field type: text, select, phone, email, bank account,
 * region and credit code → string; number → number; money and percent →
 * decimal string ("1234.50", "0.13"); date → "YYYY-MM-DD"; datetime → ISO
 * 8601 text (UTC when read); boolean → true/false; multiselect → array of
 * option values; link → the linked record's id (number); member and
 * department → the user's or department's id (a list of ids when
 * `multiple`); attachment → a list of { id, name, size, type }. A missing
 * or null value means empty.
 */
export interface RecordData {
  id: number
  version: number
  createdAt: string
  createdBy: string
  updatedAt: string
  updatedBy: string
  values: Record<string, unknown>
  /**
   * For display, keyed by field key: titles of linked records, names of
   * members and departments (several joined with "、").
   */
  titles?: Record<string, string | null>
}

/**
 * Who is acting. Every engine takes the actor explicitly; permissions are
 * decided from it.
 *
 * - `id`: the user's id as text ("17"), or a fixed name for the platform's
 *   own work ("system", "cli").
 * - `roles`: role assignments as "<app key>/<role key>", e.g.
 *   "customer-settlement/salesperson".
 * - `admin`: may do everything, in every app.
 * - `department`: the user's department, with its materialized path
 *   ("/1/4/") so "own department and below" is a prefix test.
 */
export interface Actor {
  id: string
  name?: string
  roles?: string[]
  admin?: boolean
  department?: { id: number; path: string }
  /**
   * Set when the actor is an API token: it may do only what these scopes
   * list, on top of what its roles allow (see access-scope.ts).
   */
  scopes?: AccessScope[]
}

export const SYSTEM_ACTOR: Actor = { id: 'system', name: 'system', admin: true }
