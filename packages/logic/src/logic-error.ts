import { TesseraError } from '@tessera/core'

/**
 * The error every failed evaluation ends in. The message starts with the
 * operator, so a rule author can find the step that went wrong:
 * `dec/: division by zero ("10" / "0")`.
 */
export function logicError(operator: string, problem: string, cause?: unknown): TesseraError {
  return new TesseraError('logic.error', `${operator}: ${problem}`, {
    details: { operator },
    cause,
  })
}

/** A short, safe rendering of a value for error messages. */
export function describe(value: unknown): string {
  if (value === undefined) return 'undefined'
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value)

  let text: string
  try {
    text = JSON.stringify(value) ?? typeof value
  } catch {
    text = typeof value
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text
}

/** Throws unless the operator got between `min` and `max` operands. */
export function expectOperands(operator: string, args: unknown[], min: number, max = min): void {
  if (args.length >= min && args.length <= max) return

  const expected = min === max ? `${min}` : `${min} to ${max}`
  throw logicError(operator, `expected ${expected} operands, got ${args.length}`)
}

export function isNil(value: unknown): value is null | undefined {
  return value === null || value === undefined
}
