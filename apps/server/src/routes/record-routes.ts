import type { FastifyInstance } from 'fastify'
import { TesseraError, type SortSpec } from '@tessera/core'
import type { Platform } from '@tessera/platform'
import { actorOf, localeOf } from '../request-context.js'

type FormParams = { app: string; form: string }
type RecordParams = FormParams & { id: number }

const idParams = {
  type: 'object',
  properties: { app: { type: 'string' }, form: { type: 'string' }, id: { type: 'integer', minimum: 1 } },
  required: ['app', 'form', 'id'],
} as const

const listQuery = {
  type: 'object',
  properties: {
    page: { type: 'integer', minimum: 1 },
    pageSize: { type: 'integer', minimum: 1, maximum: 500 },
    sort: { type: 'string', maxLength: 500 },
    filter: { type: 'string', maxLength: 20_000 },
    q: { type: 'string', maxLength: 200 },
    locale: { type: 'string' },
  },
} as const

const writeBody = {
  type: 'object',
  properties: { values: { type: 'object' }, version: { type: 'integer', minimum: 1 } },
  required: ['values'],
} as const

/** Generic record endpoints for every published form. */
export function recordRoutes(app: FastifyInstance, platform: Platform) {
  const { records } = platform
  const base = '/api/apps/:app/forms/:form'

  app.get<{ Params: FormParams; Querystring: { page?: number; pageSize?: number; sort?: string; filter?: string; q?: string } }>(
    `${base}/records`,
    { schema: { querystring: listQuery } },
    async (request) => {
      const { app: appKey, form } = request.params
      const { page, pageSize, sort, filter, q } = request.query
      return records.list(actorOf(request), appKey, form, {
        page, pageSize, q, sort: parseSort(sort), filter: parseFilter(filter),
      })
    },
  )

  app.get<{ Params: RecordParams }>(`${base}/records/:id`, { schema: { params: idParams } }, async (request) => {
    const { app: appKey, form, id } = request.params
    return records.get(actorOf(request), appKey, form, id)
  })

  app.post<{ Params: FormParams; Body: { values: Record<string, unknown> } }>(
    `${base}/records`,
    { schema: { body: writeBody } },
    async (request, reply) => {
      const { app: appKey, form } = request.params
      const created = await records.create(actorOf(request), appKey, form, request.body.values, {
        locale: localeOf(request),
      })
      return reply.status(201).send(created)
    },
  )

  app.patch<{ Params: RecordParams; Body: { values: Record<string, unknown>; version?: number } }>(
    `${base}/records/:id`,
    { schema: { params: idParams, body: { ...writeBody, required: ['values', 'version'] } } },
    async (request) => {
      const { app: appKey, form, id } = request.params
      const { values, version } = request.body
      return records.update(actorOf(request), appKey, form, id, { version: version!, values }, {
        locale: localeOf(request),
      })
    },
  )

  app.delete<{ Params: RecordParams; Querystring: { version?: number } }>(
    `${base}/records/:id`,
    { schema: { params: idParams, querystring: { type: 'object', properties: { version: { type: 'integer' } } } } },
    async (request, reply) => {
      const { app: appKey, form, id } = request.params
      await records.delete(actorOf(request), appKey, form, id, {
        version: request.query.version, locale: localeOf(request),
      })
      return reply.status(204).send()
    },
  )

  app.get<{ Params: FormParams; Querystring: { q?: string; limit?: number } }>(
    `${base}/options`,
    { schema: { querystring: { type: 'object', properties: { q: { type: 'string', maxLength: 200 }, limit: { type: 'integer', minimum: 1, maximum: 100 } } } } },
    async (request) => {
      const { app: appKey, form } = request.params
      return records.options(actorOf(request), appKey, form, request.query.q, request.query.limit)
    },
  )
}

/** "-amount,number" → amount descending, then number ascending. */
export function parseSort(text: string | undefined): SortSpec[] | undefined {
  if (!text) return undefined
  return text.split(',').filter(Boolean).map((part) => {
    const desc = part.startsWith('-')
    return { field: desc ? part.slice(1) : part, dir: desc ? 'desc' : 'asc' }
  })
}

function parseFilter(text: string | undefined): unknown {
  if (!text) return undefined
  try {
    return JSON.parse(text)
  } catch {
    throw new TesseraError('request.invalid', `filter must be a json-logic rule in JSON, got ${JSON.stringify(text.slice(0, 80))}`, {
      issues: [{ field: 'filter', rule: 'json', message: 'not valid JSON' }],
    })
  }
}
