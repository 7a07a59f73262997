import type { Locale } from '@tessera/core'
import { ApiError, toApiError } from './api-error.js'

export type QueryValue = string | number | undefined | null

export interface ApiRequest {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  /** Under /api, e.g. "/apps/customer-settlement/forms/invoice/records". */
  path: string
  query?: Record<string, QueryValue>
  body?: unknown
  locale: Locale
  signal?: AbortSignal
}

// The session's CSRF token (from GET /api/auth/state or a sign-in). The
// session cookie is httpOnly, so this token is what proves to the server
// that a change comes from our own pages.
let csrfToken: string | undefined
const unauthorizedListeners = new Set<() => void>()

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token
}

/** The session's CSRF token, for requests made outside apiRequest (file uploads). */
export function currentCsrfToken(): string | undefined {
  return csrfToken
}

/** Called whenever the server answers 401: the session ended or never was. */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener)
  return () => unauthorizedListeners.delete(listener)
}

/** Joins path segments, encoding each: apiPath('apps', 'a b') → "/apps/a%20b". */
export function apiPath(...segments: Array<string | number>): string {
  return segments.map((segment) => '/' + encodeURIComponent(String(segment))).join('')
}

export function buildUrl(path: string, query: Record<string, QueryValue> = {}): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue
    search.set(key, String(value))
  }
  const text = search.toString()
  return '/api' + path + (text ? '?' + text : '')
}

/**
 * Calls the API and returns its parsed JSON (undefined for 204). Every
 * failure, network errors included, is thrown as an ApiError.
 */
export async function apiRequest<T>(request: ApiRequest): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'Accept-Language': request.locale,
  }
  if (request.body !== undefined) headers['Content-Type'] = 'application/json'
  if ((request.method ?? 'GET') !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken

  let response: Response
  try {
    response = await fetch(buildUrl(request.path, request.query), {
      method: request.method ?? 'GET',
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: request.signal,
    })
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause
    const reason = cause instanceof Error ? cause.message : String(cause)
    throw new ApiError(0, 'network', `Could not reach the server for ${request.path}: ${reason}`)
  }

  if (response.status === 401) unauthorizedListeners.forEach((listener) => listener())
  if (response.status === 204) return undefined as T
  const text = await response.text()
  const body = parseJson(text)
  if (!response.ok) throw toApiError(response.status, body, text)
  if (body === undefined) {
    throw new ApiError(response.status, 'http.bad_body', `${request.path} did not answer JSON`)
  }
  return body as T
}

function parseJson(text: string): unknown {
  if (!text) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
