import type { Locale } from './localized.js'
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
  'file.rejected': 400,
  'file.too_large': 413,
  'not_found': 404,
  'conflict.version': 409,
  'conflict.unique': 409,
  'conflict.reference': 409,
  'conflict.constraint': 409,
  'auth.required': 401,
  'auth.invalid': 401,
  'auth.csrf': 403,
  'auth.forbidden': 403,
  'auth.setup_closed': 409,
  'auth.locked': 423,
  'auth.rate_limited': 429,
  'secret.key_missing': 500,
  'secret.undecryptable': 500,
  'db.transaction_aborted': 500,
  'db.wrong_handle': 500,
  'db.locked': 423,
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
  /** The message in each language, where the thrower worded both. */
  readonly messages: Partial<Record<Locale, string>>

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      details?: Record<string, unknown>
      issues?: FieldIssue[]
      cause?: unknown
      messages?: Partial<Record<Locale, string>>
    } = {},
  ) {
    super(message, { cause: options.cause })
    this.name = 'TesseraError'
    this.code = code
    this.details = options.details ?? {}
    this.issues = options.issues ?? []
    this.messages = options.messages ?? {}
  }

  /** The message for a reader of `locale`, falling back to the default one. */
  messageIn(locale: Locale): string {
    return this.messages[locale] ?? this.message
  }

  get status(): number {
    return ERROR_CODES[this.code]
  }

  toJSON(locale?: Locale) {
    return {
      code: this.code,
      message: locale ? this.messageIn(locale) : this.message,
      details: this.details,
      issues: this.issues,
    }
  }
}

export function isTesseraError(error: unknown): error is TesseraError {
  return error instanceof TesseraError
}

const NOUNS_ZH: Record<string, string> = {
  app: '应用', form: '表单', report: '报表', dashboard: '看板', import: '导入映射', record: '记录',
}

export function notFound(what: string, key: string | number): TesseraError {
  const noun = NOUNS_ZH[what] ?? NOUNS_ZH[what.split(' ')[0]] ?? what
  return new TesseraError('not_found', `${what} "${key}" does not exist`, {
    details: { what, key },
    messages: { 'zh-CN': `${noun}「${key}」不存在`, en: `${what} "${key}" does not exist` },
  })
}

/** For switch statements over unions: names the value nobody expected. */
export function assertNever(value: never, what: string): never {
  throw new TesseraError('internal', `unexpected ${what}: ${JSON.stringify(value)}`)
}
