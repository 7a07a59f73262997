import Ajv from 'ajv'
import addFormats from 'ajv-formats'
import { CUSTOM_KEYWORDS } from './custom-keywords.js'

/**
 * The Ajv instance that validates business data, separate from any the
 * server framework owns. Options are chosen against LIBRARY-NOTES §1.2:
 * no type coercion (`{"amount": null}` stays null, `0` never becomes
 * `false`), no stripping of extra properties (they are reported), no
 * defaults written into the data, strict schemas, and full-mode formats
 * (so "2025-02-30" is not a date).
 */
export function createAjv(): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    coerceTypes: false,
    removeAdditional: false,
    useDefaults: false,
    strict: true,
  })
  // `keywords` adds formatMinimum/formatMaximum, used for date bounds.
  addFormats(ajv, { mode: 'full', formats: ['date'], keywords: true })
  for (const definition of CUSTOM_KEYWORDS) ajv.addKeyword(definition)
  return ajv
}
