import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ERROR_CODES, notFound, TesseraError } from './errors.js'
import { requireAdmin } from './require-admin.js'

describe('error codes', () => {
  // docs/api.md lists every code with its status; the two must not drift.
  it('are each documented in docs/api.md with the same status', () => {
    const docs = readFileSync(resolve(__dirname, '../../../docs/api.md'), 'utf8')
    const documented = Object.fromEntries(
      [...docs.matchAll(/^\| `([a-z_.]+)` \| (\d{3}) \|/gm)].map((m) => [m[1], Number(m[2])]),
    )
    expect(documented).toEqual({ ...ERROR_CODES })
  })

  it('carry a message per language where the thrower worded both', () => {
    const error = notFound('form', 'crm/lead')
    expect(error.messageIn('zh-CN')).toBe('表单「crm/lead」不存在')
    expect(error.toJSON('en').message).toBe('form "crm/lead" does not exist')
    const plain = new TesseraError('internal', 'only one')
    expect(plain.messageIn('en')).toBe('only one')
  })

  it('name a missing part of a named whole in Chinese, whole first', () => {
    expect(notFound('widget of dashboard receivables', 'by_region').messageIn('zh-CN'))
      .toBe('看板「receivables」的组件「by_region」不存在')
    expect(notFound('record of form invoice', 42).messageIn('zh-CN')).toBe('表单「invoice」的记录「42」不存在')
    expect(notFound('widget of dashboard receivables', 'by_region').messageIn('en'))
      .toBe('widget of dashboard receivables "by_region" does not exist')
  })

  it('tell a Chinese reader the kind of problem in Chinese when only the English detail was worded', () => {
    const forbidden = new TesseraError('auth.forbidden', 'you may not read records of form "order"')
    expect(forbidden.messageIn('zh-CN')).toBe('没有权限：you may not read records of form "order"')
    expect(forbidden.messageIn('en')).toBe('you may not read records of form "order"')
    // A default message already in Chinese is left as it is.
    expect(new TesseraError('conflict.reference', '该客户仍被引用').messageIn('zh-CN')).toBe('该客户仍被引用')
  })

  it('refuse a non-administrator in the reader\'s language, without their internal id', () => {
    const refusal = (actor: Parameters<typeof requireAdmin>[0]) => {
      try {
        requireAdmin(actor, 'list users')
      } catch (error) {
        return error as TesseraError
      }
      return undefined
    }
    expect(refusal({ id: '1', admin: true })).toBeUndefined()
    const user = refusal({ id: '2' })!
    expect(user.code).toBe('auth.forbidden')
    expect(user.messageIn('zh-CN')).toBe('只有平台管理员可以执行此操作')
    expect(user.messageIn('en')).toBe('only an administrator may list users')
    expect(refusal({ id: '1', admin: true, scopes: [{ app: 'crm', actions: ['read'] }] })!.messageIn('zh-CN')).toContain('API 令牌')
  })

  it('word an issue that repeats the error\'s message in the reader\'s language', () => {
    const error = new TesseraError('request.invalid', 'filter.==[1]: expected a number, got "x"', {
      issues: [
        { field: 'filter', rule: 'filter', message: 'filter.==[1]: expected a number, got "x"' },
        { field: 'other', rule: 'other', message: 'something else' },
      ],
      messages: { en: 'filter.==[1]: expected a number, got "x"', 'zh-CN': '筛选条件有误：应为数字，收到 "x"' },
    })
    const zh = error.toJSON('zh-CN')
    expect(zh.issues.map((issue) => issue.message)).toEqual(['筛选条件有误：应为数字，收到 "x"', 'something else'])
    expect(error.toJSON('en').issues[0].message).toBe('filter.==[1]: expected a number, got "x"')
    expect(error.toJSON().issues).toBe(error.issues)
  })
})
