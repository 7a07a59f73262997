import { describe, expect, it } from 'vitest'
import { withRetries } from '../src/write/retries.js'

/** Errors as pg reports them: a code, and PostgreSQL's message. */
const deadlock = () => Object.assign(new Error('deadlock detected'), { code: '40P01' })
const stalePlan = () => Object.assign(new Error('cached plan must not change result type'), { code: '0A000' })
const unsupported = () => Object.assign(new Error('cannot do that'), { code: '0A000' })

describe('writes undone whole by PostgreSQL run again', () => {
  it('runs a write again after a deadlock or a stale prepared statement, and returns its result', async () => {
    const failures = [deadlock(), stalePlan()]
    let attempts = 0
    const result = await withRetries(async () => {
      attempts += 1
      const failure = failures.shift()
      if (failure) throw failure
      return 'saved'
    })
    expect(result).toBe('saved')
    expect(attempts).toBe(3)
  })

  it('gives up after three attempts with conflict.retry in the words it was given', async () => {
    let attempts = 0
    const attempt = withRetries(async () => {
      attempts += 1
      throw deadlock()
    }, { en: 'nothing was published; try again', zh: '本次未发布，请重试' })
    await expect(attempt).rejects.toMatchObject({
      code: 'conflict.retry',
      messages: { 'zh-CN': '本次未发布，请重试', en: 'nothing was published; try again' },
    })
    expect(attempts).toBe(3)
  })

  it('passes any other error on at once', async () => {
    let attempts = 0
    await expect(withRetries(async () => {
      attempts += 1
      throw unsupported()
    })).rejects.toThrow('cannot do that')
    expect(attempts).toBe(1)
  })
})
