import { afterEach, describe, expect, it, vi } from 'vitest'
import { apiRequest, onUnauthorized, setCsrfToken } from './api-client.js'

interface Sent {
  url: string
  method: string
  headers: Record<string, string>
}

function answerWith(status: number, body: unknown) {
  const sent: Sent[] = []
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    sent.push({ url, method: String(init.method), headers: init.headers as Record<string, string> })
    return new Response(status === 204 ? null : JSON.stringify(body), { status })
  })
  return sent
}

describe('the API client and the session', () => {
  afterEach(() => {
    vi.unstubAllGlobals()
    setCsrfToken(undefined)
  })

  it('sends the CSRF token on changes only', async () => {
    const sent = answerWith(200, { ok: true })
    setCsrfToken('csrf-123')
    await apiRequest({ path: '/apps', locale: 'zh-CN' })
    await apiRequest({ method: 'POST', path: '/apps/a/forms/b/records', body: {}, locale: 'zh-CN' })
    await apiRequest({ method: 'DELETE', path: '/tokens/1', locale: 'en' })
    expect(sent.map((s) => s.headers['X-CSRF-Token'])).toEqual([undefined, 'csrf-123', 'csrf-123'])

    setCsrfToken(undefined)
    await apiRequest({ method: 'PUT', path: '/admin/users/1/roles', body: { roles: [] }, locale: 'en' })
    expect(sent[3].headers['X-CSRF-Token']).toBeUndefined()
  })

  it('tells every listener when the server answers 401, and still throws the error', async () => {
    answerWith(401, { error: { code: 'auth.required', message: 'sign in', details: {}, issues: [] } })
    const heard: string[] = []
    const stop = onUnauthorized(() => heard.push('one'))
    onUnauthorized(() => heard.push('two'))()

    await expect(apiRequest({ path: '/apps', locale: 'zh-CN' })).rejects.toMatchObject({ status: 401, code: 'auth.required' })
    expect(heard).toEqual(['one'])
    stop()
    await expect(apiRequest({ path: '/apps', locale: 'zh-CN' })).rejects.toMatchObject({ status: 401 })
    expect(heard).toEqual(['one'])
  })
})
