import type { FastifyError, FastifyInstance } from 'fastify'
import { isTesseraError, TesseraError } from '@tessera/core'

/**
 * Every error leaves as `{ error: { code, message, details, issues } }`.
 * Our own errors keep their status; fastify's request validation becomes
 * request.invalid naming the part of the request; anything else is a 500
 * that is logged in full and described to the client only by its code.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (isTesseraError(error)) {
      const level = error.status >= 500 ? 'error' : 'info'
      request.log[level]({ code: error.code, details: error.details, err: error.status >= 500 ? error : undefined }, 'request failed')
      return reply.status(error.status).send({ error: error.toJSON() })
    }
    if (error.validation) {
      const issues = error.validation.map((v) => ({
        field: `${error.validationContext ?? 'request'}${v.instancePath.replace(/\//g, '.')}`,
        rule: v.keyword,
        message: v.message ?? 'is invalid',
        expected: v.params,
      }))
      const wrapped = new TesseraError('request.invalid', `${error.validationContext ?? 'request'} is invalid: ${error.message}`, { issues })
      return reply.status(400).send({ error: wrapped.toJSON() })
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500
    if (status < 500) {
      request.log.info({ code: error.code }, 'request refused')
      const code = status === 404 ? 'not_found' : 'request.invalid'
      return reply.status(status).send({ error: { code, message: error.message, details: {}, issues: [] } })
    }
    request.log.error({ err: error }, 'unexpected error')
    return reply.status(500).send({
      error: { code: 'internal', message: 'an unexpected error occurred; the server log has the details', details: {}, issues: [] },
    })
  })
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({
      error: { code: 'not_found', message: `no route ${request.method} ${request.url}`, details: {}, issues: [] },
    })
  })
}
