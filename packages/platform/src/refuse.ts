import { TesseraError, type Actor, type Locale } from '@tessera/core'

/**
 * Throws 403 auth.forbidden for something other than a record action (those
 * come from the store's `forbidden`): opening an app, a report, a dashboard.
 *
 * @example
 * refuse(actor, 'en', '查看报表「aging」', 'run report "aging"')
 * // auth.forbidden: you may not run report "aging"
 */
export function refuse(actor: Actor, locale: Locale, zh: string, en: string): never {
  const message = locale === 'en' ? `you may not ${en}` : `你无权${zh}`
  throw new TesseraError('auth.forbidden', message, { details: { actor: actor.id, action: en } })
}
