import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openSecret, parseSecretKey, sealSecret } from '@tessera/identity'
import { localSecretKey } from '../src/secret-key-file.js'

describe('the embedded database\'s own secret key', () => {
  it('is made once, readable by its owner only, and read back the same at the next start', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tessera-key-')), 'data', 'secret.key')
    const first = localSecretKey(file)
    expect(parseSecretKey(first)).toHaveLength(32)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(localSecretKey(file)).toBe(first)
    // What it sealed, it opens at the next start.
    const sealed = sealSecret(parseSecretKey(first), 'webhook.url', 'http://127.0.0.1:9/hook')
    expect(openSecret(parseSecretKey(localSecretKey(file)), 'webhook.url', sealed)).toBe('http://127.0.0.1:9/hook')
  })

  it('refuses a file holding no key instead of making a new one over it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'tessera-key-')), 'secret.key')
    writeFileSync(file, 'not a key\n')
    expect(() => localSecretKey(file)).toThrow(/32 bytes/)
    expect(readFileSync(file, 'utf8')).toBe('not a key\n')
  })
})
