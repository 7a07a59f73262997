import { describe, expect, it } from 'vitest'
import { buildUrl } from './api-client.js'
import { toApiError } from './api-error.js'

describe('toApiError', () => {
  it('reads the server’s error envelope, keeping well-formed issues', () => {
    const error = toApiError(
      400,
      {
        error: {
          code: 'validation.failed',
          message: '记录不合法',
          details: { form: 'invoice' },
          issues: [
            { field: 'amount', rule: 'min', message: '「金额」必须大于或等于 0', expected: { min: '0' } },
            { field: 'broken' },
          ],
        },
      },
      '',
    )

    expect(error).toMatchObject({
      status: 400,
      code: 'validation.failed',
      message: '记录不合法',
      details: { form: 'invoice' },
    })
    expect(error.issues.map((issue) => issue.field)).toEqual(['amount'])
  })

  it('still names the status when the body is not our envelope', () => {
    expect(toApiError(502, undefined, '<html>Bad gateway</html>')).toMatchObject({
      code: 'http.502',
      message: '<html>Bad gateway</html>',
    })
    expect(toApiError(500, { oops: true }, '')).toMatchObject({ message: 'HTTP 500' })
  })
})

describe('buildUrl', () => {
  it('puts the path under /api and leaves empty parameters out', () => {
    const filter = JSON.stringify({ '==': [{ var: 'status' }, 'open'] })
    const url = buildUrl('/apps/a/forms/f/records', { page: 1, q: '', sort: undefined, filter })
    expect(url).toBe('/api/apps/a/forms/f/records?page=1&filter=' + encodeURIComponent(filter))
  })
})
