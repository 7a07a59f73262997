import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/**
 * Password hashes are self-describing strings, so the cost can rise later
 * without invalidating old hashes:
 *
 *   scrypt$15$8$1$<salt, base64>$<hash, base64>
 *
 * (log2 N, r, p). N = 2^15 with r = 8 needs 32 MiB per hash, which is why
 * maxmem is raised above Node's default.
 */
export const PASSWORD_COST = { log2N: 15, r: 8, p: 1 } as const

const KEY_LENGTH = 32
const SALT_LENGTH = 16
const MAX_MEMORY = 128 * 1024 * 1024

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) => {
      if (error) reject(error)
      else resolve(key)
    })
  })
}

export async function hashPassword(password: string): Promise<string> {
  const { log2N, r, p } = PASSWORD_COST
  const salt = randomBytes(SALT_LENGTH)
  const key = await derive(password, salt, { N: 2 ** log2N, r, p, maxmem: MAX_MEMORY })
  return ['scrypt', log2N, r, p, salt.toString('base64'), key.toString('base64')].join('$')
}

/**
 * Checks a password against a stored hash in constant time. A missing or
 * malformed hash never matches, but still costs one derivation so that the
 * answer for an unknown user takes as long as for a known one.
 */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parsed = stored ? parseHash(stored) : undefined
  if (!parsed) {
    await hashPassword(password)
    return false
  }
  const { log2N, r, p, salt, key } = parsed
  const candidate = await derive(password, salt, { N: 2 ** log2N, r, p, maxmem: MAX_MEMORY })
  return candidate.length === key.length && timingSafeEqual(candidate, key)
}

function parseHash(stored: string) {
  const [scheme, log2N, r, p, salt, key] = stored.split('$')
  if (scheme !== 'scrypt' || key === undefined) return undefined
  const numbers = [log2N, r, p].map(Number)
  if (numbers.some((n) => !Number.isInteger(n) || n < 1 || n > 32)) return undefined
  return {
    log2N: numbers[0],
    r: numbers[1],
    p: numbers[2],
    salt: Buffer.from(salt, 'base64'),
    key: Buffer.from(key, 'base64'),
  }
}
