import { existsSync } from 'node:fs'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import fastifyStatic from '@fastify/static'
import type { Platform } from '@tessera/platform'
import { installErrorHandler } from './error-handler.js'
import { metaRoutes } from './routes/meta-routes.js'
import { recordRoutes } from './routes/record-routes.js'
import { reportRoutes } from './routes/report-routes.js'

export interface ServerOptions {
  /** The built web app to serve at /, if present. */
  webRoot?: string
  logger?: FastifyServerOptions['logger']
}

/** The HTTP adapter: thin routes over the platform, plus the web app. */
export async function buildServer(platform: Platform, options: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    // Business data is validated by the form engine, never coerced here;
    // these options apply to route params and query strings only.
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false, useDefaults: false } },
  })
  installErrorHandler(app)
  metaRoutes(app, platform)
  recordRoutes(app, platform)
  reportRoutes(app, platform)

  if (options.webRoot && existsSync(options.webRoot)) {
    await app.register(fastifyStatic, { root: options.webRoot, wildcard: false })
    app.get('/*', (request, reply) => {
      if (request.url.startsWith('/api/')) {
        return reply.status(404).send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url}`, details: {}, issues: [] } })
      }
      return reply.sendFile('index.html')
    })
  }
  return app
}
