import { Dec, isDecimalString, type Locale } from '@tessera/core'

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
  /** What went wrong, as the engine said it (English). */
  detail?: string
}

type Template = (params: MessageParams) => string

const zhList = (items: string[] = []) => items.map((item) => `「${item}」`).join('、')
const enList = (items: string[] = []) => items.map((item) => `"${item}"`).join(', ')

/** "0.125" → "12.5%": a fraction shown as the percentage it stands for. */
function percentOf(fraction: string | undefined): string {
  if (fraction === undefined || !isDecimalString(fraction)) return ''
  return `${new Dec(fraction).times(100).toFixed()}%`
}

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
    // The field's label names what it links to; the form key would not mean anything to a user.
    'zh-CN': (p) => `「${p.label}」必须是所关联记录的编号（正整数）`,
    en: (p) => `"${p.label}" must be the id of the linked record (a whole number from 1)`,
  },
  'type.member': {
    'zh-CN': (p) => `「${p.label}」必须是一位用户的编号（正整数）`,
    en: (p) => `"${p.label}" must be the id of a user (a whole number from 1)`,
  },
  'type.member.multiple': {
    'zh-CN': (p) => `「${p.label}」必须是用户编号（正整数）的列表，且不能重复`,
    en: (p) => `"${p.label}" must be a list of distinct user ids (whole numbers from 1)`,
  },
  'type.department': {
    'zh-CN': (p) => `「${p.label}」必须是一个部门的编号（正整数）`,
    en: (p) => `"${p.label}" must be the id of a department (a whole number from 1)`,
  },
  'type.department.multiple': {
    'zh-CN': (p) => `「${p.label}」必须是部门编号（正整数）的列表，且不能重复`,
    en: (p) => `"${p.label}" must be a list of distinct department ids (whole numbers from 1)`,
  },
  'type.attachment': {
    'zh-CN': (p) => `「${p.label}」必须是已上传文件的列表，每项形如 {"id": 12}`,
    en: (p) => `"${p.label}" must be a list of uploaded files, each such as {"id": 12}`,
  },
  max_files: {
    'zh-CN': (p) => `「${p.label}」最多 ${p.limit} 个文件`,
    en: (p) => `"${p.label}" may hold at most ${p.limit} file(s)`,
  },
  'member.unknown': {
    'zh-CN': (p) => `「${p.label}」中的用户 #${p.detail} 不存在或已停用`,
    en: (p) => `"${p.label}": user #${p.detail} does not exist or is disabled`,
  },
  'department.unknown': {
    'zh-CN': (p) => `「${p.label}」中的部门 #${p.detail} 不存在`,
    en: (p) => `"${p.label}": department #${p.detail} does not exist`,
  },
  'attachment.unknown': {
    'zh-CN': (p) => `「${p.label}」中的文件 #${p.detail} 不存在，或不是您上传的`,
    en: (p) => `"${p.label}": file #${p.detail} does not exist or was not uploaded by you`,
  },
  'attachment.rejected': {
    'zh-CN': (p) => `「${p.label}」中的文件 #${p.detail} 不符合该字段的类型或大小限制`,
    en: (p) => `"${p.label}": file #${p.detail} does not fit the field's type or size limit`,
  },
  'type.percent': {
    'zh-CN': (p) => `「${p.label}」必须是文本形式的小数比例，例如 "${p.example}"（表示 ${percentOf(p.example)}）`,
    en: (p) =>
      `"${p.label}" must be a fraction written as decimal text, such as "${p.example}" ` +
      `(for ${percentOf(p.example)})`,
  },
  'type.boolean': {
    'zh-CN': (p) => `「${p.label}」必须是 true（是）或 false（否）`,
    en: (p) => `"${p.label}" must be true (yes) or false (no)`,
  },
  'type.multiselect': {
    'zh-CN': (p) => `「${p.label}」必须是选项值的列表，可选：${zhList(p.options)}`,
    en: (p) => `"${p.label}" must be a list of option values from ${enList(p.options)}`,
  },
  'type.datetime': {
    'zh-CN': (p) => `「${p.label}」必须是带时区的日期时间文本，例如 "2025-03-14T09:30:00+08:00"`,
    en: (p) =>
      `"${p.label}" must be a date and time with an offset, such as "2025-03-14T09:30:00+08:00"`,
  },
  'type.lines': {
    'zh-CN': (p) => `「${p.label}」必须是明细行的列表，每行是一个以字段名为键的对象`,
    en: (p) => `"${p.label}" must be a list of rows, each an object keyed by field`,
  },
  max_rows: {
    'zh-CN': (p) => `「${p.label}」最多 ${p.limit} 行`,
    en: (p) => `"${p.label}" may have at most ${p.limit} rows`,
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
    'zh-CN': (p) => `「${p.label}」的格式不正确，应为：${p.example}`,
    en: (p) => `"${p.label}" is not in the required format: ${p.example}`,
  },
  'pattern.regex': {
    'zh-CN': (p) => `「${p.label}」的格式不正确，应符合正则表达式 ${p.example}`,
    en: (p) => `"${p.label}" is not in the required format (the regular expression ${p.example})`,
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
  significant_digits: {
    'zh-CN': (p) => `「${p.label}」最多 ${p.limit} 位有效数字，更长的数字无法原样保存`,
    en: (p) => `"${p.label}" keeps at most ${p.limit} significant digits; a longer number cannot be stored as given`,
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
    // What reaches the engine has had separators and currency marks taken out
    // by the web form; a reader of this message typed something that is no amount.
    'zh-CN': (p) => `「${p.label}」应为金额数字，例如 "${p.example}"`,
    en: (p) =>
      `"${p.label}" must be a plain decimal such as "${p.example}" ` +
      '(no commas, spaces or exponent)',
  },
  'format.date': {
    'zh-CN': (p) => `「${p.label}」不是有效的日期，应为 YYYY-MM-DD`,
    en: (p) => `"${p.label}" is not a valid date; expected YYYY-MM-DD`,
  },
  'format.percent': {
    'zh-CN': (p) => `「${p.label}」必须是普通的小数比例，例如 "${p.example}"（表示 ${percentOf(p.example)}）`,
    en: (p) =>
      `"${p.label}" must be a plain decimal fraction such as "${p.example}" ` +
      `(for ${percentOf(p.example)})`,
  },
  'scale.percent': {
    'zh-CN': (p) => `「${p.label}」的百分数最多保留 ${p.limit} 位小数`,
    en: (p) => `"${p.label}" as a percentage may have at most ${p.limit} digits after the point`,
  },
  'min.percent': {
    'zh-CN': (p) => `「${p.label}」必须大于或等于 ${p.limit}`,
    en: (p) => `"${p.label}" must be at least ${p.limit}`,
  },
  'max.percent': {
    'zh-CN': (p) => `「${p.label}」必须小于或等于 ${p.limit}`,
    en: (p) => `"${p.label}" must be at most ${p.limit}`,
  },
  unique_items: {
    'zh-CN': (p) => `「${p.label}」中有重复的选项`,
    en: (p) => `"${p.label}" lists an option twice`,
  },
  'kind.phone.format': {
    'zh-CN': (p) =>
      `「${p.label}」不是有效的电话号码：请填写手机号（如 13800138000）、` +
      '带区号的座机（如 010-65529988）或以 + 开头的国际号码',
    en: (p) =>
      `"${p.label}" is not a phone number: expected a mobile number (13800138000), ` +
      'a landline with its area code (010-65529988) or an international number starting with +',
  },
  'kind.email.format': {
    'zh-CN': (p) => `「${p.label}」不是有效的邮箱地址，例如 name@example.com`,
    en: (p) => `"${p.label}" is not an e-mail address such as name@example.com`,
  },
  'kind.email.length': {
    'zh-CN': (p) => `「${p.label}」最多 ${p.limit} 个字符`,
    en: (p) => `"${p.label}" must be at most ${p.limit} characters long`,
  },
  'kind.bank_account.format': {
    'zh-CN': (p) => `「${p.label}」只能包含数字（可用空格分组）`,
    en: (p) => `"${p.label}" may only hold digits (spaces between groups are fine)`,
  },
  'kind.bank_account.length': {
    'zh-CN': (p) => `「${p.label}」应为 ${p.limit} 位数字`,
    en: (p) => `"${p.label}" must have ${p.limit} digits`,
  },
  'kind.region.format': {
    'zh-CN': (p) => `「${p.label}」应写作「省/市/区」，每一级不能为空且不超过 20 个字`,
    en: (p) =>
      `"${p.label}" must read "province/city/district", each part non-empty ` +
      'and at most 20 characters',
  },
  'kind.region.province': {
    'zh-CN': (p) => `「${p.label}」的第一级必须是省级行政区，例如「广东省」`,
    en: (p) => `"${p.label}" must start with a province-level division such as "广东省"`,
  },
  'kind.region.depth': {
    'zh-CN': (p) => `「${p.label}」最多填写 ${p.limit} 级`,
    en: (p) => `"${p.label}" may have at most ${p.limit} levels`,
  },
  'kind.uscc.length': {
    'zh-CN': (p) => `「${p.label}」应为 18 位统一社会信用代码`,
    en: (p) => `"${p.label}" must be an 18-character unified social credit code`,
  },
  'kind.uscc.charset': {
    'zh-CN': (p) => `「${p.label}」只能包含数字和除 I、O、Z、S、V 以外的大写字母`,
    en: (p) => `"${p.label}" may only hold digits and capital letters other than I, O, Z, S and V`,
  },
  'kind.uscc.check': {
    'zh-CN': (p) => `「${p.label}」的校验码不正确，请核对统一社会信用代码`,
    en: (p) => `"${p.label}" has a wrong check character; please check the code`,
  },
  'kind.datetime.format': {
    'zh-CN': (p) => `「${p.label}」不是 1900 年以来的有效日期时间，例如 "2025-03-14T09:30:00+08:00"`,
    en: (p) => `"${p.label}" is not a valid date and time from 1900 on, such as "2025-03-14T09:30:00+08:00"`,
  },
  'kind.datetime.offset': {
    'zh-CN': (p) => `「${p.label}」缺少时区，例如 "2025-03-14T09:30:00+08:00"`,
    en: (p) => `"${p.label}" lacks a time zone offset, as in "2025-03-14T09:30:00+08:00"`,
  },
  enum: {
    'zh-CN': (p) => `「${p.label}」必须是以下选项之一：${zhList(p.options)}`,
    en: (p) => `"${p.label}" must be one of ${enList(p.options)}`,
  },
  formula: {
    'zh-CN': (p) => `「${p.label}」无法计算：${p.detail}`,
    en: (p) => `"${p.label}" cannot be computed: ${p.detail}`,
  },
  formula_range: {
    'zh-CN': (p) => `「${p.label}」的计算结果超出可存储的范围（整数部分最多 ${p.limit} 位）`,
    en: (p) => `"${p.label}" computes to more than can be stored (at most ${p.limit} digits before the point)`,
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
