import type { FieldIssue, Locale, PublishedForm } from '@tessera/core'
import { createValidator, prepareRecord } from '@tessera/forms'

export interface ValidateOptions {
  locale: Locale
  /** Check only the values present (a partial update). */
  partial?: boolean
  /** The company's today and time zone, for rules that read `today`. */
  today?: string
  timeZone?: string
}

// One validator for the page's life: it compiles each form version's
// schema once and reuses it (compiling per call would leak, LIBRARY-NOTES §1.2).
const validator = createValidator()

/**
 * The same checks the server runs, in the browser, so that mistakes show
 * under their fields before anything is sent: the form's schema, then
 * (for a whole record) its conditions, formulas and cross-field rules.
 * The server validates again and answers with issues of the same shape,
 * placed the same way.
 */
export function validateRecord(
  form: PublishedForm,
  values: Record<string, unknown>,
  options: ValidateOptions,
): FieldIssue[] {
  try {
    const { locale, today, timeZone } = options
    const issues = validator.validate(form, values, { locale, partial: options.partial ?? false })
    if (options.partial) return issues

    const invalid = new Set(issues.flatMap((issue) => (issue.field ? [issue.field] : [])))
    const prepared = prepareRecord(form, values, { locale, today, timeZone, invalid })
    return [...issues, ...prepared.issues]
  } catch (error) {
    // A definition the browser cannot compile (a rule newer than this
    // build, say) must not block saving: the server still validates.
    console.error(`validateRecord: cannot check form "${form.key}" in the browser`, error)
    return []
  }
}
