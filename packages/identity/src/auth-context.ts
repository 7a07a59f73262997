import type { Locale } from '@tessera/core'

/** Where a request came from: written into audit rows, keyed for rate limits. */
export interface AuthContext {
  ip?: string
  userAgent?: string
  /** Language of the messages in errors' field issues. */
  locale?: Locale
}

/** The current time; injected so tests can pass 15 minutes without waiting. */
export type Clock = () => Date

export const systemClock: Clock = () => new Date()
