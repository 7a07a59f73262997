import Fastify from 'fastify'
import { describe, expect, it } from 'vitest'
import { installErrorHandler } from '../src/error-handler.js'

// Errors the database raises mid-write, as a route would meet them.
describe('database errors as the client sees them', () => {
  const app = Fastify({ logger: false })
  installErrorHandler(app)
  app.post('/deadlock', async () => {
    throw Object.assign(new Error('deadlock detected'), { code: '40P01' })
  })
  app.post('/serialization', async () => {
    throw Object.assign(new Error('could not serialize access due to concurrent update'), { code: '40001' })
  })
  app.post('/other', async () => {
    throw Object.assign(new Error('connection terminated'), { code: '57P01' })
  })

  it('answers a write undone for a deadlock or a serialization failure with 409 and "try again"', async () => {
    for (const url of ['/deadlock', '/serialization']) {
      const reply = await app.inject({ method: 'POST', url })
      expect(reply.statusCode).toBe(409)
      expect(reply.json().error).toMatchObject({
        code: 'conflict.retry',
        message: '与他人同时保存发生冲突，本次未保存任何内容，请重试',
      })
    }
    const english = await app.inject({ method: 'POST', url: '/deadlock', headers: { 'accept-language': 'en' } })
    expect(english.json().error.message).toContain('try again')
  })

  it('says in Chinese that a body declared as JSON is empty', async () => {
    const reply = await app.inject({ method: 'POST', url: '/deadlock', headers: { 'content-type': 'application/json' } })
    expect(reply.statusCode).toBe(400)
    expect(reply.json().error).toMatchObject({
      code: 'request.invalid',
      message: expect.stringContaining('请求体是空的'),
    })
  })

  it('keeps other database failures a 500 that names nothing of the database', async () => {
    const reply = await app.inject({ method: 'POST', url: '/other' })
    expect(reply.statusCode).toBe(500)
    expect(reply.json().error).toMatchObject({ code: 'internal', details: {} })
    expect(reply.body).not.toContain('connection terminated')
  })
})
