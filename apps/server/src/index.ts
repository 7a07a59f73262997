export { buildServer } from './build-server.js'
export type { ServerOptions } from './build-server.js'
export { actorOf } from './request-context.js'
export { SESSION_COOKIE, CSRF_HEADER } from './auth/auth-layer.js'
