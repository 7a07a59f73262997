import { DEFAULT_TIME_ZONE, type FormResolver, type LocalizedText, TesseraError } from '@tessera/core'

import { planReport } from './plan-report.js'
import type { ReportSpec, ReportValueType } from './spec.js'

/**
 * Checks that `path` names a field of the form `source` (or of a report's
 * rows: its source form, or its union's columns), or a path through its
 * links ("customer.region"), and returns the type of its values, and
 * its options (code and label) when it ends at a select field. A dashboard
 * checks its global filters with it against each widget's report. Throws
 * `report.invalid` naming the path and what is wrong.
 *
 * @example
 * await fieldPathInfo('invoice', 'customer.region', forms) // → { type: 'text' }
 */
export async function fieldPathInfo(
  rows: string | Pick<ReportSpec, 'source' | 'union'>,
  path: string,
  forms: FormResolver,
): Promise<{ type: ReportValueType; choices?: Array<{ value: string; label: LocalizedText }> }> {
  const from = typeof rows === 'string' ? { source: rows } : rows.union === undefined ? { source: rows.source } : { union: rows.union }
  const source = 'source' in from ? from.source : 'union'
  const probe = {
    key: 'field_path',
    label: path,
    ...from,
    dimensions: [{ key: 'value', expr: { var: path } }],
  }
  try {
    const plan = await planReport(probe, forms, {
      locale: 'en',
      timeZone: DEFAULT_TIME_ZONE,
      bind: () => ({}),
    })
    const [dimension] = plan.dimensions
    const choices = dimension.value.choices?.map(({ value, label }) => ({ value, label }))
    return { type: dimension.type, ...(choices ? { choices } : {}) }
  } catch (error) {
    if (!(error instanceof TesseraError) || error.code !== 'report.invalid') throw error
    const reason = error.issues[0]?.message ?? error.message
    throw new TesseraError('report.invalid', `field path "${path}" on form "${source}": ${reason}`, {
      details: { source, path },
      issues: error.issues,
    })
  }
}
