import type { Locale } from '@tessera/core'
import { isApiError } from '../api/api-error.js'
import { translate } from '../i18n.js'

/**
 * What to tell someone whose sign-in failed, in their language. The codes
 * come from the server (auth.invalid, auth.locked, auth.rate_limited);
 * anything else shows the server's own message.
 */
export function authErrorText(error: unknown, locale: Locale): string {
  if (!isApiError(error)) return error instanceof Error ? error.message : String(error)
  switch (error.code) {
    case 'auth.invalid':
      return translate(locale, 'auth.invalid')
    case 'auth.locked': {
      const until = typeof error.details.until === 'string' ? new Date(error.details.until) : undefined
      const time = until && !Number.isNaN(until.getTime())
        ? until.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' })
        : '?'
      return translate(locale, 'auth.locked', { time })
    }
    case 'auth.rate_limited':
      return translate(locale, 'auth.rateLimited')
    default:
      return error.message
  }
}
