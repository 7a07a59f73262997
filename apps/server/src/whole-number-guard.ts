import type { FastifyInstance, RouteOptions } from 'fastify'
import { TesseraError } from '@tessera/core'

type Part = 'params' | 'querystring' | 'body'

/**
 * Whole numbers in paths, query strings and the top level of JSON bodies
 * (ids, versions, page numbers) are taken only as plain decimal digits
 * within JavaScript's exact range. The schemas' type coercion alone reads
 * "0x10" as 16, "1e3" as 1000 and "3001 " as 3001, so a typo could reach
 * another record, and "9e99" passed as a whole number only for the
 * database to refuse it without naming the value.
 *
 * Must be installed before the routes it guards are added.
 */
export function installWholeNumberGuard(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const schema = route.schema as Partial<Record<Part, unknown>> | undefined
    if (!schema) return
    const guarded = (['params', 'querystring', 'body'] as const)
      .map((part) => [part, wholeNumberKeys(schema[part])] as const)
      .filter(([, keys]) => keys.length > 0)
    if (guarded.length === 0) return
    const check = async (request: { params: unknown; query: unknown; body: unknown }) => {
      for (const [part, keys] of guarded) {
        const values = part === 'params' ? request.params : part === 'querystring' ? request.query : request.body
        if (values === null || typeof values !== 'object') continue
        for (const key of keys) {
          const value = (values as Record<string, unknown>)[key]
          if (value === undefined || exact(value, part)) continue
          refuse(part === 'querystring' ? 'query' : part, key, value)
        }
      }
    }
    const existing = route.preValidation
    route.preValidation = existing === undefined ? [check] : [check, ...(Array.isArray(existing) ? existing : [existing])]
  })
}

function wholeNumberKeys(schema: unknown): string[] {
  const properties = (schema as { properties?: Record<string, { type?: unknown }> } | undefined)?.properties
  if (!properties) return []
  const whole = (type: unknown) => type === 'integer' || (Array.isArray(type) && type.includes('integer'))
  return Object.entries(properties).filter(([, property]) => whole(property?.type)).map(([key]) => key)
}

const DIGITS = /^-?(0|[1-9][0-9]{0,15})$/

function exact(value: unknown, part: Part): boolean {
  if (part === 'body') {
    // A JSON body's whole numbers are numbers; one sent as text the schema
    // would turn into a number too ("0x1" into 1), so text gets the digits
    // test. Anything else is the schema's to refuse.
    if (typeof value === 'number') return Number.isSafeInteger(value) || !Number.isInteger(value)
    return typeof value !== 'string' || (DIGITS.test(value) && Number.isSafeInteger(Number(value)))
  }
  // A repeated query parameter arrives as an array: the schema names that.
  if (typeof value !== 'string') return true
  return DIGITS.test(value) && Number.isSafeInteger(Number(value))
}

function refuse(part: string, key: string, value: unknown): never {
  const field = `${part}.${key}`
  const shown = JSON.stringify(typeof value === 'string' ? value.slice(0, 40) : value)
  throw new TesseraError('request.invalid', `${field} must be a whole number written in decimal digits, at most ${Number.MAX_SAFE_INTEGER}, got ${shown}`, {
    issues: [{
      field, rule: 'wholeNumber', message: 'must be a whole number written in decimal digits',
      expected: { max: Number.MAX_SAFE_INTEGER }, received: value,
    }],
    messages: { 'zh-CN': `请求的 ${field} 应为十进制数字写的整数（最大 ${Number.MAX_SAFE_INTEGER}），收到 ${shown}` },
  })
}
