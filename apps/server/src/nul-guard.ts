import type { FastifyInstance } from 'fastify'
import { TesseraError } from '@tessera/core'

/**
 * Refuses a NUL character anywhere in a request's path parameters or query
 * string, before any route reads them: PostgreSQL cannot hold NUL in text,
 * and a filter, match or parameter carrying one would otherwise reach the
 * database before anything refuses it. Bodies are checked where they are
 * read (the form engine, the importers).
 */
export function installNulGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    for (const [part, values] of [['params', request.params], ['query', request.query]] as const) {
      const found = nulIn(values)
      if (found === undefined) continue
      const field = `${part}.${found}`
      throw new TesseraError('request.invalid', `${field} holds a NUL character, which no text may contain`, {
        issues: [{ field, rule: 'characters', message: 'holds a NUL character' }],
        messages: {
          'zh-CN': `请求的 ${field} 含有 NUL 字符，文本中不能有这个字符`,
          en: `${field} holds a NUL character, which no text may contain`,
        },
      })
    }
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
