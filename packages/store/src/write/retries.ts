import { TesseraError } from '@tessera/core'
import { isStalePlanError } from '../prepared-statements.js'

/** How often a write is tried when PostgreSQL undoes it for a deadlock or a serialization failure. */
const MAX_ATTEMPTS = 3

/** What the writer is told when every attempt was undone. */
export interface GiveUp {
  en: string
  zh: string
}

const RECORD_WRITE: GiveUp = {
  en: 'the record was being saved by others at the same moment and nothing was saved; try again',
  zh: '与他人同时保存同一批记录发生冲突，本次未保存任何内容，请重试',
}

/**
 * Runs a write (a transaction, or one statement) again while PostgreSQL
 * undoes it whole for a reason that another attempt may not meet; after
 * three attempts, 409 `conflict.retry` with `giveUp` as its message.
 */
export async function withRetries<T>(write: () => Promise<T>, giveUp: GiveUp = RECORD_WRITE): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write()
    } catch (error) {
      if (!isRetryable(error)) throw error
      if (attempt >= MAX_ATTEMPTS) {
        throw new TesseraError('conflict.retry', giveUp.en, {
          cause: error,
          messages: { 'zh-CN': giveUp.zh, en: giveUp.en },
        })
      }
    }
  }
}

/**
 * A deadlock's victim, a serialization failure, or a prepared statement
 * refused because another process changed its table (see
 * prepared-statements.ts): each undid the whole transaction.
 */
function isRetryable(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code
  return code === '40P01' || code === '40001' || isStalePlanError(error) ||
    isStalePlanError((error as { cause?: unknown })?.cause)
}
