import { existsSync } from 'node:fs'
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import fastifyStatic from '@fastify/static'
import fastifyMultipart from '@fastify/multipart'
import { Identity, type IdentityOptions } from '@tessera/identity'
import type { Platform } from '@tessera/platform'
import { FileStore } from '@tessera/store'
import { installAuthLayer } from './auth/auth-layer.js'
import { installErrorHandler } from './error-handler.js'
import { installNulGuard } from './nul-guard.js'
import { installLocaleGuard } from './locale-guard.js'
import { installWholeNumberGuard } from './whole-number-guard.js'
import { accessRoutes } from './routes/access-routes.js'
import { adminRoutes } from './routes/admin-routes.js'
import { authRoutes } from './routes/auth-routes.js'
import { tokenRoutes } from './routes/token-routes.js'
import { metaRoutes } from './routes/meta-routes.js'
import { viewRoutes } from './routes/view-routes.js'
import { recordRoutes } from './routes/record-routes.js'
import { reportRoutes } from './routes/report-routes.js'
import { dashboardRoutes } from './routes/dashboard-routes.js'
import { importRoutes } from './routes/import-routes.js'
import { formImportRoutes } from './routes/form-import-routes.js'
import { openApiRoutes } from './routes/openapi-routes.js'
import { fileRoutes } from './routes/file-routes.js'
import { filesDirFor } from './files-dir.js'
import { peopleRoutes } from './routes/people-routes.js'
import { formDesignRoutes } from './routes/form-design-routes.js'

export interface ServerOptions {
  /** The built web app to serve at /, if present. */
  webRoot?: string
  logger?: FastifyServerOptions['logger']
  /** Who may sign in; by default built over the platform's database. */
  identity?: Identity
  /** Options for the default identity (tests inject a clock here). */
  identityOptions?: IdentityOptions
  /**
   * Mark the session cookie Secure even on plain HTTP, for a server behind
   * an HTTPS proxy. Default: TESSERA_SECURE_COOKIES=1.
   */
  secureCookies?: boolean
  /** Believe X-Forwarded-For/-Proto from a proxy in front. Default: TESSERA_TRUST_PROXY=1. */
  trustProxy?: boolean
  /** Where uploaded files live; see files-dir.ts for the default. */
  filesDir?: string
}

/** The HTTP adapter: thin routes over the platform, plus the web app. */
export async function buildServer(platform: Platform, options: ServerOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 1024 * 1024,
    trustProxy: options.trustProxy ?? process.env.TESSERA_TRUST_PROXY === '1',
    // Business data is validated by the form engine, never coerced here;
    // these options apply to route params and query strings only.
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false, useDefaults: false } },
  })
  installErrorHandler(app)
  installNulGuard(app)
  installLocaleGuard(app)
  installWholeNumberGuard(app)
  const identity = options.identity ?? new Identity(platform.database, options.identityOptions)
  const secureCookies = options.secureCookies ?? process.env.TESSERA_SECURE_COOKIES === '1'
  installAuthLayer(app, identity, async (appKey, mapping) => {
    const spec = await platform.catalog.findMeta<{ records?: Array<{ form?: unknown }> }>(appKey, 'import', mapping)
    return (spec?.records ?? []).map((record) => String(record.form))
  })
  authRoutes(app, identity, { secureCookies })
  // Sessions that were never used again are removed when presented; the
  // rest go at each start.
  app.addHook('onReady', async () => {
    await identity.sessions.sweep()
  })
  adminRoutes(app, identity, platform)
  tokenRoutes(app, identity)
  metaRoutes(app, platform)
  recordRoutes(app, platform)
  viewRoutes(app, platform)
  reportRoutes(app, platform)
  dashboardRoutes(app, platform)
  importRoutes(app, platform)
  formImportRoutes(app, platform)
  openApiRoutes(app, platform)
  accessRoutes(app, platform)
  // Multipart is parsed only where a route asks for a file (request.file()).
  await app.register(fastifyMultipart, { limits: { files: 1, fields: 0, parts: 2 } })
  fileRoutes(app, platform, new FileStore(platform.database, filesDirFor(platform, options.filesDir)))
  peopleRoutes(app, platform, identity)
  formDesignRoutes(app, platform)

  if (options.webRoot && existsSync(options.webRoot)) {
    await app.register(fastifyStatic, { root: options.webRoot, wildcard: false })
    app.get('/*', (request, reply) => {
      // The web app routes in the URL hash, so only "/" and unknown page
      // paths get index.html; a missing API route or asset is a real 404.
      if (request.url.startsWith('/api/') || request.url.startsWith('/assets/')) {
        return reply.status(404).send({ error: { code: 'not_found', message: `no route ${request.method} ${request.url}`, details: {}, issues: [] } })
      }
      return reply.sendFile('index.html')
    })
  }
  return app
}
