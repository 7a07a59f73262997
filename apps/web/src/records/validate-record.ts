import type { FieldIssue, Locale, PublishedForm } from '@tessera/core'
import { createValidator } from '@tessera/forms'

export interface ValidateOptions {
  locale: Locale
  /** Check only the values present (a partial update). */
  partial?: boolean
}

// One validator for the page's life: it compiles each form version's
// schema once and reuses it (compiling per call would leak, LIBRARY-NOTES §1.2).
const validator = createValidator()

/**
 * The same checks the server runs, in the browser, so that mistakes show
 * under their fields before anything is sent. The server validates again
 * and answers with issues of the same shape, placed the same way.
 */
export function validateRecord(
  form: PublishedForm,
  values: Record<string, unknown>,
  options: ValidateOptions,
): FieldIssue[] {
  try {
    return validator.validate(form, values, {
      locale: options.locale,
      partial: options.partial ?? false,
    })
  } catch (error) {
    // A definition the browser cannot compile (a rule newer than this
    // build, say) must not block saving: the server still validates.
    console.error(`validateRecord: cannot check form "${form.key}" in the browser`, error)
    return []
  }
}
