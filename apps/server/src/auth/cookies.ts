/**
 * Reads a Cookie header into name → value. Malformed pairs are skipped and
 * the first occurrence of a name wins, as browsers send the most specific
 * cookie first.
 *
 * parseCookies('a=1; tessera_session=abc') → { a: '1', tessera_session: 'abc' }
 */
export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {}
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=')
    if (at < 1) continue
    const name = part.slice(0, at).trim()
    if (!name || name in cookies) continue
    let value = part.slice(at + 1).trim()
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1)
    try {
      cookies[name] = decodeURIComponent(value)
    } catch {
      continue
    }
  }
  return cookies
}

export interface CookieOptions {
  httpOnly?: boolean
  secure?: boolean
  sameSite?: 'Strict' | 'Lax'
  path?: string
  /** Seconds; 0 deletes the cookie. Absent means a browser-session cookie. */
  maxAge?: number
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

/**
 * One Set-Cookie value:
 * serializeCookie('sid', 'x', { httpOnly: true, sameSite: 'Lax', path: '/' })
 * → "sid=x; Path=/; HttpOnly; SameSite=Lax"
 */
export function serializeCookie(name: string, value: string, options: CookieOptions = {}): string {
  if (!TOKEN.test(name)) throw new Error(`cookie name ${JSON.stringify(name)} is not a valid token`)
  const parts = [`${name}=${encodeURIComponent(value)}`]
  if (options.path) parts.push(`Path=${options.path}`)
  if (options.maxAge !== undefined) parts.push(`Max-Age=${Math.floor(options.maxAge)}`)
  if (options.maxAge === 0) parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT')
  if (options.httpOnly) parts.push('HttpOnly')
  if (options.secure) parts.push('Secure')
  if (options.sameSite) parts.push(`SameSite=${options.sameSite}`)
  return parts.join('; ')
}
