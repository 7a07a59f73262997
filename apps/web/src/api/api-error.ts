import type { FieldIssue } from '@tessera/core'

/**
 * A failed API call, carrying the server's error body
 * `{ "error": { "code", "message", "details", "issues" } }`.
 * `status` is 0 when the request never reached the server.
 */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly details: Record<string, unknown>
  readonly issues: FieldIssue[]

  constructor(
    status: number,
    code: string,
    message: string,
    extra: { details?: Record<string, unknown>; issues?: FieldIssue[] } = {},
  ) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.details = extra.details ?? {}
    this.issues = extra.issues ?? []
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isFieldIssue(value: unknown): value is FieldIssue {
  return isRecord(value) && typeof value.rule === 'string' && typeof value.message === 'string'
}

/** Reads an error body; anything that is not our envelope still yields an ApiError. */
export function toApiError(status: number, body: unknown, fallbackText: string): ApiError {
  const envelope = isRecord(body) && isRecord(body.error) ? body.error : undefined
  if (!envelope) {
    const text = fallbackText.trim().slice(0, 200)
    return new ApiError(status, 'http.' + status, text || `HTTP ${status}`)
  }

  const code = typeof envelope.code === 'string' ? envelope.code : 'http.' + status
  const message = typeof envelope.message === 'string' ? envelope.message : `HTTP ${status}`
  const details = isRecord(envelope.details) ? envelope.details : {}
  const issues = Array.isArray(envelope.issues) ? envelope.issues.filter(isFieldIssue) : []
  return new ApiError(status, code, message, { details, issues })
}
