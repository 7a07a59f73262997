import type { FastifyInstance } from 'fastify'
import { deleteReport, drillReport, paramSuggestions, previewReport, reportSummary, saveReport, type Platform } from '@tessera/platform'
import { actorOf, localeOf } from '../request-context.js'
import { REPORT_DRILL, REPORT_RUN, parseReportQuery } from './report-query.js'

type ReportParams = { app: string; key: string }
type Query = Record<string, unknown>

/**
 * Report summaries, runs and drill-downs; query string values are the
 * report's params, plus the run-time parts read by parseReportQuery.
 * PUT replaces a report after checking it, DELETE removes one no dashboard
 * names, and POST …/preview runs an
 * unsaved spec (administrators only).
 */
export function reportRoutes(app: FastifyInstance, platform: Platform) {
  // The page's summary: the source form (a click on a cell lists its records there) and, where
  // the report says so and the reader may run it, the report a row opens instead.
  app.get<{ Params: ReportParams }>('/api/apps/:app/reports/:key', async (request) =>
    reportSummary(platform, actorOf(request), request.params.app, request.params.key, localeOf(request)))

  // A text param's suggestions as the reader types (the values of the field its `suggest` names).
  app.get<{ Params: ReportParams & { param: string }; Querystring: { q?: string } }>(
    '/api/apps/:app/reports/:key/params/:param/options',
    { schema: { querystring: { type: 'object', properties: {
      q: { type: 'string', maxLength: 200 }, locale: { type: 'string' },
    }, additionalProperties: false } } },
    async (request) => paramSuggestions(platform, actorOf(request), request.params.app, request.params.key,
      request.params.param, request.query.q ?? '', localeOf(request)),
  )

  app.get<{ Params: ReportParams }>('/api/apps/:app/reports/:key/spec', async (request) => {
    await platform.assertReport(actorOf(request), request.params.app, request.params.key, localeOf(request))
    return platform.catalog.getMeta(request.params.app, 'report', request.params.key)
  })

  app.get<{ Params: ReportParams; Querystring: Query }>(
    '/api/apps/:app/reports/:key/run',
    async (request) => {
      const query = parseReportQuery(request.query, REPORT_RUN)
      const hasDimensions = Object.keys(query.dimensions).length > 0
      return platform.runReport(actorOf(request), request.params.app, request.params.key, query.params, localeOf(request), {
        filters: query.fieldFilters,
        ...(query.group ? { group: query.group } : {}),
        ...(hasDimensions ? { match: query.dimensions } : {}),
      })
    },
  )

  app.get<{ Params: ReportParams; Querystring: Query }>(
    '/api/apps/:app/reports/:key/drill',
    async (request) => {
      const query = parseReportQuery(request.query, REPORT_DRILL)
      const { app: appKey, key } = request.params
      return drillReport(platform, actorOf(request), appKey, key, query.params, query.dimensions, localeOf(request), {
        filters: query.fieldFilters,
        limit: query.limit,
        ...(query.measure ? { measure: query.measure } : {}),
        ...(query.form === undefined ? {} : { form: query.form }),
      })
    },
  )

  app.post<{ Params: { app: string }; Body: { spec: unknown; params?: Record<string, unknown> } }>(
    '/api/apps/:app/reports/preview',
    { schema: { body: { type: 'object', properties: { spec: { type: 'object' }, params: { type: 'object' } }, required: ['spec'] } } },
    async (request) => {
      const { spec, params } = request.body
      return previewReport(platform, actorOf(request), request.params.app, spec, params ?? {}, localeOf(request))
    },
  )

  app.put<{ Params: ReportParams; Body: unknown }>('/api/apps/:app/reports/:key', async (request) => {
    const { app: appKey, key } = request.params
    return saveReport(platform, actorOf(request), appKey, key, request.body, localeOf(request))
  })

  app.delete<{ Params: ReportParams }>('/api/apps/:app/reports/:key', async (request, reply) => {
    const { app: appKey, key } = request.params
    await deleteReport(platform, actorOf(request), appKey, key)
    return reply.status(204).send()
  })
}
