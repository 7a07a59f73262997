import type { FastifyInstance } from 'fastify'
import type { Platform } from '@tessera/platform'
import { actorOf, localeOf } from '../request-context.js'

type ReportParams = { app: string; key: string }

/** Report summaries and runs; query string values are the report's params. */
export function reportRoutes(app: FastifyInstance, platform: Platform) {
  app.get<{ Params: ReportParams }>('/api/apps/:app/reports/:key', async (request) => {
    const spec = await platform.catalog.getMeta<{ key: string; label: unknown; description?: unknown; params?: unknown[] }>(
      request.params.app, 'report', request.params.key,
    )
    return { key: spec.key, label: spec.label, description: spec.description, params: spec.params ?? [] }
  })

  app.get<{ Params: ReportParams; Querystring: Record<string, string> }>(
    '/api/apps/:app/reports/:key/run',
    async (request) => {
      const { locale: _locale, ...params } = request.query
      return platform.runReport(actorOf(request), request.params.app, request.params.key, params, localeOf(request))
    },
  )
}
