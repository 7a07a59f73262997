import type { FastifyInstance } from 'fastify'
import {
  listFormDesigns,
  openFormDesign,
  previewFormPublish,
  publishFormDesign,
  saveFormDesign,
  type Platform,
} from '@tessera/platform'
import { actorOf } from '../request-context.js'

type FormParams = { app: string; form: string }

const previewBody = {
  type: ['object', 'null'],
  properties: { definition: { type: 'object' } },
  additionalProperties: false,
} as const

/**
 * The form builder's API, administrators only: the app's forms with
 * their draft state, one form's design, saving a draft, previewing what
 * publishing would change (nothing is stored), and publishing.
 */
export function formDesignRoutes(app: FastifyInstance, platform: Platform) {
  const base = '/api/apps/:app/form-designs'

  app.get<{ Params: { app: string } }>(base, async (request) =>
    listFormDesigns(platform, actorOf(request), request.params.app))

  // A new form: refused when the key is taken.
  app.post<{ Params: { app: string }; Body: { key?: unknown } }>(base, async (request, reply) => {
    const key = typeof request.body?.key === 'string' ? request.body.key : ''
    const design = await saveFormDesign(platform, actorOf(request), request.params.app, key,
      request.body, { create: true })
    return reply.status(201).send(design)
  })

  app.get<{ Params: FormParams }>(`${base}/:form`, async (request) => {
    const { app: appKey, form } = request.params
    return openFormDesign(platform, actorOf(request), appKey, form)
  })

  app.put<{ Params: FormParams; Body: unknown }>(`${base}/:form`, async (request) => {
    const { app: appKey, form } = request.params
    return saveFormDesign(platform, actorOf(request), appKey, form, request.body)
  })

  app.post<{ Params: FormParams; Body: { definition?: unknown } | null }>(
    `${base}/:form/preview`,
    { schema: { body: previewBody } },
    async (request) => {
      const { app: appKey, form } = request.params
      return previewFormPublish(platform, actorOf(request), appKey, form, request.body?.definition)
    },
  )

  app.post<{ Params: FormParams }>(`${base}/:form/publish`, async (request) => {
    const { app: appKey, form } = request.params
    return publishFormDesign(platform, actorOf(request), appKey, form)
  })
}
