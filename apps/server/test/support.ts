import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import type { Platform } from '@tessera/platform'
import { buildServer, type ServerOptions } from '../src/index.js'

/**
 * The server as tests drive it, through fastify's inject (no network). Every
 * server test goes through this, so that whatever a request needs to be let
 * in (a session, a CSRF token) is arranged in one place.
 */
export interface TestServer {
  inject(options: InjectOptions | string): Promise<LightMyRequestResponse>
  close(): Promise<void>
}

export async function createTestServer(platform: Platform, options: ServerOptions = {}): Promise<TestServer> {
  const server = await buildServer(platform, options)
  return {
    inject: (request) => server.inject(request),
    close: () => server.close(),
  }
}
