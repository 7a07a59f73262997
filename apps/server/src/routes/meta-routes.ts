import type { FastifyInstance } from 'fastify'
import type { Platform } from '@tessera/platform'

/** Apps, forms, report summaries, dashboards and settings: read-only metadata. */
export function metaRoutes(app: FastifyInstance, platform: Platform) {
  const { catalog } = platform

  app.get('/api/health', async () => ({ ok: true, database: platform.database.kind }))

  app.get('/api/settings', async () => ({
    timeZone: await platform.timeZone(),
    today: await platform.today(),
  }))

  app.get('/api/apps', async () => {
    const apps = await catalog.listApps()
    return apps.map((a) => ({ key: a.key, label: a.label, description: a.description }))
  })

  app.get<{ Params: { app: string } }>('/api/apps/:app', async (request) => {
    const { app: key } = request.params
    const found = await catalog.getApp(key)
    const [forms, reports, dashboards] = await Promise.all([
      catalog.listForms(key),
      catalog.listMeta(key, 'report'),
      catalog.listMeta(key, 'dashboard'),
    ])
    return {
      key: found.key,
      label: found.label,
      description: found.description,
      forms: forms.filter((f) => f.publishedVersion !== null).map((f) => ({ key: f.key, label: f.label })),
      reports: reports.map((r) => ({ key: r.key, label: r.label })),
      dashboards: dashboards.map((d) => ({ key: d.key, label: d.label })),
    }
  })

  app.get<{ Params: { app: string; form: string } }>('/api/apps/:app/forms/:form', async (request) => {
    const form = await catalog.getForm(request.params.app, request.params.form)
    return { app: form.app, key: form.key, version: form.version, definition: form.definition }
  })

  app.get<{ Params: { app: string; key: string } }>('/api/apps/:app/dashboards/:key', async (request) => {
    return catalog.getMeta(request.params.app, 'dashboard', request.params.key)
  })
}
