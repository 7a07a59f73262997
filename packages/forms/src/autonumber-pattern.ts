/**
 * Autonumber patterns: literal text with tokens in braces. `{YYYY}`,
 * `{YY}`, `{MM}` and `{DD}` are the creation date; exactly one run of
 * zeros (`{0000}`) is the sequence, zero-padded to that width (wider
 * numbers simply get more digits). The date tokens together make the
 * period: the sequence restarts at 1 whenever it changes.
 *
 * @example
 * formatAutonumber(parseAutonumberPattern('AR-{YYYY}-{0000}'), '2025-03-14', 7) // "AR-2025-0007"
 * autonumberPeriod(parseAutonumberPattern('AR-{YYYY}{MM}-{000}'), '2025-03-14')  // "2025-03"
 */
export type PatternPart =
  | { kind: 'text'; text: string }
  | { kind: 'date'; token: DateToken }
  | { kind: 'sequence'; width: number }

export type DateToken = 'YYYY' | 'YY' | 'MM' | 'DD'

const TOKEN = /\{([^{}]*)\}/g
const DATE_TOKENS: readonly string[] = ['YYYY', 'YY', 'MM', 'DD']

export class AutonumberPatternError extends Error {}

export function parseAutonumberPattern(pattern: string): PatternPart[] {
  const parts: PatternPart[] = []
  let last = 0
  for (const match of pattern.matchAll(TOKEN)) {
    if (match.index > last) parts.push({ kind: 'text', text: pattern.slice(last, match.index) })
    parts.push(tokenPart(match[1]))
    last = match.index + match[0].length
  }
  if (last < pattern.length) parts.push({ kind: 'text', text: pattern.slice(last) })

  const sequences = parts.filter((part) => part.kind === 'sequence').length
  if (sequences !== 1) {
    throw new AutonumberPatternError(
      `needs exactly one sequence token such as {0000}, found ${sequences}`,
    )
  }
  if (parts.some((part) => part.kind === 'text' && /[{}]/.test(part.text))) {
    throw new AutonumberPatternError('has a brace that opens or closes no token')
  }
  return parts
}

function tokenPart(token: string): PatternPart {
  if (DATE_TOKENS.includes(token)) return { kind: 'date', token: token as DateToken }
  if (/^0{1,12}$/.test(token)) return { kind: 'sequence', width: token.length }
  throw new AutonumberPatternError(
    `has an unknown token {${token}}; expected {YYYY}, {YY}, {MM}, {DD} or zeros such as {0000}`,
  )
}

/** The counter a date falls into: the date tokens' values joined by "-"; "" without any. */
export function autonumberPeriod(parts: PatternPart[], date: string): string {
  return parts
    .flatMap((part) => (part.kind === 'date' ? [dateValue(part.token, date)] : []))
    .join('-')
}

export function formatAutonumber(parts: PatternPart[], date: string, sequence: number): string {
  return parts
    .map((part) => {
      if (part.kind === 'text') return part.text
      if (part.kind === 'date') return dateValue(part.token, date)
      return String(sequence).padStart(part.width, '0')
    })
    .join('')
}

function dateValue(token: DateToken, date: string): string {
  switch (token) {
    case 'YYYY':
      return date.slice(0, 4)
    case 'YY':
      return date.slice(2, 4)
    case 'MM':
      return date.slice(5, 7)
    case 'DD':
      return date.slice(8, 10)
  }
}
