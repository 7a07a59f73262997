import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import type { Platform } from '@tessera/platform'
import { buildServer, CSRF_HEADER, SESSION_COOKIE, type ServerOptions } from '../src/index.js'

export type Inject = (options: InjectOptions | string) => Promise<LightMyRequestResponse>

/** Someone signed in: an inject that carries their cookie and CSRF token. */
export interface SignedIn {
  inject: Inject
  user: { id: number; username: string; displayName: string; admin: boolean; roles: string[] }
  cookie: string
  csrfToken: string
}

/**
 * The server as tests drive it, through fastify's inject (no network). Every
 * server test goes through this, so that whatever a request needs to be let
 * in is arranged in one place.
 *
 * - `inject` acts as the administrator created by the first-run setup (or
 *   signed in, when the database was set up before); every
 *   request carries the session cookie and the CSRF header (a test may
 *   override either through `headers`).
 * - `anonymous` sends no credentials at all.
 * - `as(username, password)` signs in as another user; `createUser(...)`
 *   creates one through the admin API and signs in as them.
 */
export interface TestServer {
  inject: Inject
  anonymous: Inject
  admin: SignedIn & { password: string }
  as(username: string, password: string): Promise<SignedIn>
  createUser(input: NewTestUser): Promise<SignedIn>
  app: FastifyInstance
  close(): Promise<void>
}

export interface NewTestUser {
  username: string
  password?: string
  displayName?: string
  admin?: boolean
  departmentId?: number
  roles?: string[]
}

export const TEST_ADMIN = { username: 'admin', password: 'harbour-lights-2026!' }
export const TEST_PASSWORD = 'test-user-2026!'

let clients = 0

// Each sign-in comes from its own address, so a test file that signs in
// many users never trips the per-address sign-in limit by accident.
function nextAddress(): string {
  clients += 1
  return `10.77.${Math.floor(clients / 250) % 250}.${(clients % 250) + 1}`
}

function withAuth(app: FastifyInstance, cookie: string, csrfToken: string): Inject {
  return (request) => {
    const options: InjectOptions = typeof request === 'string' ? { url: request } : request
    return app.inject({
      ...options,
      headers: { cookie, [CSRF_HEADER]: csrfToken, ...options.headers },
    })
  }
}

function sessionCookie(response: LightMyRequestResponse): string {
  const cookie = response.cookies.find((c) => c.name === SESSION_COOKIE)
  if (!cookie) throw new Error(`no ${SESSION_COOKIE} cookie in the answer: ${response.body}`)
  return `${SESSION_COOKIE}=${cookie.value}`
}

function signedIn(app: FastifyInstance, response: LightMyRequestResponse): SignedIn {
  if (response.statusCode >= 300) {
    throw new Error(`sign-in failed with ${response.statusCode}: ${response.body}`)
  }
  const { user, csrfToken } = response.json()
  const cookie = sessionCookie(response)
  return { inject: withAuth(app, cookie, csrfToken), user, cookie, csrfToken }
}

export async function createTestServer(platform: Platform, options: ServerOptions = {}): Promise<TestServer> {
  const app = await buildServer(platform, options)
  let setup = await app.inject({
    method: 'POST', url: '/api/auth/setup', remoteAddress: nextAddress(),
    payload: { ...TEST_ADMIN, displayName: '测试管理员' },
  })
  // A database set up before (by an earlier server in the same test file)
  // keeps its administrator: sign in as them instead.
  if (setup.statusCode === 409) {
    setup = await app.inject({
      method: 'POST', url: '/api/auth/login', remoteAddress: nextAddress(), payload: TEST_ADMIN,
    })
  }
  const admin = { ...signedIn(app, setup), password: TEST_ADMIN.password }

  const as = async (username: string, password: string) => {
    const response = await app.inject({
      method: 'POST', url: '/api/auth/login', remoteAddress: nextAddress(),
      payload: { username, password },
    })
    return signedIn(app, response)
  }

  return {
    inject: admin.inject,
    anonymous: (request) => app.inject(request),
    admin,
    as,
    async createUser(input) {
      const password = input.password ?? TEST_PASSWORD
      const created = await admin.inject({
        method: 'POST', url: '/api/admin/users', payload: { ...input, password },
      })
      if (created.statusCode !== 201) {
        throw new Error(`creating user ${input.username} failed with ${created.statusCode}: ${created.body}`)
      }
      return as(input.username, password)
    },
    app,
    close: () => app.close(),
  }
}

/**
 * Saves a role of an app through the admin API, as the administrator, and
 * throws unless it was saved: `forms` as a role document has them.
 *
 * @example
 * await saveRole(server, 'customer-settlement', 'reader', { invoice: { actions: ['read'] } })
 */
export async function saveRole(server: TestServer, app: string, key: string, forms: Record<string, unknown>): Promise<void> {
  const response = await server.inject({
    method: 'PUT', url: `/api/admin/apps/${app}/roles/${key}`, payload: { key, label: { 'zh-CN': key, en: key }, forms },
  })
  if (response.statusCode !== 200) throw new Error(`role ${app}/${key} not saved: ${response.statusCode} ${response.body}`)
}
