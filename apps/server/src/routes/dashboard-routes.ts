import type { FastifyInstance } from 'fastify'
import {
  createDashboard,
  deleteDashboard,
  drillWidget,
  filterOptions,
  runWidget,
  saveDashboard,
  saveDashboardWithReports,
  type Platform,
  type WidgetQuery,
} from '@tessera/platform'
import { actorOf, localeOf } from '../request-context.js'
import { type ReportQuery, WIDGET_DRILL, WIDGET_RUN, parseReportQuery } from './report-query.js'

type WidgetParams = { app: string; key: string; widget: string }
type Query = Record<string, unknown>

function widgetQuery(query: ReportQuery): WidgetQuery {
  return {
    params: query.params,
    filters: query.filters,
    path: query.dimensions,
    ...(query.level ? { level: query.level } : {}),
    ...(query.measure ? { measure: query.measure } : {}),
  }
}

/**
 * A dashboard's widgets run as the dashboard shows them (its params, its
 * global filters `f.<key>`, a drill `path` and `level`), the records behind
 * a figure, the choices of a select filter, and (administrators) creating,
 * saving and deleting.
 */
export function dashboardRoutes(app: FastifyInstance, platform: Platform) {
  const base = '/api/apps/:app/dashboards/:key'

  app.get<{ Params: WidgetParams; Querystring: Query }>(`${base}/widgets/:widget/run`, async (request) => {
    const { app: appKey, key, widget } = request.params
    const query = widgetQuery(parseReportQuery(request.query, WIDGET_RUN))
    return runWidget(platform, actorOf(request), appKey, key, widget, query, localeOf(request))
  })

  app.get<{ Params: WidgetParams; Querystring: Query }>(`${base}/widgets/:widget/drill`, async (request) => {
    const { app: appKey, key, widget } = request.params
    const parsed = parseReportQuery(request.query, WIDGET_DRILL)
    return drillWidget(platform, actorOf(request), appKey, key, widget, widgetQuery(parsed),
      localeOf(request), parsed.limit, parsed.form)
  })

  // A search text, and the other filters' values (as a widget takes them) to narrow the choices by.
  app.get<{ Params: { app: string; key: string; filter: string }; Querystring: Record<string, unknown> & { q?: string } }>(
    `${base}/filters/:filter/options`,
    { schema: { querystring: { type: 'object', properties: {
      q: { type: 'string', maxLength: 200 }, locale: { type: 'string' }, filters: { type: 'string' },
    }, patternProperties: { '^f\\.': {} }, additionalProperties: false } } },
    async (request) => {
      const { app: appKey, key, filter } = request.params
      const { q, ...rest } = request.query
      const others = parseReportQuery(rest, ['global_filters']).filters
      return filterOptions(platform, actorOf(request), appKey, key, filter, q ?? '', localeOf(request), others)
    },
  )

  app.post<{ Params: { app: string }; Body: unknown }>('/api/apps/:app/dashboards', async (request, reply) => {
    const created = await createDashboard(platform, actorOf(request), request.params.app, request.body, localeOf(request))
    return reply.status(201).send(created)
  })

  app.delete<{ Params: { app: string; key: string } }>(base, async (request, reply) => {
    await deleteDashboard(platform, actorOf(request), request.params.app, request.params.key)
    return reply.status(204).send()
  })

  app.put<{ Params: { app: string; key: string }; Body: unknown }>(base, async (request) => {
    const { app: appKey, key } = request.params
    return saveDashboard(platform, actorOf(request), appKey, key, request.body, localeOf(request))
  })

  // The dashboard and the reports its new widgets show, all or nothing.
  app.put<{ Params: { app: string; key: string }; Body: unknown }>(`${base}/with-reports`, async (request) => {
    const { app: appKey, key } = request.params
    return saveDashboardWithReports(platform, actorOf(request), appKey, key, request.body, localeOf(request))
  })
}
