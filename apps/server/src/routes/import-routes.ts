import type { Readable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import type { Platform } from '@tessera/platform'
import { actorOf, localeOf } from '../request-context.js'

/** Files up to this size can be imported over HTTP. */
export const IMPORT_BODY_LIMIT = 200 * 1024 * 1024

type MappingParams = { app: string; mapping: string }

/**
 * Imports over HTTP: the request body is the CSV file itself
 * (`Content-Type: text/csv`), streamed into the importer, so a running
 * server can take files while it holds the embedded database. The answer is
 * the import result: 200 when it succeeded, 422 with every bad row when it
 * was rejected (and nothing was written).
 */
export function importRoutes(app: FastifyInstance, platform: Platform) {
  app.addContentTypeParser('text/csv', { bodyLimit: IMPORT_BODY_LIMIT }, (_request, payload, done) => {
    done(null, payload)
  })

  app.get<{ Params: { app: string } }>('/api/apps/:app/imports', async (request) => {
    await platform.catalog.getApp(request.params.app)
    return platform.catalog.listMeta(request.params.app, 'import')
  })

  app.post<{ Params: MappingParams; Querystring: { fileName?: string; dryRun?: boolean }; Body: Readable }>(
    '/api/apps/:app/imports/:mapping',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: { querystring: { type: 'object', properties: {
        fileName: { type: 'string', maxLength: 200 },
        dryRun: { type: 'boolean' },
      }, additionalProperties: false } },
    },
    async (request, reply) => {
      const { app: appKey, mapping } = request.params
      const result = await platform.runImport(appKey, mapping, request.body, {
        actor: actorOf(request),
        locale: localeOf(request),
        fileName: request.query.fileName ?? 'upload.csv',
        ...(request.query.dryRun ? { dryRun: true } : {}),
      })
      return reply.status(result.status === 'succeeded' ? 200 : 422).send(result)
    },
  )
}
