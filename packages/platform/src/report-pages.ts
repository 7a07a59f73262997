import { TesseraError, notFound, type Actor, type Locale, type LocalizedText } from '@tessera/core'
import { type ReportDrillTo, type ReportParamSpec, type ReportSpec, resolveParams, runReport } from '@tessera/reports'

import type { Platform } from './platform.js'

/*
 * What a report's own page is given beyond its figures: its summary (the
 * source form its cells list, the report its rows open), suggestions for
 * its text params, and the checks that keep one report opening another
 * sound as either changes.
 */

/** What a report's own page needs before it runs the report. */
export interface ReportSummary {
  key: string
  /** The stored version: sent back with a change (PUT …/reports/:key) to refuse overwriting someone else's. */
  version: number
  label: LocalizedText
  description?: LocalizedText
  /** The form whose records are its rows; none for a union of forms. */
  source?: string
  params: ReportParamSpec[]
  /** The report a row opens instead of its records, when the reader may run it. */
  drillTo?: ReportDrillTo
}

/**
 * A report as its page shows it, for a reader allowed to run it. Its
 * `drillTo` is kept only when the report it names is there and the
 * reader may run that one too; otherwise a row opens its records.
 */
export async function reportSummary(
  platform: Platform,
  actor: Actor,
  appKey: string,
  reportKey: string,
  locale: Locale,
): Promise<ReportSummary> {
  await platform.assertReport(actor, appKey, reportKey, locale)
  const { spec, version } = await platform.catalog.getMetaVersioned<ReportSpec>(appKey, 'report', reportKey)
  const summary: ReportSummary = {
    key: spec.key,
    version,
    label: spec.label,
    ...(spec.description === undefined ? {} : { description: spec.description }),
    ...(spec.source === undefined ? {} : { source: spec.source }),
    params: spec.params ?? [],
  }
  const target = spec.drillTo
  if (!target) return summary
  const grants = await platform.grants(actor, appKey)
  const there = await platform.catalog.getMeta(appKey, 'report', target.report).then(() => true, () => false)
  return there && grants.canRunReport(target.report) ? { ...summary, drillTo: target } : summary
}

/**
 * A report's `drillTo` names a report of the app that takes every param
 * it gives, is given every param it requires without a default, and
 * takes each fixed text as a value; checked when the report is saved
 * (`reports`: the app's reports as they will be), and again for every
 * report opening one that is saved or deleted.
 */
export function checkDrillTarget(spec: ReportSpec, reports: ReadonlyMap<string, ReportSpec>, locale: Locale): void {
  const target = spec.drillTo
  if (!target) return
  const other = reports.get(target.report)
  const fail = (field: string, en: string, zh: string, expected?: unknown): never => {
    throw new TesseraError('report.invalid', `report "${spec.key}" is invalid at ${field}: ${en}`, {
      details: { report: spec.key },
      issues: [{ field, rule: 'unknown_key', message: locale === 'en' ? en : zh, ...(expected === undefined ? {} : { expected }) }],
      messages: { 'zh-CN': `报表「${spec.key}」有误（${field}）：${zh}`, en: `report "${spec.key}" is invalid at ${field}: ${en}` },
    })
  }
  if (!other) {
    return fail('drillTo.report', `the app has no report "${target.report}"`, `应用没有报表「${target.report}」`, [...reports.keys()])
  }
  const taken = other.params ?? []
  for (const [key, value] of Object.entries(target.params)) {
    const param = taken.find((one) => one.key === key)
    if (!param) {
      fail(`drillTo.params.${key}`, `report "${target.report}" takes no param "${key}"`,
        `报表「${target.report}」没有参数「${key}」`, taken.map((one) => one.key))
      continue
    }
    if (typeof value !== 'string') {
      // A param of this report goes to a param of the same type; a row's value to one value (not a period).
      const given = 'param' in value ? spec.params?.find((one) => one.key === value.param)?.type : undefined
      const fitsType = 'param' in value ? given === param.type : param.type !== 'period'
      if (!fitsType) {
        fail(`drillTo.params.${key}`,
          `report "${target.report}"'s param "${key}" is a ${param.type}, given ${'param' in value ? `a ${given ?? 'missing'} param` : 'a row\'s value'}`,
          `报表「${target.report}」的参数「${key}」是 ${param.type}，这里给的是${'param' in value ? ` ${given ?? '不存在的'} 参数` : '行的取值'}`)
      }
      continue
    }
    try {
      resolveParams([param], { [key]: value }, { timeZone: 'UTC', locale })
    } catch {
      fail(`drillTo.params.${key}`, `"${value}" is no value of report "${target.report}"'s ${param.type} param "${key}"`,
        `「${value}」不是报表「${target.report}」的 ${param.type} 参数「${key}」的值`)
    }
  }
  const missing = taken.find((param) => param.required && param.default === undefined && !Object.hasOwn(target.params, param.key))
  if (missing) {
    fail(`drillTo.params.${missing.key}`, `report "${target.report}" needs the param "${missing.key}"`,
      `报表「${target.report}」需要参数「${missing.key}」`)
  }
}

/**
 * The reports opening `key` (by `drillTo`) still fit it as it will be, or
 * deleting or changing it is refused, naming them.
 */
export function checkDrillSources(
  key: string,
  reports: ReadonlyMap<string, ReportSpec>,
  locale: Locale,
): void {
  for (const report of reports.values()) {
    if (report.key === key || report.drillTo?.report !== key) continue
    try {
      checkDrillTarget(report, reports, locale)
    } catch (error) {
      const reason = error instanceof TesseraError ? error.issues[0]?.message ?? error.message : String(error)
      const en = `report "${report.key}" opens report "${key}" from its rows, and would no longer fit it: ${reason}`
      throw new TesseraError('conflict.reference', en, {
        details: { report: key, reports: [report.key] },
        messages: { 'zh-CN': `报表「${report.key}」的行会打开报表「${key}」，改动后将无法打开：${reason}`, en },
      })
    }
  }
}

const MAX_SUGGESTIONS = 20

/**
 * Values to suggest for a text param as the reader types `q`: the
 * distinct values of the field its `suggest` names that contain `q` (any
 * case), among the rows the reader may read, at most 20, in code point
 * order.
 */
export async function paramSuggestions(
  platform: Platform,
  actor: Actor,
  appKey: string,
  reportKey: string,
  paramKey: string,
  q: string,
  locale: Locale,
): Promise<string[]> {
  await platform.assertReport(actor, appKey, reportKey, locale)
  const spec = await platform.catalog.getMeta<ReportSpec>(appKey, 'report', reportKey)
  const suggest = spec.params?.find((param) => param.key === paramKey)?.suggest
  if (!suggest) throw notFound(`suggestions for param of report ${reportKey}`, paramKey)
  const wanted = q.trim()
  const probe: ReportSpec = {
    key: 'param_suggestions',
    label: paramKey,
    source: suggest.form,
    where: { '!=': [{ var: suggest.field }, null] },
    dimensions: [{ key: 'value', expr: { var: suggest.field } }],
    limit: MAX_SUGGESTIONS,
  }
  const result = await runReport(platform.database.db, probe, platform.catalog.resolver(appKey), {}, {
    timeZone: await platform.timeZone(),
    locale,
    source: platform.records.query.reportSource(actor),
    ...(wanted === '' ? {} : { filters: [{ field: suggest.field, contains: wanted.slice(0, 100), origin: 'query.q' }] }),
  })
  return result.rows.map((row) => String(row.value))
}
