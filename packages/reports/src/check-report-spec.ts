import { DEFAULT_TIME_ZONE, type FormResolver, type Locale } from '@tessera/core'

import { planReport } from './plan-report.js'
import type { ReportSpec } from './spec.js'

/**
 * Validates a spec before it is saved or shipped: its structure, and every
 * form, field, link path, let, param and operator against the published
 * forms. Throws `report.invalid` with one issue per problem, each naming
 * its path in the spec (`dimensions[0].expr.var`); returns the spec typed.
 *
 * @example
 * const spec = await checkReportSpec(JSON.parse(text), catalog.forms('customer-settlement'))
 */
export async function checkReportSpec(
  spec: unknown,
  forms: FormResolver,
  options: { locale?: Locale; bothLanguages?: boolean } = {},
): Promise<ReportSpec> {
  const locale = options.locale ?? 'zh-CN'
  const plan = await planReport(spec, forms, { locale, timeZone: DEFAULT_TIME_ZONE, bind: () => ({}) })
  // A text in both languages is read in the run's: when saved, each half must do (a date in
  // Chinese and none in English would fail every English run).
  if (options.bothLanguages) {
    await planReport(spec, forms, { locale, reading: locale === 'en' ? 'zh-CN' : 'en', timeZone: DEFAULT_TIME_ZONE, bind: () => ({}) })
  }
  return plan.spec
}
