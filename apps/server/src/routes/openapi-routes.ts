import type { FastifyInstance } from 'fastify'
import type { PublishedForm } from '@tessera/core'
import { toOpenApi } from '@tessera/forms'
import { describeApp, viewForm, type Platform } from '@tessera/platform'
import { actorOf, localeOf } from '../request-context.js'

/**
 * `GET /api/apps/:app/openapi.json`: an OpenAPI 3.1 description of the
 * record endpoints of the app's forms, generated from their published
 * schemas, as the caller may use them: only their forms, only the
 * operations their roles grant, without the fields hidden from them.
 */
export function openApiRoutes(app: FastifyInstance, platform: Platform) {
  app.get<{ Params: { app: string } }>('/api/apps/:app/openapi.json', async (request) => {
    const actor = actorOf(request)
    const locale = localeOf(request)
    const overview = await describeApp(platform, actor, request.params.app, locale)

    const forms: PublishedForm[] = []
    const actions = new Map<string, readonly string[]>()
    for (const { key } of overview.forms) {
      const view = await viewForm(platform, actor, overview.key, key, locale)
      const published = await platform.catalog.getForm(overview.key, key)
      forms.push({ ...published, definition: view.definition })
      actions.set(key, view.access.actions)
    }
    return toOpenApi({
      app: { key: overview.key, label: overview.label },
      forms,
      locale,
      actions: (form) => actions.get(form.key) ?? [],
    })
  })
}
