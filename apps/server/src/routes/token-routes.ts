import type { FastifyInstance } from 'fastify'
import type { Identity, NewToken } from '@tessera/identity'
import { actorOf, authContextOf } from '../request-context.js'

const tokenBody = {
  type: 'object',
  properties: {
    name: { type: 'string', maxLength: 100 },
    scopes: { type: 'array', maxItems: 100 },
    expiresAt: { type: ['string', 'null'], maxLength: 40 },
  },
  required: ['name', 'scopes'],
  additionalProperties: false,
} as const

/** The signed-in user's own API tokens. The secret is in the POST answer only. */
export function tokenRoutes(app: FastifyInstance, identity: Identity) {
  const { tokens } = identity

  app.get('/api/tokens', async (request) => tokens.list(actorOf(request)))

  app.post<{ Body: NewToken }>('/api/tokens', { schema: { body: tokenBody } }, async (request, reply) => {
    const created = await tokens.create(actorOf(request), request.body, authContextOf(request))
    reply.header('cache-control', 'no-store')
    return reply.status(201).send(created)
  })

  app.delete<{ Params: { id: number } }>(
    '/api/tokens/:id',
    {
      schema: {
        params: { type: 'object', properties: { id: { type: 'integer', minimum: 1 } }, required: ['id'] },
      },
    },
    async (request, reply) => {
      await tokens.revoke(actorOf(request), request.params.id, authContextOf(request))
      return reply.status(204).send()
    },
  )
}
