import type { FastifyError, FastifyInstance } from 'fastify'
import { isTesseraError, TesseraError, type Locale } from '@tessera/core'
import localizeZh from 'ajv-i18n/localize/zh/index.js'
import { localeOf } from './request-context.js'

/**
 * Every error leaves as `{ error: { code, message, details, issues } }`, in
 * the request's language where the message is ours to word:
 * - our own errors keep their status and message;
 * - fastify's request validation becomes request.invalid naming the part;
 * - a value Postgres itself cannot take (a number out of range, a NUL
 *   character, an impossible date: SQLSTATE class 22) is the client's bad
 *   input, so 400 request.invalid, never a 500;
 * - a write PostgreSQL undid for a deadlock or a serialization failure
 *   (40P01, 40001) is 409 conflict.retry: nothing was saved, try again;
 * - anything else is a 500, logged in full and described only by its code.
 */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const locale = localeOf(request)
    if (isTesseraError(error)) {
      const level = error.status >= 500 ? 'error' : 'info'
      request.log[level]({ code: error.code, details: error.details, err: error.status >= 500 ? error : undefined }, 'request failed')
      return reply.status(error.status).send({ error: error.toJSON(locale) })
    }
    if (error.validation) {
      const part = error.validationContext ?? 'request'
      // ajv words its checks in English; ajv-i18n words the same checks in Chinese.
      const checks = error.validation.map((v) => ({ ...v }))
      if (locale === 'zh-CN') localizeZh(checks as Parameters<typeof localizeZh>[0])
      const issues = checks.map((v) => {
        // A part the route does not take is named, not left as "an extra property".
        const extra = v.keyword === 'additionalProperties' ? (v.params as { additionalProperty?: string }).additionalProperty : undefined
        return {
          field: `${part}${v.instancePath.replace(/\//g, '.')}${extra !== undefined ? `.${extra}` : ''}`,
          rule: v.keyword,
          message: extra !== undefined ? say(locale, `不接受「${extra}」`, `"${extra}" is not taken here`) : v.message ?? 'is invalid',
          expected: v.params,
        }
      })
      const listed = issues.map((issue) => `${issue.field} ${issue.message}`).join('；')
      const message = say(locale, `请求的 ${part} 有误：${listed}`, `${part} is invalid: ${error.message}`)
      return reply.status(400).send({ error: new TesseraError('request.invalid', message, { issues }).toJSON() })
    }
    const sqlState = (error as { code?: unknown }).code
    if (typeof sqlState === 'string' && /^(22|54)[0-9A-Z]{3}$/.test(sqlState)) {
      // The database's own words stay in the log: they name its internals, not the request.
      request.log.info({ sqlState, message: error.message }, 'value refused by the database')
      const [zh, en] = refusedValue(sqlState)
      const message = say(locale, `请求中的值无法处理：${zh}`, `a value of the request cannot be used: ${en}`)
      return reply.status(400).send({ error: new TesseraError('request.invalid', message, { details: { sqlState } }).toJSON() })
    }
    if (sqlState === '40P01' || sqlState === '40001') {
      // A deadlock or serialization failure outside the record service's own retries.
      request.log.info({ sqlState }, 'write undone by the database for a concurrent one')
      const message = say(locale, '与他人同时保存发生冲突，本次未保存任何内容，请重试', 'the write collided with others at the same moment and nothing was saved; try again')
      return reply.status(409).send({ error: new TesseraError('conflict.retry', message, { details: { sqlState } }).toJSON() })
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500
    if (status < 500) {
      request.log.info({ code: error.code }, 'request refused')
      return reply.status(status).send({ error: clientError(status, error, locale) })
    }
    request.log.error({ err: error }, 'unexpected error')
    return reply.status(500).send({
      error: {
        code: 'internal',
        message: say(locale, '服务器内部错误，详情见服务器日志', 'an unexpected error occurred; the server log has the details'),
        details: {}, issues: [],
      },
    })
  })
  app.setNotFoundHandler((request, reply) => {
    const locale = localeOf(request)
    reply.status(404).send({
      error: {
        code: 'not_found',
        message: say(locale, `没有这个接口：${request.method} ${request.url}`, `no route ${request.method} ${request.url}`),
        details: {}, issues: [],
      },
    })
  })
}

/** What kind of value PostgreSQL could not take, by its SQLSTATE. */
function refusedValue(sqlState: string): [zh: string, en: string] {
  switch (sqlState) {
    case '22003':
      return ['数字超出可计算的范围', 'a number is out of the range that can be computed']
    case '22007':
    case '22008':
    case '22009':
      return ['日期或时间超出可计算的范围', 'a date or time is out of the range that can be computed']
    case '22001':
      return ['文本过长', 'a text is too long']
    case '22012':
      return ['计算中出现了除以零', 'a calculation divides by zero']
    case '22021':
    case '22P05':
      return ['文本中含有不能保存的字符（例如 NUL）', 'a text holds a character that cannot be stored (NUL, say)']
    case '22P02':
      return ['某个值的写法不对', 'a value is not written in a form that can be read']
    default:
      return sqlState.startsWith('54')
        ? ['请求过大或过于复杂', 'the request is too large or too complex']
        : ['某个值不符合要求', 'a value does not fit']
  }
}

function clientError(status: number, error: FastifyError, locale: Locale) {
  if (status === 413) {
    return {
      code: 'request.invalid',
      message: say(locale, '请求体超过 1 MiB 的上限', 'the request body is larger than the 1 MiB limit'),
      details: { limit: 1024 * 1024 }, issues: [],
    }
  }
  if (status === 404) return { code: 'not_found', message: error.message, details: {}, issues: [] }
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return {
      code: 'request.invalid',
      message: say(locale, '请求声明了 JSON 内容（content-type: application/json），但请求体是空的；不带请求体时请去掉这个请求头',
        'the request says it carries JSON (content-type: application/json) but its body is empty; leave the header out when there is no body'),
      details: {}, issues: [],
    }
  }
  const invalidJson = error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError
  const message = invalidJson
    ? say(locale, `请求体不是有效的 JSON：${error.message}`, `the request body is not valid JSON: ${error.message}`)
    : say(locale, `请求有误：${error.message}`, `bad request: ${error.message}`)
  return { code: 'request.invalid', message, details: {}, issues: [] }
}

function say(locale: Locale, zh: string, en: string): string {
  return locale === 'en' ? en : zh
}

