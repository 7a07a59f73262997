import { TesseraError, notFound, type Actor, type Locale, type LocalizedText } from '@tessera/core'
import { type ReportDrillTo, type ReportParamSpec, type ReportSpec, runReport } from '@tessera/reports'

import type { Platform } from './platform.js'

/** What a report's own page needs before it runs the report. */
export interface ReportSummary {
  key: string
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
  const spec = await platform.catalog.getMeta<ReportSpec>(appKey, 'report', reportKey)
  const summary: ReportSummary = {
    key: spec.key,
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
 * it gives; checked when the report is saved (`reports`: the app's
 * reports as they will be).
 */
export function checkDrillTarget(spec: ReportSpec, reports: ReadonlyMap<string, ReportSpec>, locale: Locale): void {
  const target = spec.drillTo
  if (!target) return
  const other = reports.get(target.report)
  const fail = (field: string, en: string, zh: string, expected?: unknown) => {
    throw new TesseraError('report.invalid', `report "${spec.key}" is invalid at ${field}: ${en}`, {
      details: { report: spec.key },
      issues: [{ field, rule: 'unknown_key', message: locale === 'en' ? en : zh, ...(expected === undefined ? {} : { expected }) }],
      messages: { 'zh-CN': `报表「${spec.key}」有误（${field}）：${zh}`, en: `report "${spec.key}" is invalid at ${field}: ${en}` },
    })
  }
  if (!other) {
    fail('drillTo.report', `the app has no report "${target.report}"`, `应用没有报表「${target.report}」`, [...reports.keys()])
    return
  }
  const taken = (other.params ?? []).map((param) => param.key)
  for (const key of Object.keys(target.params)) {
    if (!taken.includes(key)) {
      fail(`drillTo.params.${key}`, `report "${target.report}" takes no param "${key}"`,
        `报表「${target.report}」没有参数「${key}」`, taken)
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
