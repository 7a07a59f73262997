import { describe, expect, it } from 'vitest'

import { shareRun } from '../src/shared-runs.js'

describe('shareRun', () => {
  it('runs identical requests in flight once, and again once they settled', async () => {
    let runs = 0
    const slow = () => new Promise<number>((resolve) => setTimeout(() => resolve(++runs), 20))

    const [a, b] = await Promise.all([shareRun('k', slow), shareRun('k', slow)])
    expect([a, b, runs]).toEqual([1, 1, 1])
    expect(await shareRun('k', slow)).toBe(2)
    expect(await shareRun('other', slow)).toBe(3)
  })

  it('lets a failure reach every waiter and keeps nothing of it', async () => {
    const failing = () => Promise.reject(new Error('boom'))
    const both = Promise.allSettled([shareRun('bad', failing), shareRun('bad', failing)])
    expect((await both).map((one) => one.status)).toEqual(['rejected', 'rejected'])
    expect(await shareRun('bad', () => Promise.resolve('fine'))).toBe('fine')
  })
})
