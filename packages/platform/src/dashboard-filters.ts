import { KEY_PATTERN, type FormResolver, isTesseraError } from '@tessera/core'
import { checkFieldPath, type ReportSpec } from '@tessera/reports'

import { FILTER_TYPES, type Problem, isRecord } from './dashboard.js'

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
  if (!Array.isArray(raw)) return problem('filters', 'must be a list')

  const keys = new Set<string>()
  const used = new Set<string>()
  for (const widget of widgets) {
    if (isRecord(widget) && typeof widget.report === 'string') used.add(widget.report)
  }

  for (const [index, filter] of raw.entries()) {
    const at = `filters[${index}]`
    if (!isRecord(filter)) {
      problem(at, 'must be an object { key, type, field }')
      continue
    }
    const key = String(filter.key)
    if (!KEY_PATTERN.test(key)) problem(`${at}.key`, `must match ${KEY_PATTERN}, got ${JSON.stringify(filter.key)}`)
    if (keys.has(key)) problem(`${at}.key`, `"${key}" is used twice`)
    keys.add(key)
    if (!FILTER_TYPES.some((type) => type === filter.type)) {
      problem(`${at}.type`, `must be one of ${FILTER_TYPES.join(', ')}, got ${JSON.stringify(filter.type)}`)
    }
    if (typeof filter.field !== 'string') problem(`${at}.field`, 'must be a field path such as "customer.region"')
    if (filter.match !== undefined && (filter.type !== 'text' || !['equals', 'contains'].includes(String(filter.match)))) {
      problem(`${at}.match`, `a text filter's match is "equals" or "contains", got ${JSON.stringify(filter.match)} on a ${String(filter.type)} filter`)
    }
    checkOptions(filter.options, at, problem)
    const fields = filter.fields
    if (fields !== undefined && !isRecord(fields)) problem(`${at}.fields`, 'must map report keys to paths or null')
    if (!forms || typeof filter.field !== 'string') continue

    for (const reportKey of used) {
      const override = isRecord(fields) ? fields[reportKey] : undefined
      const path = override === undefined ? filter.field : override
      if (path === null) continue
      const report = reports.get(reportKey)
      if (!report || typeof path !== 'string') continue
      await checkPath(report, path, filter.type, `${at}.fields.${reportKey}`, forms, problem)
    }
  }
}

function checkOptions(options: unknown, at: string, problem: Problem): void {
  if (options === undefined) return
  if (Array.isArray(options)) {
    if (!options.every((option) => typeof option === 'string')) {
      problem(`${at}.options`, 'a list of options holds texts')
    }
    return
  }
  if (!isRecord(options) || typeof options.form !== 'string' || typeof options.field !== 'string') {
    problem(`${at}.options`, 'must be a list of texts or { form, field }')
  }
}

async function checkPath(
  report: ReportSpec,
  path: string,
  type: unknown,
  at: string,
  forms: FormResolver,
  problem: Problem,
): Promise<void> {
  try {
    const valueType = await checkFieldPath(report.source, path, forms)
    const dated = valueType === 'date' || valueType === 'datetime'
    if (type === 'date-range' && !dated) {
      problem(at, `a date-range filter needs a date field; "${path}" of report "${report.key}" is ${valueType}`)
    }
  } catch (error) {
    if (!isTesseraError(error)) throw error
    const hint = 'name another path for this report in "fields", or null to leave it unfiltered'
    problem(at, `report "${report.key}": ${error.message}; ${hint}`)
  }
}
