import type { FastifyRequest } from 'fastify'
import { TesseraError, type Actor, type Locale } from '@tessera/core'
import type { AuthContext } from '@tessera/identity'

/**
 * Who a request acts as, set by the auth layer (auth/auth-layer.ts) before
 * any route runs: a signed-in user (with their session) or an API token.
 */
export interface RequestAuth {
  actor: Actor
  /** Present when the request came with a session cookie. */
  session?: { id: string; csrfToken: string }
}

const resolved = new WeakMap<FastifyRequest, RequestAuth>()

export function setRequestAuth(request: FastifyRequest, auth: RequestAuth): void {
  resolved.set(request, auth)
}

export function findRequestAuth(request: FastifyRequest): RequestAuth | undefined {
  return resolved.get(request)
}

/** The actor of a request that passed the auth layer; auth.required otherwise. */
export function actorOf(request: FastifyRequest): Actor {
  const auth = resolved.get(request)
  if (!auth) throw new TesseraError('auth.required', `sign in to call ${request.method} ${request.url.split('?')[0]}`)
  return auth.actor
}

/** Where the request came from, for audit rows and rate limits. */
export function authContextOf(request: FastifyRequest): AuthContext {
  const agent = request.headers['user-agent']
  return {
    ip: request.ip,
    userAgent: typeof agent === 'string' ? agent : undefined,
    locale: localeOf(request),
  }
}

/** `?locale=en`, else the first Accept-Language that we speak, else zh-CN. */
export function localeOf(request: FastifyRequest): Locale {
  const query = (request.query as { locale?: string } | undefined)?.locale
  if (query === 'en' || query === 'zh-CN') return query
  const header = request.headers['accept-language'] ?? ''
  for (const part of header.split(',')) {
    const tag = part.split(';')[0].trim().toLowerCase()
    if (tag.startsWith('zh')) return 'zh-CN'
    if (tag.startsWith('en')) return 'en'
  }
  return 'zh-CN'
}
