import type { FieldIssue, FormDefinition, Locale } from '@tessera/core'
import { createValidator } from '@tessera/forms'

export interface ValidateOptions {
  locale: Locale
  /** Check only the values present (a partial update). */
  partial?: boolean
}

// One validator for the page's life: it compiles each form's schema once
// and caches it by the definition object, which react-query keeps stable.
const validator = createValidator()

/**
 * The same checks the server runs, in the browser, so that mistakes show
 * under their fields before anything is sent. The server validates again
 * and answers with issues of the same shape, placed the same way.
 */
export function validateRecord(
  definition: FormDefinition,
  values: Record<string, unknown>,
  options: ValidateOptions,
): FieldIssue[] {
  try {
    return validator.validate(definition, values, {
      locale: options.locale,
      partial: options.partial ?? false,
    })
  } catch (error) {
    // A definition the browser cannot check (a newer rule, say) must not
    // block saving: the server still validates and answers with issues.
    console.error('validateRecord: browser validation failed; leaving it to the server', error)
    return []
  }
}
