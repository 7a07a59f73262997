import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { TesseraError } from '@tessera/core'
import { sameSecret, type Identity, type NewSession } from '@tessera/identity'
import { setRequestAuth } from '../request-context.js'
import { parseCookies, serializeCookie } from './cookies.js'
import { IMPORT_ROUTE, routeKey, tokenMayCall } from './token-route-scope.js'

export const SESSION_COOKIE = 'tessera_session'
export const CSRF_HEADER = 'x-csrf-token'

export interface AuthLayerOptions {
  /** Mark the cookie Secure even on plain HTTP (behind an HTTPS proxy). */
  secureCookies?: boolean
}

/** Routes anyone may call; they look at a session if one comes along. */
const PUBLIC_ROUTES = new Set([
  'GET /api/health',
  'GET /api/auth/state',
  'POST /api/auth/setup',
  'POST /api/auth/login',
  'POST /api/auth/logout',
])

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** The forms an import mapping writes (none when there is no such mapping). */
export type ImportForms = (app: string, mapping: string) => Promise<string[]>

/**
 * Every /api request passes here before its route runs:
 *
 * - `Authorization: Bearer tsr_…` → the token's user, narrowed to its scopes;
 *   no CSRF check (no browser sends it on its own).
 * - the `tessera_session` cookie → the session's user; any request that
 *   changes something must echo the session's CSRF token in `x-csrf-token`.
 * - nothing → 401 auth.required, except on the public routes.
 *
 * Routes outside /api (the web app's files) are public.
 */
export function installAuthLayer(
  app: FastifyInstance,
  identity: Identity,
  importForms: ImportForms,
): void {
  app.addHook('onRequest', async (request) => {
    if (!isApiRequest(request)) return
    const key = `${request.method} ${request.routeOptions.url ?? ''}`
    const isPublic = PUBLIC_ROUTES.has(key)

    const bearer = bearerOf(request)
    if (bearer !== undefined) {
      const actor = await identity.actorOfToken(bearer)
      if (!actor) throw new TesseraError('auth.required', 'the API token is unknown, expired or revoked')
      const params = (request.params ?? {}) as Record<string, string | undefined>
      const forms = routeKey(request.method, request.routeOptions.url) === IMPORT_ROUTE
        ? await importForms(params.app ?? '', params.mapping ?? '')
        : []
      const route = request.routeOptions.url
      if (!isPublic && !tokenMayCall(actor.scopes ?? [], request.method, route, params, forms)) {
        throw new TesseraError('auth.forbidden', `this API token's scopes do not allow ${key}`, {
          details: { route: key, params },
        })
      }
      setRequestAuth(request, { actor })
      return
    }

    const token = parseCookies(request.headers.cookie)[SESSION_COOKIE]
    const found = token ? await identity.actorOfSession(token) : undefined
    if (!found) {
      if (isPublic) return
      throw new TesseraError('auth.required', `sign in to call ${key}`)
    }
    if (!SAFE_METHODS.has(request.method) && !csrfMatches(request, found.session.csrfToken)) {
      throw new TesseraError('auth.csrf', `${key} changes data and needs the session's ${CSRF_HEADER} header (from GET /api/auth/state)`)
    }
    setRequestAuth(request, {
      actor: found.actor,
      session: { id: found.session.id, csrfToken: found.session.csrfToken },
    })
  })
}

// The router decodes the path before matching, so "/%61pi/apps" reaches the
// route "/api/apps": the matched route decides, and the raw URL only for
// requests that matched nothing.
function isApiRequest(request: FastifyRequest): boolean {
  const route = request.routeOptions.url
  return route === undefined ? request.url.startsWith('/api/') : route.startsWith('/api/')
}

function bearerOf(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization
  if (!header) return undefined
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
  if (!match) throw new TesseraError('auth.required', 'the Authorization header must be "Bearer <API token>"')
  return match[1]
}

function csrfMatches(request: FastifyRequest, expected: string): boolean {
  const sent = request.headers[CSRF_HEADER]
  return typeof sent === 'string' && sameSecret(sent, expected)
}

function secure(request: FastifyRequest, options: AuthLayerOptions): boolean {
  return options.secureCookies === true || request.protocol === 'https'
}

/** Puts a new session's token in the cookie: httpOnly, SameSite=Lax, for the browser session. */
export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  session: NewSession,
  options: AuthLayerOptions,
): void {
  reply.header('set-cookie', serializeCookie(SESSION_COOKIE, session.token, {
    path: '/', httpOnly: true, sameSite: 'Lax', secure: secure(request, options),
  }))
}

export function clearSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  options: AuthLayerOptions,
): void {
  reply.header('set-cookie', serializeCookie(SESSION_COOKIE, '', {
    path: '/', httpOnly: true, sameSite: 'Lax', secure: secure(request, options), maxAge: 0,
  }))
}
