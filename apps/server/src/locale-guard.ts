import type { FastifyInstance } from 'fastify'
import { TesseraError } from '@tessera/core'

const LOCALES = ['zh-CN', 'en']

/**
 * Refuses a `locale` in the query string that is not one of the languages
 * the product speaks (zh-CN, en), naming what came: read leniently it
 * would answer in Chinese without a word, and a client asking for `en-US`
 * or `fr` would not know its request was not understood. The
 * Accept-Language header stays lenient, as browsers send many tags.
 */
export function installLocaleGuard(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    // The API's requests only: the web app's own pages (/?locale=…) are served whatever their query.
    if (!request.url.startsWith('/api/')) return
    const query = request.query as Record<string, unknown> | undefined
    if (query === undefined || query === null || !Object.hasOwn(query, 'locale')) return
    const locale = query.locale
    if (typeof locale === 'string' && LOCALES.includes(locale)) return
    const received = Array.isArray(locale) ? locale.map(String).join(', ') : String(locale)
    const en = `query.locale must be zh-CN or en, not "${received}"`
    throw new TesseraError('request.invalid', en, {
      issues: [{ field: 'query.locale', rule: 'enum', message: en, expected: LOCALES.join(' | '), received: locale }],
      messages: { 'zh-CN': `请求的 query.locale 须为 zh-CN 或 en，收到「${received}」`, en },
    })
  })
}
