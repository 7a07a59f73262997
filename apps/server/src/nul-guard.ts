import type { FastifyInstance } from 'fastify'
import { TesseraError, unstorableTextPath } from '@tessera/core'

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
    const found = unstorableTextPath(request.body)
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
