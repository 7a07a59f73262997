import { KEY_PATTERN, type FormResolver, isTesseraError } from '@tessera/core'
import { fieldPathInfo, type ReportSpec } from '@tessera/reports'

import { FILTER_TYPES, type Problem, isRecord } from './dashboard.js'

const FILTER_PROPERTIES = ['key', 'label', 'type', 'field', 'fields', 'options', 'match']

/**
 * Checks global filters: their shape, and (given the forms) that the path
 * each one uses for each widget's report is a field path of that report's
 * source form, of a type the filter can hold.
 */
export async function checkFilters(
  raw: unknown,
  widgets: unknown[],
  reports: ReadonlyMap<string, ReportSpec>,
  forms: FormResolver | undefined,
  problem: Problem,
): Promise<void> {
  if (raw === undefined) return
  if (!Array.isArray(raw)) return problem('filters', 'must be a list', '须为列表')

  const keys = new Set<string>()
  const used = new Set<string>()
  for (const widget of widgets) {
    if (isRecord(widget) && typeof widget.report === 'string') used.add(widget.report)
  }

  for (const [index, filter] of raw.entries()) {
    const at = `filters[${index}]`
    if (!isRecord(filter)) {
      problem(at, 'must be an object { key, type, field }', '须为对象 { key, type, field }')
      continue
    }
    for (const name of Object.keys(filter)) {
      if (!FILTER_PROPERTIES.includes(name)) {
        problem(`${at}.${name}`, `a filter has no property "${name}"`, `筛选没有属性「${name}」`)
      }
    }
    const key = String(filter.key)
    if (typeof filter.key !== 'string' || !KEY_PATTERN.test(key)) {
      const got = JSON.stringify(filter.key)
      problem(`${at}.key`, `must match ${KEY_PATTERN}, got ${got}`, `须为小写字母开头的字母、数字或下划线（${KEY_PATTERN}），收到 ${got}`)
    }
    if (keys.has(key)) problem(`${at}.key`, `"${key}" is used twice`, `「${key}」用了两次`)
    keys.add(key)
    if (!FILTER_TYPES.some((type) => type === filter.type)) {
      const got = JSON.stringify(filter.type)
      problem(`${at}.type`, `must be one of ${FILTER_TYPES.join(', ')}, got ${got}`, `须为 ${FILTER_TYPES.join('、')} 之一，收到 ${got}`)
    }
    if (typeof filter.field !== 'string') {
      problem(`${at}.field`, 'must be a field path such as "customer.region"', '须为字段路径，例如 "customer.region"')
    }
    if (filter.match !== undefined && (filter.type !== 'text' || !['equals', 'contains'].includes(String(filter.match)))) {
      const got = JSON.stringify(filter.match)
      problem(`${at}.match`, `a text filter's match is "equals" or "contains", got ${got} on a ${String(filter.type)} filter`,
        `只有文本筛选有 match，取 "equals" 或 "contains"；收到 ${got}（${String(filter.type)} 筛选）`)
    }
    await checkOptions(filter.options, at, forms, problem)
    const fields = filter.fields
    if (fields !== undefined && !isRecord(fields)) {
      problem(`${at}.fields`, 'must map report keys to paths or null', '须为报表 key 到字段路径（或 null）的对象')
    }
    for (const reportKey of isRecord(fields) ? Object.keys(fields) : []) {
      if (used.has(reportKey)) continue
      problem(`${at}.fields.${reportKey}`, `no widget of the dashboard shows report "${reportKey}"`,
        `看板中没有组件显示报表「${reportKey}」`)
    }
    if (!forms || typeof filter.field !== 'string') continue

    for (const reportKey of used) {
      const override = isRecord(fields) ? fields[reportKey] : undefined
      const path = override === undefined ? filter.field : override
      if (path === null) continue
      const report = reports.get(reportKey)
      if (!report || typeof path !== 'string') continue
      await checkPath(report, path, filter, `${at}.fields.${reportKey}`, forms, problem)
    }
  }
}

/** A list of texts, or { form, field } naming a stored field of a published form. */
async function checkOptions(options: unknown, at: string, forms: FormResolver | undefined, problem: Problem): Promise<void> {
  if (options === undefined) return
  if (Array.isArray(options)) {
    if (!options.every((option) => typeof option === 'string')) {
      problem(`${at}.options`, 'a list of options holds texts', '选项列表须全为文本')
    }
    return
  }
  if (!isRecord(options) || typeof options.form !== 'string' || typeof options.field !== 'string') {
    problem(`${at}.options`, 'must be a list of texts or { form, field }', '须为文本列表或 { form, field }')
    return
  }
  if (!forms) return
  const form = await forms.getForm(options.form).catch((error: unknown) => {
    if (isTesseraError(error)) return undefined
    throw error
  })
  if (!form) {
    problem(`${at}.options.form`, `form "${options.form}" is not published`, `表单「${options.form}」未发布`)
    return
  }
  const field = form.definition.fields.find((candidate) => candidate.key === options.field)
  if (!field || field.column === undefined) {
    problem(`${at}.options.field`, `form "${options.form}" has no stored field "${options.field}"`,
      `表单「${options.form}」没有存储字段「${options.field}」`)
  }
}

async function checkPath(
  report: ReportSpec,
  path: string,
  filter: Record<string, unknown>,
  at: string,
  forms: FormResolver,
  problem: Problem,
): Promise<void> {
  try {
    const { type: valueType, choices: options } = await fieldPathInfo(report, path, forms)
    const choices = options?.map((option) => option.value)
    const dated = valueType === 'date' || valueType === 'datetime'
    if (filter.type === 'date-range' && !dated) {
      problem(at, `a date-range filter needs a date field; "${path}" of report "${report.key}" is ${valueType}`,
        `日期范围筛选需要日期字段；报表「${report.key}」的「${path}」是 ${valueType}`)
    }
    // A select field holds its options' codes: listed options must be codes, or choosing one would be refused.
    const listed = Array.isArray(filter.options) ? filter.options.filter((one): one is string => typeof one === 'string') : []
    const stray = choices ? listed.filter((option) => !choices.includes(option)) : []
    if (stray.length > 0) {
      problem(`${at.replace(/\.fields\.[^.]+$/, '')}.options`,
        `"${path}" of report "${report.key}" is a choice of ${choices!.join(', ')}; ${stray.map((one) => `"${one}"`).join(', ')} is none of them`,
        `报表「${report.key}」的「${path}」只取 ${choices!.join('、')}；${stray.map((one) => `「${one}」`).join('、')}不是其中之一`)
    }
  } catch (error) {
    if (!isTesseraError(error)) throw error
    const hint = 'name another path for this report in "fields", or null to leave it unfiltered'
    problem(at, `report "${report.key}": ${error.message}; ${hint}`,
      `报表「${report.key}」的源表单没有字段路径「${path}」；请在 fields 中为该报表指定另一个路径，或设为 null 不筛选它`)
  }
}
