import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Platform } from '@tessera/platform'
import { ListViews, type ListViewInput } from '@tessera/store'
import { actorOf, localeOf } from '../request-context.js'

type FormParams = { app: string; form: string }
type ViewParams = FormParams & { id: number }

const viewParams = {
  type: 'object',
  properties: { app: { type: 'string' }, form: { type: 'string' }, id: { type: 'integer', minimum: 1 } },
  required: ['app', 'form', 'id'],
} as const

const viewBody = {
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 200 },
    shared: { type: 'boolean' },
    spec: { type: 'object' },
  },
  additionalProperties: false,
} as const

/** Whether a view is shared is fixed when it is made. */
const patchBody = {
  type: 'object',
  properties: { name: viewBody.properties.name, spec: viewBody.properties.spec },
  additionalProperties: false,
} as const

const defaultBody = {
  type: 'object',
  properties: { view: { type: ['integer', 'null'], minimum: 1 } },
  required: ['view'],
  additionalProperties: false,
} as const

/**
 * Saved list views of a form, for signed-in users who may read it:
 * their own personal views plus the shared ones (which only admins make).
 * API tokens are not let in (token-route-scope lists no view route).
 */
export function viewRoutes(app: FastifyInstance, platform: Platform) {
  // readableForm below has loaded the actor's roles, which hiddenFields reads.
  const views = new ListViews(platform.database.db, (actor, form) => platform.permissions.hiddenFields(actor, form))
  const base = '/api/apps/:app/forms/:form/views'

  const formOf = (request: FastifyRequest<{ Params: FormParams }>) => {
    const { app: appKey, form } = request.params
    return platform.records.readableForm(actorOf(request), appKey, form, { locale: localeOf(request) })
  }

  app.get<{ Params: FormParams }>(base, async (request) => {
    return views.list(actorOf(request), await formOf(request))
  })

  app.post<{ Params: FormParams; Body: ListViewInput }>(
    base,
    { schema: { body: { ...viewBody, required: ['name'] } } },
    async (request, reply) => {
      const created = await views.create(actorOf(request), await formOf(request), request.body)
      return reply.status(201).send(created)
    },
  )

  app.patch<{ Params: ViewParams; Body: ListViewInput }>(
    `${base}/:id`,
    { schema: { params: viewParams, body: patchBody } },
    async (request) => {
      return views.update(actorOf(request), await formOf(request), request.params.id, request.body)
    },
  )

  app.delete<{ Params: ViewParams }>(
    `${base}/:id`,
    { schema: { params: viewParams } },
    async (request, reply) => {
      await views.delete(actorOf(request), await formOf(request), request.params.id)
      return reply.status(204).send()
    },
  )

  app.put<{ Params: FormParams; Body: { view: number | null } }>(
    `${base}/default`,
    { schema: { body: defaultBody } },
    async (request, reply) => {
      await views.setDefault(actorOf(request), await formOf(request), request.body.view)
      return reply.status(204).send()
    },
  )
}
