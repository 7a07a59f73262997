import { TesseraError } from '@tessera/core'

/**
 * One result-type policy for both drivers, so the same query returns the same
 * JS types on PGlite and on node-postgres:
 * - int8 (bigint ids, count(*)) → number; a value past 2^53 is an error, not a
 *   silent rounding (PGlite would give a BigInt, pg a string).
 * - numeric → string, exact (both drivers' default, kept explicit).
 * - date → "YYYY-MM-DD" string, never a Date at local midnight.
 * - timestamptz → Date (both drivers' default).
 */
export const OID = { int8: 20, numeric: 1700, date: 1082, timestamptz: 1184 } as const

export function parseInt8(text: string): number {
  const value = Number(text)
  if (!Number.isSafeInteger(value)) {
    throw new TesseraError('internal', `bigint ${text} is beyond the exact range of a JS number`)
  }
  return value
}

function identity(text: string): string {
  return text
}

/** Parsers keyed by type OID, for PGlite's `parsers` option. */
export const PGLITE_PARSERS: Record<number, (text: string) => unknown> = {
  [OID.int8]: parseInt8,
  [OID.numeric]: identity,
  [OID.date]: identity,
}

type PgParser = (text: string) => unknown
type PgTypeLookup = (oid: number, format?: string) => PgParser

/** A `types` object for node-postgres that overrides the same OIDs. */
export function pgTypes(fallback: PgTypeLookup) {
  return {
    getTypeParser(oid: number, format?: string): PgParser {
      const own = PGLITE_PARSERS[oid]
      if (own && format !== 'binary') return own
      return fallback(oid, format)
    },
  }
}
