import type { FastifyRequest } from 'fastify'
import type { Actor, Locale } from '@tessera/core'

/**
 * Until accounts exist (their own issue), every request acts as the local
 * operator; the server therefore listens on loopback only.
 */
export const LOCAL_ACTOR: Actor = { id: 'local', name: '本机用户', admin: true }

export function actorOf(_request: FastifyRequest): Actor {
  return LOCAL_ACTOR
}

/** `?locale=en`, else the first Accept-Language that we speak, else zh-CN. */
export function localeOf(request: FastifyRequest): Locale {
  const query = (request.query as { locale?: string } | undefined)?.locale
  if (query === 'en' || query === 'zh-CN') return query
  const header = request.headers['accept-language'] ?? ''
  for (const part of header.split(',')) {
    const tag = part.split(';')[0].trim().toLowerCase()
    if (tag.startsWith('zh')) return 'zh-CN'
    if (tag.startsWith('en')) return 'en'
  }
  return 'zh-CN'
}
