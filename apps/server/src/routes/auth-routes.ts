import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { isTesseraError, TesseraError } from '@tessera/core'
import type { Identity, SignIn, UserView } from '@tessera/identity'
import { clearSessionCookie, setSessionCookie, type AuthLayerOptions } from '../auth/auth-layer.js'
import { authContextOf, findRequestAuth } from '../request-context.js'

const text = (max: number) => ({ type: 'string', maxLength: max }) as const

const setupBody = {
  type: 'object',
  properties: { username: text(64), displayName: text(100), password: text(1000) },
  required: ['username', 'password'],
} as const

const loginBody = {
  type: 'object',
  properties: { username: text(200), password: text(1000) },
  required: ['username', 'password'],
} as const

const passwordBody = {
  type: 'object',
  properties: { currentPassword: text(1000), newPassword: text(1000) },
  required: ['currentPassword', 'newPassword'],
} as const

/** The signed-in user as GET /api/auth/state shows it. */
export function signedInUser(user: UserView) {
  const { id, username, displayName, admin, roles, department } = user
  return { id, username, displayName, admin, roles, department }
}

/** First-run setup, sign-in, sign-out, the current state and the own password. */
export function authRoutes(app: FastifyInstance, identity: Identity, options: AuthLayerOptions) {
  const signedIn = (request: FastifyRequest, reply: FastifyReply, signIn: SignIn) => {
    setSessionCookie(request, reply, signIn.session, options)
    return { user: signedInUser(signIn.user), csrfToken: signIn.session.csrfToken }
  }

  app.get('/api/auth/state', async (request, reply) => {
    reply.header('cache-control', 'no-store')
    const auth = findRequestAuth(request)
    if (!auth) return { setupNeeded: await identity.setupNeeded() }
    const user = await identity.users.get(Number(auth.actor.id))
    return { setupNeeded: false, user: signedInUser(user), csrfToken: auth.session?.csrfToken }
  })

  app.post<{ Body: { username: string; displayName?: string; password: string } }>(
    '/api/auth/setup',
    { schema: { body: setupBody } },
    async (request, reply) => {
      const signIn = await withRetryAfter(reply, () =>
        identity.setup(request.body, authContextOf(request)))
      return reply.status(201).send(signedIn(request, reply, signIn))
    },
  )

  app.post<{ Body: { username: string; password: string } }>(
    '/api/auth/login',
    { schema: { body: loginBody } },
    async (request, reply) => {
      const { username, password } = request.body
      const signIn = await withRetryAfter(reply, () =>
        identity.login(username, password, authContextOf(request)))
      // Signing in again (perhaps as someone else) replaces the old session.
      const previous = findRequestAuth(request)?.session
      if (previous) await identity.sessions.revoke(previous.id)
      return signedIn(request, reply, signIn)
    },
  )

  app.post('/api/auth/logout', async (request, reply) => {
    const auth = findRequestAuth(request)
    if (auth?.session) await identity.logout(auth.session.id, auth.actor, authContextOf(request))
    clearSessionCookie(request, reply, options)
    return reply.status(204).send()
  })

  app.post<{ Body: { currentPassword: string; newPassword: string } }>(
    '/api/auth/password',
    { schema: { body: passwordBody } },
    async (request, reply) => {
      const auth = findRequestAuth(request)
      if (!auth?.session) {
        throw new TesseraError('auth.forbidden', 'a password is changed from a signed-in session, not with an API token')
      }
      const userId = Number(auth.actor.id)
      await identity.users.changePassword(userId, request.body, auth.session.id, authContextOf(request))
      return reply.status(204).send()
    },
  )
}

// Rate-limited and locked answers tell a client when to come back.
async function withRetryAfter<T>(reply: FastifyReply, attempt: () => Promise<T>): Promise<T> {
  try {
    return await attempt()
  } catch (error) {
    const code = isTesseraError(error) ? error.code : undefined
    if (isTesseraError(error) && (code === 'auth.rate_limited' || code === 'auth.locked')) {
      reply.header('retry-after', String(error.details.retryAfterSeconds))
    }
    throw error
  }
}
