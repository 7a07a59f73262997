export { buildServer } from './build-server.js'
export type { ServerOptions } from './build-server.js'
export { LOCAL_ACTOR } from './request-context.js'
