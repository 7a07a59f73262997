import { isTesseraError, type TesseraError } from '@tessera/core'

/** Runs code that must throw a TesseraError and returns that error. */
export function failure(run: () => unknown): TesseraError {
  try {
    run()
  } catch (error) {
    if (isTesseraError(error)) return error
    throw error
  }
  throw new Error('expected a TesseraError, nothing was thrown')
}
