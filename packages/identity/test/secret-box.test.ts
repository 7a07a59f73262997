import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { TesseraError } from '@tessera/core'
import { openSecret, parseSecretKey, sealSecret } from '../src/index.js'

const key = randomBytes(32)

describe('secrets at rest', () => {
  it('seal with a fresh nonce and open with the same key and name', () => {
    const first = sealSecret(key, 'smtp.password', 'hunter2-smtp')
    const second = sealSecret(key, 'smtp.password', 'hunter2-smtp')
    expect(first).toMatch(/^v1:/)
    expect(first).not.toBe(second)
    expect(first).not.toContain('hunter2')
    expect(openSecret(key, 'smtp.password', first)).toBe('hunter2-smtp')
  })

  it('refuse clearly under another key, another name or an altered value', () => {
    const sealed = sealSecret(key, 'webhook.key', 'abc')
    const attempts = [
      () => openSecret(randomBytes(32), 'webhook.key', sealed),
      () => openSecret(key, 'smtp.password', sealed),
      () => openSecret(key, 'webhook.key', sealed.slice(0, -4) + 'AAA='),
      () => openSecret(key, 'webhook.key', 'garbage'),
    ]
    for (const attempt of attempts) {
      expect(attempt).toThrow(TesseraError)
      expect(attempt).toThrow(/webhook.key|smtp.password/)
      try {
        attempt()
      } catch (error) {
        expect((error as TesseraError).code).toBe('secret.undecryptable')
      }
    }
  })

  it('read the key as hex or base64 and explain a missing or short one', () => {
    expect(parseSecretKey(key.toString('hex'))).toEqual(key)
    expect(parseSecretKey(key.toString('base64'))).toEqual(key)
    expect(() => parseSecretKey(undefined)).toThrow(/TESSERA_SECRET_KEY/)
    expect(() => parseSecretKey('')).toThrow(expect.objectContaining({ code: 'secret.key_missing' }))
    expect(() => parseSecretKey(randomBytes(16).toString('base64'))).toThrow(/32 bytes.*16/)
  })
})
