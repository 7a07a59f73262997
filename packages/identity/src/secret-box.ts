import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { TesseraError } from '@tessera/core'

export const SECRET_KEY_ENV = 'TESSERA_SECRET_KEY'

const VERSION = 'v1'

/**
 * Reads the 32-byte key for secrets at rest: 64 hex digits or base64.
 * Generate one with `openssl rand -base64 32`.
 */
export function parseSecretKey(text: string | undefined): Buffer {
  const value = text?.trim() ?? ''
  if (!value) {
    throw new TesseraError('secret.key_missing', `secrets cannot be stored or read: set ${SECRET_KEY_ENV} to a 32-byte key (for example the output of "openssl rand -base64 32") and restart`, {
      details: { env: SECRET_KEY_ENV },
    })
  }
  const key = /^[0-9a-fA-F]{64}$/.test(value)
    ? Buffer.from(value, 'hex')
    : Buffer.from(value, 'base64')
  if (key.length !== 32) {
    throw new TesseraError('secret.key_missing', `${SECRET_KEY_ENV} must hold 32 bytes (64 hex digits or 44 base64 characters); it holds ${key.length}`, {
      details: { env: SECRET_KEY_ENV, bytes: key.length },
    })
  }
  return key
}

/**
 * AES-256-GCM with a fresh 12-byte nonce per value. The secret's name is
 * authenticated data, so a ciphertext copied under another name fails to
 * open. Stored form: "v1:<nonce>:<tag>:<ciphertext>", each part base64.
 */
export function sealSecret(key: Buffer, name: string, plaintext: string): string {
  const nonce = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key, nonce)
  cipher.setAAD(Buffer.from(name))
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()])
  const parts = [nonce, cipher.getAuthTag(), data].map((part) => part.toString('base64'))
  return [VERSION, ...parts].join(':')
}

export function openSecret(key: Buffer, name: string, sealed: string): string {
  const [version, nonce, tag, data] = sealed.split(':')
  try {
    if (version !== VERSION || data === undefined) throw new Error(`unknown format ${version}`)
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64'))
    decipher.setAAD(Buffer.from(name))
    decipher.setAuthTag(Buffer.from(tag, 'base64'))
    const plain = Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()])
    return plain.toString('utf8')
  } catch (cause) {
    throw new TesseraError('secret.undecryptable', `secret "${name}" cannot be decrypted: ${SECRET_KEY_ENV} is not the key it was stored with, or the stored value was altered`, {
      details: { secret: name }, cause,
    })
  }
}
