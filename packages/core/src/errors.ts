/**
 * Every error the platform reports on purpose has a stable code, listed in
 * ERROR_CODES with the HTTP status it maps to. Messages name the culprit
 * (form, field, row, step) and what was expected and found.
 */
export const ERROR_CODES = {
  'validation.failed': 400,
  'request.invalid': 400,
  'metadata.invalid': 400,
  'report.invalid': 400,
  'report.param_invalid': 400,
  'import.invalid': 400,
  'import.rows_rejected': 422,
  'logic.error': 400,
  'not_found': 404,
  'conflict.version': 409,
  'conflict.unique': 409,
  'conflict.reference': 409,
  'db.transaction_aborted': 500,
  'db.wrong_handle': 500,
  'internal': 500,
} as const

export type ErrorCode = keyof typeof ERROR_CODES

/**
 * One problem with one field (or a whole record when `field` is absent):
 * what the UI places next to the input and the importer reports per row.
 */
export interface FieldIssue {
  /** Field key; a dotted path for nested values. */
  field?: string
  /** A stable rule name: required, type, min, max, pattern, enum, unique… */
  rule: string
  /** Human message in the requested locale. */
  message: string
  /** What the rule expected, e.g. { min: "0" }. */
  expected?: unknown
  /** The value that came, when it is safe to echo. */
  received?: unknown
}

export class TesseraError extends Error {
  readonly code: ErrorCode
  readonly details: Record<string, unknown>
  readonly issues: FieldIssue[]

  constructor(
    code: ErrorCode,
    message: string,
    options: { details?: Record<string, unknown>; issues?: FieldIssue[]; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause })
    this.name = 'TesseraError'
    this.code = code
    this.details = options.details ?? {}
    this.issues = options.issues ?? []
  }

  get status(): number {
    return ERROR_CODES[this.code]
  }

  toJSON() {
    return {
      code: this.code,
      message: this.message,
      details: this.details,
      issues: this.issues,
    }
  }
}

export function isTesseraError(error: unknown): error is TesseraError {
  return error instanceof TesseraError
}

export function notFound(what: string, key: string | number): TesseraError {
  return new TesseraError('not_found', `${what} "${key}" does not exist`, {
    details: { what, key },
  })
}

/** For switch statements over unions: names the value nobody expected. */
export function assertNever(value: never, what: string): never {
  throw new TesseraError('internal', `unexpected ${what}: ${JSON.stringify(value)}`)
}
