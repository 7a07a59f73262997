import type { FastifyInstance } from 'fastify'
import { sql } from 'kysely'
import { requireAdmin } from '@tessera/core'
import type { Identity, NewUser, UserChanges } from '@tessera/identity'
import { setPeriodClose, type Platform } from '@tessera/platform'
import { originContext } from '@tessera/store'
import { actorOf, authContextOf, localeOf } from '../request-context.js'
import { originOf } from './record-routes.js'

const idParams = {
  type: 'object',
  properties: { id: { type: 'integer', minimum: 1 } },
  required: ['id'],
} as const

const userBody = {
  type: 'object',
  properties: {
    username: { type: 'string', maxLength: 64 },
    displayName: { type: 'string', maxLength: 100 },
    password: { type: 'string', maxLength: 1000 },
    admin: { type: 'boolean' },
    departmentId: { type: ['integer', 'null'], minimum: 1 },
    roles: { type: 'array', items: { type: 'string', maxLength: 100 }, maxItems: 200 },
  },
  required: ['username', 'password'],
  additionalProperties: false,
} as const

const userChanges = {
  type: 'object',
  properties: {
    displayName: { type: 'string', maxLength: 100 },
    admin: { type: 'boolean' },
    disabled: { type: 'boolean' },
    departmentId: { type: ['integer', 'null'], minimum: 1 },
  },
  additionalProperties: false,
} as const

const passwordBody = {
  type: 'object',
  properties: { password: { type: 'string', maxLength: 1000 } },
  required: ['password'],
} as const

const rolesBody = {
  type: 'object',
  properties: { roles: { type: 'array', items: { type: 'string', maxLength: 100 }, maxItems: 200 } },
  required: ['roles'],
} as const

const secretBody = {
  type: 'object',
  properties: { value: { type: 'string', maxLength: 10_000 } },
  required: ['value'],
} as const

const periodCloseBody = {
  type: 'object',
  properties: { closedThrough: { type: ['string', 'null'], maxLength: 40 } },
  required: ['closedThrough'],
  additionalProperties: false,
} as const

const departmentBody = {
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 200 },
    parentId: { type: ['integer', 'null'], minimum: 1 },
  },
  additionalProperties: false,
} as const

/** Users, departments, role assignments and secrets: administrators only. */
export function adminRoutes(app: FastifyInstance, identity: Identity, platform: Platform) {
  const { users, departments, secrets } = identity

  app.get('/api/admin/users', async (request) => users.list(actorOf(request)))

  app.post<{ Body: NewUser }>(
    '/api/admin/users',
    { schema: { body: userBody } },
    async (request, reply) => {
      const created = await users.create(actorOf(request), request.body, authContextOf(request))
      return reply.status(201).send(created)
    },
  )

  app.patch<{ Params: { id: number }; Body: UserChanges }>(
    '/api/admin/users/:id',
    { schema: { params: idParams, body: userChanges } },
    async (request) =>
      users.update(actorOf(request), request.params.id, request.body, authContextOf(request)),
  )

  app.post<{ Params: { id: number }; Body: { password: string } }>(
    '/api/admin/users/:id/reset-password',
    { schema: { params: idParams, body: passwordBody } },
    async (request, reply) => {
      const { id } = request.params
      await users.resetPassword(actorOf(request), id, request.body.password, authContextOf(request))
      return reply.status(204).send()
    },
  )

  app.put<{ Params: { id: number }; Body: { roles: string[] } }>(
    '/api/admin/users/:id/roles',
    { schema: { params: idParams, body: rolesBody } },
    async (request) =>
      users.setRoles(actorOf(request), request.params.id, request.body.roles, authContextOf(request)),
  )

  // The roles an administrator can hand out: every app's role documents.
  app.get('/api/admin/roles', async (request) => {
    requireAdmin(actorOf(request), 'list roles')
    const { rows } = await sql<{ app: string; key: string; label: unknown }>`
      select app_key as app, key, spec -> 'label' as label
      from tessera.meta_item where kind = 'role' order by app_key, key`.execute(platform.database.db)
    return rows
  })

  app.get('/api/admin/departments', async (request) => {
    requireAdmin(actorOf(request), 'list departments')
    return departments.list()
  })

  app.post<{ Body: { name: string; parentId?: number | null } }>(
    '/api/admin/departments',
    { schema: { body: { ...departmentBody, required: ['name'] } } },
    async (request, reply) => {
      const created = await departments.create(actorOf(request), request.body, authContextOf(request))
      return reply.status(201).send(created)
    },
  )

  app.patch<{ Params: { id: number }; Body: { name?: string; parentId?: number | null } }>(
    '/api/admin/departments/:id',
    { schema: { params: idParams, body: departmentBody } },
    async (request) =>
      departments.update(actorOf(request), request.params.id, request.body, authContextOf(request)),
  )

  app.get('/api/admin/secrets', async (request) => secrets.list(actorOf(request)))

  app.put<{ Params: { key: string }; Body: { value: string } }>(
    '/api/admin/secrets/:key',
    { schema: { body: secretBody } },
    async (request, reply) => {
      const { key } = request.params
      await secrets.set(actorOf(request), key, request.body.value, authContextOf(request))
      return reply.status(204).send()
    },
  )

  app.delete<{ Params: { key: string } }>('/api/admin/secrets/:key', async (request, reply) => {
    await secrets.delete(actorOf(request), request.params.key, authContextOf(request))
    return reply.status(204).send()
  })

  // The company's close: records dated on or before it (on forms with a period field) are kept as they are.
  app.put<{ Body: { closedThrough: string | null } }>(
    '/api/admin/period-close',
    { schema: { body: periodCloseBody } },
    async (request) => setPeriodClose(platform, actorOf(request), request.body.closedThrough, {
      locale: localeOf(request),
      context: originContext(originOf(request)),
    }),
  )
}
