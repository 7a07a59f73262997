import { type RawBuilder, sql } from 'kysely'

import type { ReportValueType } from './spec.js'

/**
 * Shapes a result value in SQL so that PGlite and pg return the same JSON:
 * money as a decimal string with its scale ("1234.50"), dates as
 * "YYYY-MM-DD" whatever the session's DateStyle. Integers are bigint here and
 * become JS numbers in `normalizeRows`. The scale is a validated integer from
 * the spec, inlined so the SQL reads `round(…, 2)`.
 */
export function formatOutput(
  value: RawBuilder<unknown>,
  type: ReportValueType,
  scale?: number,
): RawBuilder<unknown> {
  switch (type) {
    case 'money':
      return sql`round(cast(${value} as numeric), ${sql.lit(scale ?? 2)})`
    case 'number':
      if (scale === undefined) return sql`cast(${value} as numeric)`
      return sql`round(cast(${value} as numeric), ${sql.lit(scale)})`
    case 'integer':
      return sql`cast(${value} as bigint)`
    case 'date':
      return sql`to_char(${value}, 'YYYY-MM-DD')`
    case 'text':
    case 'datetime':
    case 'boolean':
      return value
  }
}

/** int8 comes back as a string from pg and a number from PGlite: one rule. */
export function toNumber(value: unknown): unknown {
  if (typeof value === 'string' || typeof value === 'bigint') return Number(value)
  return value
}
