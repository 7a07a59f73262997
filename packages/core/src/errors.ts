import type { Locale } from './localized.js'
/**
 * Every error the platform reports on purpose has a stable code, listed in
 * ERROR_CODES with the HTTP status it maps to. Messages name the culprit
 * (form, field, row, step) and what was expected and found.
 */
export const ERROR_CODES = {
  'validation.failed': 400,
  'request.invalid': 400,
  'metadata.invalid': 400,
  'report.invalid': 400,
  'report.param_invalid': 400,
  'import.invalid': 400,
  'import.rows_rejected': 422,
  'logic.error': 400,
  'file.rejected': 400,
  'file.too_large': 413,
  'file.folder_conflict': 500,
  'not_found': 404,
  'conflict.version': 409,
  'conflict.unique': 409,
  'conflict.reference': 409,
  'conflict.constraint': 409,
  'conflict.retry': 409,
  'conflict.closed_period': 409,
  'auth.required': 401,
  'auth.invalid': 401,
  'auth.csrf': 403,
  'auth.forbidden': 403,
  'auth.setup_closed': 409,
  'auth.locked': 423,
  'auth.rate_limited': 429,
  'settings.invalid': 500,
  'secret.key_missing': 503,
  'secret.undecryptable': 503,
  'db.transaction_aborted': 500,
  'db.wrong_handle': 500,
  'db.locked': 423,
  'internal': 500,
} as const

export type ErrorCode = keyof typeof ERROR_CODES

/**
 * One problem with one field (or a whole record when `field` is absent):
 * what the UI places next to the input and the importer reports per row.
 */
export interface FieldIssue {
  /** Field key; a dotted path for nested values. */
  field?: string
  /** A stable rule name: required, type, min, max, pattern, enum, unique… */
  rule: string
  /** Human message in the requested locale. */
  message: string
  /** What the rule expected, e.g. { min: "0" }. */
  expected?: unknown
  /** The value that came, when it is safe to echo. */
  received?: unknown
}

export class TesseraError extends Error {
  readonly code: ErrorCode
  readonly details: Record<string, unknown>
  readonly issues: FieldIssue[]
  /** The message in each language, where the thrower worded both. */
  readonly messages: Partial<Record<Locale, string>>

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      details?: Record<string, unknown>
      issues?: FieldIssue[]
      cause?: unknown
      messages?: Partial<Record<Locale, string>>
    } = {},
  ) {
    super(message, { cause: options.cause })
    this.name = 'TesseraError'
    this.code = code
    this.details = options.details ?? {}
    this.issues = options.issues ?? []
    this.messages = options.messages ?? {}
  }

  /**
   * The message for a reader of `locale`. Where the thrower worded only
   * the English detail, a Chinese reader gets what kind of problem it is
   * in Chinese first, then that detail: "没有权限：you may not …".
   */
  messageIn(locale: Locale): string {
    const worded = this.messages[locale]
    if (worded !== undefined) return worded
    // Some throwers word the default message in Chinese already.
    if (locale === 'zh-CN' && !HAN.test(this.message)) return `${KINDS_ZH[this.code]}：${this.message}`
    return this.message
  }

  get status(): number {
    return ERROR_CODES[this.code]
  }

  toJSON(locale?: Locale) {
    const worded = locale === undefined ? undefined : this.messages[locale]
    return {
      code: this.code,
      message: locale ? this.messageIn(locale) : this.message,
      details: this.details,
      // An issue that repeats the default message (one problem, told once
      // on the error and once on its field) is worded like the error.
      issues: shortened(worded === undefined
        ? this.issues
        : this.issues.map((issue) => (issue.message === this.message ? { ...issue, message: worded } : issue))),
    }
  }
}

/** The most characters of a refused text an answer echoes back. */
const ECHOED = 200

/** Issues whose refused text is long (a pasted megabyte) echo its start only. */
function shortened(issues: FieldIssue[]): FieldIssue[] {
  const long = (issue: FieldIssue) => typeof issue.received === 'string' && issue.received.length > ECHOED
  if (!issues.some(long)) return issues
  return issues.map((issue) => (long(issue) ? { ...issue, received: `${(issue.received as string).slice(0, ECHOED)}…` } : issue))
}

export function isTesseraError(error: unknown): error is TesseraError {
  return error instanceof TesseraError
}

const HAN = /[\u4e00-\u9fff]/

/** What kind of problem each code is, in Chinese (see messageIn). */
const KINDS_ZH: Record<ErrorCode, string> = {
  'validation.failed': '填写的内容有误',
  'request.invalid': '请求有误',
  'metadata.invalid': '定义有误',
  'report.invalid': '报表定义有误',
  'report.param_invalid': '报表参数有误',
  'import.invalid': '导入设置有误',
  'import.rows_rejected': '导入的数据有误',
  'logic.error': '规则或公式无法计算',
  'file.rejected': '文件不被接受',
  'file.too_large': '文件太大',
  'file.folder_conflict': '上传文件夹属于另一个数据库',
  'not_found': '找不到',
  'conflict.version': '记录已被别人修改，请刷新后再改',
  'conflict.unique': '值与已有记录重复',
  'conflict.reference': '仍有其他记录引用它',
  'conflict.constraint': '超出限额',
  'conflict.retry': '与他人同时保存发生冲突，请重试',
  'conflict.closed_period': '该记录在已结账期间内，不能新建、修改或删除',
  'auth.required': '请先登录',
  'auth.invalid': '登录信息不对',
  'auth.csrf': '请求缺少或带错了防伪令牌，请刷新页面',
  'auth.forbidden': '没有权限',
  'auth.setup_closed': '系统已完成初始设置',
  'auth.locked': '账户暂时锁定',
  'auth.rate_limited': '尝试太频繁，请稍后再试',
  'settings.invalid': '系统设置有误',
  'secret.key_missing': '缺少加密密钥',
  'secret.undecryptable': '无法解密已保存的密钥',
  'db.transaction_aborted': '数据库事务已中止',
  'db.wrong_handle': '数据库连接用错',
  'db.locked': '数据目录正被另一个进程使用',
  'internal': '服务器内部错误',
}

const NOUNS_ZH: Record<string, string> = {
  app: '应用', form: '表单', report: '报表', dashboard: '看板', import: '导入映射', record: '记录',
  widget: '组件', filter: '筛选条件', 'list view': '列表视图',
}

/**
 * `what` is a noun ("report"), or a noun of a named parent ("widget of
 * dashboard receivables"): 看板「receivables」的组件「by_region」不存在.
 */
export function notFound(what: string, key: string | number): TesseraError {
  const owned = /^(.+) of (\S+) (.+)$/.exec(what)
  const zh = owned && NOUNS_ZH[owned[1]] && NOUNS_ZH[owned[2]]
    ? `${NOUNS_ZH[owned[2]]}「${owned[3]}」的${NOUNS_ZH[owned[1]]}「${key}」不存在`
    : `${NOUNS_ZH[what] ?? NOUNS_ZH[what.split(' ')[0]] ?? what}「${key}」不存在`
  return new TesseraError('not_found', `${what} "${key}" does not exist`, {
    details: { what, key },
    messages: { 'zh-CN': zh, en: `${what} "${key}" does not exist` },
  })
}

/** For switch statements over unions: names the value nobody expected. */
export function assertNever(value: never, what: string): never {
  throw new TesseraError('internal', `unexpected ${what}: ${JSON.stringify(value)}`)
}
