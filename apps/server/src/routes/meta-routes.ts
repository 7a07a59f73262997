import type { FastifyInstance } from 'fastify'
import { describeApp, readPeriodClose, viewForm, visibleApps, type Platform } from '@tessera/platform'
import { actorOf, localeOf } from '../request-context.js'

/**
 * Apps, forms, report summaries, dashboards and settings: read-only
 * metadata, each as the requesting actor may see it.
 */
export function metaRoutes(app: FastifyInstance, platform: Platform) {
  app.get('/api/health', async () => ({ ok: true, database: platform.database.kind }))

  app.get('/api/settings', async () => ({
    timeZone: await platform.timeZone(),
    today: await platform.today(),
    ...(await readPeriodClose(platform)),
  }))

  app.get('/api/apps', async (request) => {
    const apps = await visibleApps(platform, actorOf(request))
    return apps.map((a) => ({ key: a.key, label: a.label, description: a.description }))
  })

  app.get<{ Params: { app: string } }>('/api/apps/:app', async (request) => {
    return describeApp(platform, actorOf(request), request.params.app, localeOf(request))
  })

  app.get<{ Params: { app: string; form: string } }>('/api/apps/:app/forms/:form', async (request) => {
    const { app: appKey, form } = request.params
    return viewForm(platform, actorOf(request), appKey, form, localeOf(request))
  })

  app.get<{ Params: { app: string; key: string } }>('/api/apps/:app/dashboards/:key', async (request) => {
    const { app: appKey, key } = request.params
    return platform.dashboardFor(actorOf(request), appKey, key, localeOf(request))
  })
}
