import {
  FIRST_DATE,
  LAST_DATE,
  type Locale,
  TesseraError,
  isDecimalString,
  isIsoDate,
  isUnstorableText,
  localize,
  todayIn,
} from '@tessera/core'

import { type IssueList, at, show } from './issue-list.js'
import { PERIOD_DEFAULTS, isPeriodDefault, parsePeriod, periodOf } from './period.js'
import { extraKeys, isKey, isLocalizedText, isName, isRecord } from './shape.js'
import type { ReportParamSpec, ReportParamType } from './spec.js'

const PARAM_TYPES: readonly ReportParamType[] = ['date', 'number', 'text', 'period']
const PARAM_PROPERTIES = ['key', 'type', 'label', 'required', 'default', 'suggest']
/** Names a report's or widget's query string gives other meanings than params (see the server's report-query.ts). */
const QUERY_NAMES = ['filters', 'path', 'level', 'group', 'limit', 'measure', 'form', 'locale']
const MAX_TEXT_LENGTH = 1000

/**
 * Dates a report takes, and how long a period may be: a period's previous
 * period (for comparisons) and every date computed from either stay
 * within what dates can hold.
 */
const FIRST_DAY = FIRST_DATE
const LAST_DAY = LAST_DATE
const MAX_PERIOD_YEARS = 100

const EXPECTED: Record<ReportParamType, string> = {
  date: `a date "YYYY-MM-DD" from ${FIRST_DAY} to ${LAST_DAY}`,
  number: 'a finite number or a decimal string',
  text: `a text of at most ${MAX_TEXT_LENGTH} characters, without NUL or half of a surrogate pair`,
  period: `a period { from, to } or "YYYY-MM-DD..YYYY-MM-DD" within ${FIRST_DAY}..${LAST_DAY}, at most ${MAX_PERIOD_YEARS} years long`,
}

const EXPECTED_ZH: Record<ReportParamType, string> = {
  date: `${FIRST_DAY} 至 ${LAST_DAY} 之间的日期（YYYY-MM-DD）`,
  number: '有限的数字或十进制数字字符串',
  text: `不超过 ${MAX_TEXT_LENGTH} 个字符且不含 NUL 或不成对代理项的文本`,
  period: `${FIRST_DAY} 至 ${LAST_DAY} 之间、不超过 ${MAX_PERIOD_YEARS} 年的期间 { from, to } 或 "YYYY-MM-DD..YYYY-MM-DD"`,
}

/** Checks the `params` list of a spec; returns the well-formed entries. */
export function checkParamSpecs(raw: unknown, issues: IssueList): ReportParamSpec[] {
  if (raw === undefined) return []
  if (!Array.isArray(raw)) {
    issues.add('params', 'type', {
      zh: 'params 必须是数组',
      en: 'params must be an array',
    }, { received: raw })
    return []
  }

  const specs: ReportParamSpec[] = []
  const seen = new Set<string>()
  raw.forEach((item: unknown, index) => {
    const path = at('params', index)
    const key = isRecord(item) ? item.key : undefined
    if (typeof key === 'string' && seen.has(key)) {
      issues.add(at(path, 'key'), 'duplicate', {
        zh: `参数 ${key} 重复定义`,
        en: `param "${key}" is declared twice`,
      })
      return
    }
    if (typeof key === 'string') seen.add(key)

    const spec = checkParamSpec(item, path, issues)
    if (spec) specs.push(spec)
  })
  return specs
}

function checkParamSpec(item: unknown, path: string, issues: IssueList): ReportParamSpec | null {
  if (!isRecord(item)) {
    issues.add(path, 'type', { zh: '参数定义必须是对象', en: 'a param must be an object' })
    return null
  }

  const before = issues.size
  for (const name of extraKeys(item, PARAM_PROPERTIES)) {
    issues.add(at(path, name), 'unknown_property', {
      zh: `参数定义不支持属性 ${name}`,
      en: `a param has no property "${name}"`,
    }, { expected: PARAM_PROPERTIES })
  }
  if (!isName(item.key)) {
    issues.add(at(path, 'key'), 'key', {
      zh: `参数键须由字母开头，只含字母、数字和下划线，收到 ${show(item.key)}`,
      en: `a param key must start with a letter and hold only letters, digits and _, got ${show(item.key)}`,
    }, { received: item.key })
  } else if (QUERY_NAMES.includes(item.key)) {
    issues.add(at(path, 'key'), 'reserved', {
      zh: `参数键不能是 ${item.key}：它在报表的查询串中另有含义（${QUERY_NAMES.join('、')}）`,
      en: `a param key cannot be "${item.key}": the query string of a report's run or drill uses it for something else (${QUERY_NAMES.join(', ')})`,
    }, { expected: 'another key', received: item.key })
  }
  const type = PARAM_TYPES.find((candidate) => candidate === item.type)
  if (!type) {
    issues.add(at(path, 'type'), 'enum', {
      zh: `参数类型须为 date、number、text 或 period，收到 ${show(item.type)}`,
      en: `a param type must be date, number, text or period, got ${show(item.type)}`,
    }, { expected: PARAM_TYPES, received: item.type })
  }
  if (item.label !== undefined && !isLocalizedText(item.label)) {
    issues.add(at(path, 'label'), 'type', {
      zh: '标签须为文本或 { "zh-CN", "en" }',
      en: 'a label must be a text or { "zh-CN", "en" }',
    })
  }
  if (item.required !== undefined && typeof item.required !== 'boolean') {
    issues.add(at(path, 'required'), 'type', {
      zh: 'required 须为布尔值',
      en: 'required must be a boolean',
    })
  }
  const suggest = item.suggest
  if (suggest !== undefined && (type !== 'text' || !isRecord(suggest) || !isKey(suggest.form) || !isKey(suggest.field) ||
    extraKeys(suggest, ['form', 'field']).length > 0)) {
    issues.add(at(path, 'suggest'), 'type', {
      zh: 'suggest 只用于 text 参数，须为 { form, field }：表单键和字段键',
      en: 'suggest belongs to text params and is { form, field }: a form key and a field key',
    }, { received: suggest })
  }
  if (type && item.default !== undefined && !validDefault(type, item.default)) {
    issues.add(at(path, 'default'), 'type', {
      zh: `默认值须为${DEFAULT_NAMES_ZH[type]}${EXPECTED_ZH[type]}`,
      en: `the default must be ${DEFAULT_NAMES[type]}${EXPECTED[type]}`,
    }, { received: item.default })
  }
  return issues.size === before ? (item as unknown as ReportParamSpec) : null
}

const PERIOD_NAMES = PERIOD_DEFAULTS.join(', ')
const DEFAULT_NAMES: Record<ReportParamType, string> = {
  date: '"today" or ',
  number: '',
  text: '',
  period: `one of ${PERIOD_NAMES} or `,
}
const DEFAULT_NAMES_ZH: Record<ReportParamType, string> = {
  date: ' "today" 或',
  number: '',
  text: '',
  period: ` ${PERIOD_NAMES} 之一或`,
}

function validDefault(type: ReportParamType, value: unknown): boolean {
  if (type === 'date' && value === 'today') return true
  if (type === 'period' && isPeriodDefault(value)) return true
  return parseValue(type, value) !== undefined
}

/** A request value read as `type`; undefined when it does not fit. */
function parseValue(type: ReportParamType, value: unknown): unknown {
  switch (type) {
    case 'date':
      return isIsoDate(value) && inRange(value) ? value : undefined
    case 'number':
      if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
      return isDecimalString(value) ? value : undefined
    case 'text':
      return typeof value === 'string' && value.length <= MAX_TEXT_LENGTH && !isUnstorableText(value)
        ? value
        : undefined
    case 'period': {
      const period = parsePeriod(value)
      if (!period || !inRange(period.from) || !inRange(period.to)) return undefined
      // At most 100 years: ending before the same day 100 years on (1926-12-07..2026-12-06 is 100 years);
      // from 9900 on, that day lies past the last one there is.
      const year = Number(period.from.slice(0, 4)) + MAX_PERIOD_YEARS
      return year > 9999 || period.to < `${year}${period.from.slice(4)}` ? period : undefined
    }
  }
}

function inRange(day: string): boolean {
  return day >= FIRST_DAY && day <= LAST_DAY
}

function isAbsent(type: ReportParamType, value: unknown): boolean {
  if (value === undefined || value === null) return true
  return value === '' && type !== 'text'
}

export interface ParamOptions {
  timeZone: string
  locale: Locale
  /** The moment "today" is taken from; now when absent. */
  now?: Date
}

/**
 * Validates request values against the declared params and applies
 * defaults. Numbers stay as given (a decimal string stays exact). A missing
 * optional param resolves to null. Throws `report.param_invalid`.
 *
 * @example
 * resolveParams(specs, { asOf: '2026-03-31' }, { timeZone: 'Asia/Shanghai', locale: 'en' })
 * // → { asOf: '2026-03-31', customer: null }
 */
export function resolveParams(
  specs: readonly ReportParamSpec[],
  values: unknown,
  options: ParamOptions,
): Record<string, unknown> {
  const problems: ParamProblem[] = []
  const given = isRecord(values) ? values : {}
  if (!isRecord(values) && values !== undefined && values !== null) {
    problems.push({
      param: '',
      rule: 'type',
      zh: '参数须为对象',
      en: 'params must be an object',
      expected: 'object',
      received: values,
    })
  }

  for (const name of Object.keys(given)) {
    if (specs.some((spec) => spec.key === name)) continue
    problems.push({
      param: name,
      rule: 'unknown',
      zh: `报表没有参数 ${name}`,
      en: `the report has no param "${name}"`,
      expected: specs.map((spec) => spec.key).join(', '),
      received: given[name],
    })
  }

  const resolved: Record<string, unknown> = {}
  for (const spec of specs) {
    const raw = Object.hasOwn(given, spec.key) ? given[spec.key] : undefined
    const value = resolveOne(spec, raw, options)
    if (value.ok) {
      resolved[spec.key] = value.value
      continue
    }
    problems.push({ param: spec.key, ...value.problem, received: raw })
  }

  if (problems.length > 0) throw paramError(problems, options.locale)
  return resolved
}

interface ParamProblem {
  param: string
  rule: 'type' | 'unknown' | 'required'
  zh: string
  en: string
  expected: string
  received: unknown
}

type Resolution =
  | { ok: true; value: unknown }
  | { ok: false; problem: Omit<ParamProblem, 'param' | 'received'> }

function resolveOne(spec: ReportParamSpec, raw: unknown, options: ParamOptions): Resolution {
  // An empty text is a value of an optional text param, but does not fill in a required one.
  const blank = spec.required === true && spec.type === 'text' && typeof raw === 'string' && raw.trim() === ''
  if (blank || isAbsent(spec.type, raw)) {
    if (spec.default === 'today' && spec.type === 'date') {
      return { ok: true, value: todayIn(options.timeZone, options.now) }
    }
    if (spec.type === 'period' && isPeriodDefault(spec.default)) {
      return { ok: true, value: periodOf(spec.default, options.timeZone, options.now) }
    }
    if (spec.type === 'period' && spec.default !== undefined) {
      return { ok: true, value: parsePeriod(spec.default) }
    }
    if (spec.default !== undefined) return { ok: true, value: spec.default }
    if (!spec.required) return { ok: true, value: null }
    return {
      ok: false,
      problem: {
        rule: 'required',
        // Named as the page shows it: 请填写「客户」, not the key behind it.
        zh: `请填写「${spec.label === undefined ? spec.key : localize(spec.label, 'zh-CN')}」（必填参数 ${spec.key}，应为${EXPECTED_ZH[spec.type]}）`,
        en: `fill in "${spec.label === undefined ? spec.key : localize(spec.label, 'en')}" (param "${spec.key}" is required: expected ${EXPECTED[spec.type]}, received nothing)`,
        expected: EXPECTED[spec.type],
      },
    }
  }

  const value = parseValue(spec.type, raw)
  if (value !== undefined) return { ok: true, value }
  return {
    ok: false,
    problem: {
      rule: 'type',
      zh: `参数 ${spec.key} 应为${EXPECTED_ZH[spec.type]}，收到 ${show(raw)}`,
      en: `param "${spec.key}" expects ${EXPECTED[spec.type]}, received ${show(raw)}`,
      expected: EXPECTED[spec.type],
    },
  }
}

function paramError(problems: ParamProblem[], locale: Locale): TesseraError {
  const issues = problems.map((problem) => ({
    field: problem.param,
    rule: problem.rule,
    message: locale === 'en' ? problem.en : problem.zh,
    expected: problem.expected,
    received: problem.received,
  }))
  const first = problems[0]
  const more = problems.length > 1 ? ` (+${problems.length - 1} more)` : ''
  return new TesseraError('report.param_invalid', `${issues[0].message}${more}`, {
    details: { param: first.param, expected: first.expected, received: first.received },
    issues,
  })
}
