import type { FastifyInstance } from 'fastify'
import { TesseraError } from '@tessera/core'

/**
 * Refuses, before any route reads them, a NUL character anywhere in a
 * request's path parameters, query string or JSON body, and half of a
 * surrogate pair in its JSON body: PostgreSQL can hold neither in text,
 * and a value carrying one would otherwise reach the database and come
 * back as its vague refusal, naming no field. The refusal names the part
 * (`query.asOf`, `body.label.zh-CN`).
 */
export function installNulGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    for (const [part, values] of [['params', request.params], ['query', request.query]] as const) {
      const found = nulIn(values)
      if (found === undefined) continue
      refuse(`${part}.${found}`)
    }
    const found = unstorableIn(request.body)
    if (found !== undefined) refuse(found === '' ? 'body' : `body.${found}`)
  })
}

function refuse(field: string): never {
  throw new TesseraError('request.invalid', `${field} holds a character no text may contain (NUL, or half of a surrogate pair)`, {
    issues: [{ field, rule: 'characters', message: 'holds a NUL character or half of a surrogate pair' }],
    messages: {
      'zh-CN': `请求的 ${field} 含有文本中不能有的字符（NUL 或不成对的代理项）`,
      en: `${field} holds a character no text may contain (NUL, or half of a surrogate pair)`,
    },
  })
}

/** The name of the first value holding NUL, or undefined. */
function nulIn(values: unknown): string | undefined {
  if (values === null || typeof values !== 'object') return undefined
  for (const [name, value] of Object.entries(values)) {
    if (name.includes('\u0000')) return name.replace(/\u0000/g, '\\0')
    const texts = Array.isArray(value) ? value : [value]
    if (texts.some((text) => typeof text === 'string' && text.includes('\u0000'))) return name
  }
  return undefined
}

/** NUL, or half of a surrogate pair without its other half. */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * The path of the first key or text in a parsed JSON body that no database
 * text can hold, walked without recursion; undefined when there is none
 * (or the body is no JSON, such as an uploaded file's stream).
 */
function unstorableIn(body: unknown): string | undefined {
  const stack: Array<{ value: unknown; path: string }> = [{ value: body, path: '' }]
  const join = (path: string, step: string | number) =>
    typeof step === 'number' ? `${path}[${step}]` : path === '' ? step : `${path}.${step}`
  while (stack.length > 0) {
    const { value, path } = stack.pop()!
    if (typeof value === 'string') {
      if (UNSTORABLE.test(value)) return path
      continue
    }
    if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) continue
    if (Object.getPrototypeOf(value) !== Object.prototype && !Array.isArray(value)) continue
    const entries = Array.isArray(value) ? value.map((item, index) => [index, item] as const) : Object.entries(value)
    for (const [step, child] of entries) {
      if (typeof step === 'string' && UNSTORABLE.test(step)) return join(path, JSON.stringify(step).slice(1, -1))
      stack.push({ value: child, path: join(path, step) })
    }
  }
  return undefined
}
