import type { FastifyInstance } from 'fastify'
import type { Platform } from '@tessera/platform'
import { requireAdmin } from '@tessera/core'
import type { AuditQuery } from '@tessera/store'
import { actorOf, localeOf } from '../request-context.js'
import { originOf } from './record-routes.js'

type RoleParams = { app: string; key: string }

const auditQuery = {
  type: 'object',
  properties: {
    actor: { type: 'string', maxLength: 200 },
    action: { type: 'string', maxLength: 100 },
    app: { type: 'string', maxLength: 100 },
    form: { type: 'string', maxLength: 100 },
    record: { type: 'integer', minimum: 1 },
    from: { type: 'string', maxLength: 40 },
    to: { type: 'string', maxLength: 40 },
    page: { type: 'integer', minimum: 1 },
    pageSize: { type: 'integer', minimum: 1, maximum: 200 },
    locale: { type: 'string' },
  },
  additionalProperties: false,
} as const

/**
 * Role documents and the audit trail: administrators only. Roles are
 * checked against the app's forms, reports and dashboards before they are
 * stored, and every change is audited.
 */
export function accessRoutes(app: FastifyInstance, platform: Platform) {
  const { roles } = platform
  const base = '/api/admin/apps/:app/roles'

  app.get<{ Params: { app: string } }>(base, async (request) => {
    requireAdmin(actorOf(request), 'read role documents')
    return roles.list(request.params.app)
  })

  app.get<{ Params: RoleParams }>(`${base}/:key`, async (request) => {
    requireAdmin(actorOf(request), 'read role documents')
    return roles.get(request.params.app, request.params.key)
  })

  app.put<{ Params: RoleParams; Body: unknown }>(
    `${base}/:key`,
    { bodyLimit: 256 * 1024 },
    async (request) => {
      const { app: appKey, key } = request.params
      return roles.save(actorOf(request), appKey, request.body, {
        key, locale: localeOf(request), origin: originOf(request),
      })
    },
  )

  app.delete<{ Params: RoleParams }>(`${base}/:key`, async (request, reply) => {
    const { app: appKey, key } = request.params
    await roles.delete(actorOf(request), appKey, key, { locale: localeOf(request), origin: originOf(request) })
    return reply.status(204).send()
  })

  app.get<{ Querystring: Omit<AuditQuery, 'recordId' | 'timeZone'> & { record?: number } }>(
    '/api/admin/audit',
    { schema: { querystring: auditQuery } },
    async (request) => {
      const { record, ...query } = request.query
      delete (query as { locale?: string }).locale
      return platform.searchAudit(actorOf(request), { ...query, recordId: record })
    },
  )
}
