import type { Locale } from '@tessera/core'

/**
 * The texts of validation issues, one entry per message and locale.
 * Parameters are already localized: `label` is the field's label in the
 * requested locale, `limit` a bound as the user would type it.
 *
 * @example
 * formatMessage('min', 'zh-CN', { label: '金额', limit: '0' }) // 「金额」必须大于或等于 0
 * formatMessage('min', 'en', { label: 'Amount', limit: '0' })  // "Amount" must be at least 0
 */
export interface MessageParams {
  label: string
  limit?: string | number
  example?: string
  options?: string[]
  form?: string
}

type Template = (params: MessageParams) => string

const zhList = (items: string[] = []) => items.map((item) => `「${item}」`).join('、')
const enList = (items: string[] = []) => items.map((item) => `"${item}"`).join(', ')

const CATALOGUE = {
  required: {
    'zh-CN': (p) => `「${p.label}」不能为空`,
    en: (p) => `"${p.label}" is required`,
  },
  'type.text': {
    'zh-CN': (p) => `「${p.label}」必须是文本`,
    en: (p) => `"${p.label}" must be text`,
  },
  'type.number': {
    'zh-CN': (p) => `「${p.label}」必须是数字`,
    en: (p) => `"${p.label}" must be a number`,
  },
  'type.integer': {
    'zh-CN': (p) => `「${p.label}」必须是整数`,
    en: (p) => `"${p.label}" must be a whole number`,
  },
  'type.money': {
    'zh-CN': (p) => `「${p.label}」必须是文本形式的金额，例如 "${p.example}"`,
    en: (p) => `"${p.label}" must be a decimal string such as "${p.example}"`,
  },
  'type.date': {
    'zh-CN': (p) => `「${p.label}」必须是 YYYY-MM-DD 格式的日期文本`,
    en: (p) => `"${p.label}" must be a date written as YYYY-MM-DD`,
  },
  'type.select': {
    'zh-CN': (p) => `「${p.label}」必须是以下选项之一：${zhList(p.options)}`,
    en: (p) => `"${p.label}" must be one of ${enList(p.options)}`,
  },
  'type.link': {
    'zh-CN': (p) => `「${p.label}」必须是「${p.form}」中一条记录的编号（正整数）`,
    en: (p) => `"${p.label}" must be the id of a "${p.form}" record (a whole number from 1)`,
  },
  'type.values': {
    'zh-CN': () => '记录的值必须是一个以字段名为键的对象',
    en: () => 'Record values must be an object keyed by field',
  },
  minLength: {
    'zh-CN': (p) => `「${p.label}」至少需要 ${p.limit} 个字符`,
    en: (p) => `"${p.label}" must be at least ${p.limit} characters long`,
  },
  maxLength: {
    'zh-CN': (p) => `「${p.label}」最多 ${p.limit} 个字符`,
    en: (p) => `"${p.label}" must be at most ${p.limit} characters long`,
  },
  pattern: {
    'zh-CN': (p) => `「${p.label}」的格式不正确`,
    en: (p) => `"${p.label}" is not in the required format`,
  },
  min: {
    'zh-CN': (p) => `「${p.label}」必须大于或等于 ${p.limit}`,
    en: (p) => `"${p.label}" must be at least ${p.limit}`,
  },
  max: {
    'zh-CN': (p) => `「${p.label}」必须小于或等于 ${p.limit}`,
    en: (p) => `"${p.label}" must be at most ${p.limit}`,
  },
  'min.date': {
    'zh-CN': (p) => `「${p.label}」不能早于 ${p.limit}`,
    en: (p) => `"${p.label}" must be on or after ${p.limit}`,
  },
  'max.date': {
    'zh-CN': (p) => `「${p.label}」不能晚于 ${p.limit}`,
    en: (p) => `"${p.label}" must be on or before ${p.limit}`,
  },
  scale: {
    'zh-CN': (p) => `「${p.label}」最多保留 ${p.limit} 位小数`,
    en: (p) => `"${p.label}" may have at most ${p.limit} digits after the decimal point`,
  },
  digits: {
    'zh-CN': (p) => `「${p.label}」的整数部分最多 ${p.limit} 位`,
    en: (p) => `"${p.label}" may have at most ${p.limit} digits before the decimal point`,
  },
  'format.money': {
    'zh-CN': (p) => `「${p.label}」必须是普通的小数写法，例如 "${p.example}"（不含逗号、空格或指数）`,
    en: (p) =>
      `"${p.label}" must be a plain decimal such as "${p.example}" ` +
      '(no commas, spaces or exponent)',
  },
  'format.date': {
    'zh-CN': (p) => `「${p.label}」不是有效的日期，应为 YYYY-MM-DD`,
    en: (p) => `"${p.label}" is not a valid date; expected YYYY-MM-DD`,
  },
  enum: {
    'zh-CN': (p) => `「${p.label}」必须是以下选项之一：${zhList(p.options)}`,
    en: (p) => `"${p.label}" must be one of ${enList(p.options)}`,
  },
  unknown_field: {
    'zh-CN': (p) => `表单「${p.form}」没有字段「${p.label}」`,
    en: (p) => `Form "${p.form}" has no field "${p.label}"`,
  },
  invalid: {
    'zh-CN': (p) => `「${p.label}」的值无效`,
    en: (p) => `"${p.label}" has an invalid value`,
  },
} satisfies Record<string, Record<Locale, Template>>

export type MessageKey = keyof typeof CATALOGUE

export const MESSAGE_KEYS = Object.keys(CATALOGUE) as MessageKey[]

export function formatMessage(key: MessageKey, locale: Locale, params: MessageParams): string {
  const templates: Record<Locale, Template> = CATALOGUE[key]
  return templates[locale](params)
}
