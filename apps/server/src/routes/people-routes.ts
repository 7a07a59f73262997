import type { FastifyInstance } from 'fastify'
import { listPeople, MAX_PEOPLE, type Identity } from '@tessera/identity'
import type { Platform } from '@tessera/platform'
import { actorOf } from '../request-context.js'

const peopleQuery = {
  type: 'object',
  properties: {
    q: { type: 'string', maxLength: 100 },
    ids: { type: 'string', pattern: '^[0-9]{1,15}(,[0-9]{1,15}){0,49}$' },
    limit: { type: 'integer', minimum: 1, maximum: MAX_PEOPLE },
    locale: { type: 'string' },
  },
  additionalProperties: false,
} as const

/**
 * Who and which departments there are, for member and department pickers:
 * any signed-in user may ask (API tokens may not; see token-route-scope.ts).
 * Users come with id, display name and department only.
 */
export function peopleRoutes(app: FastifyInstance, platform: Platform, identity: Identity) {
  app.get<{ Querystring: { q?: string; ids?: string; limit?: number } }>(
    '/api/people',
    { schema: { querystring: peopleQuery } },
    async (request) => {
      actorOf(request)
      const { q, ids, limit } = request.query
      const wanted = ids === undefined ? undefined : ids.split(',').map(Number)
      return listPeople(platform.database.db, { q, ids: wanted, limit })
    },
  )

  app.get('/api/people/departments', async (request) => {
    actorOf(request)
    const departments = await identity.departments.list()
    return departments.map(({ id, name, parentId, path }) => ({ id, name, parentId, path }))
  })
}
