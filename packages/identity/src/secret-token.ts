import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/** A fresh random secret, URL-safe: 32 bytes of randomness. */
export function newSecret(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url')
}

/** Secrets are stored only as this hash; the plain value leaves once and is forgotten. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}

export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a)
  const right = Buffer.from(b)
  return left.length === right.length && timingSafeEqual(left, right)
}
