import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { parseSecretKey } from '@tessera/identity'

/**
 * The key that encrypts stored secrets on the embedded database when
 * TESSERA_SECRET_KEY is not set: read from `file`, or made (32 random
 * bytes, base64, readable by the owner only) the first time, so that a
 * local `tessera start` can keep secrets without any setting. A file that
 * holds no valid key is refused, never replaced: the secrets sealed with it
 * could not be read again.
 */
export function localSecretKey(file: string): string {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true })
    // 'wx': never over a file made meanwhile by another start.
    writeFileSync(file, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' })
    chmodSync(file, 0o600)
  }
  const text = readFileSync(file, 'utf8').trim()
  parseSecretKey(text)
  return text
}
