export { checkFormDefinition, type FormDefinitionContext } from './check-form-definition.js'
export {
  toJsonSchema,
  DEFAULT_MONEY_SCALE,
  DEFAULT_PERCENT_SCALE,
  DEFAULT_MAX_LINES,
  percentFractionScale,
  type JsonSchema,
  type JsonSchemaOptions,
} from './to-json-schema.js'
export {
  createValidator,
  type FormValidator,
  type ValidateOptions,
} from './create-validator.js'
export { normalizeValue, normalizeValues } from './normalize-values.js'
export { createAjv } from './create-ajv.js'
export { formatMessage, MESSAGE_KEYS, type MessageKey, type MessageParams } from './messages.js'
export { checkDecimalText, type DecimalProblem, type DecimalRule } from './decimal-text.js'
export {
  TEXT_KINDS,
  TEXT_KIND_NAMES,
  isTextKind,
  type TextKind,
  type TextKindName,
} from './kinds/text-kinds.js'
export { checkUscc, normalizeUscc, usccCheckCharacter, USCC_ALPHABET } from './kinds/uscc.js'
export { checkPhone, normalizePhone } from './kinds/phone-number.js'
export { checkEmail, normalizeEmail } from './kinds/email-address.js'
export {
  checkBankAccount,
  groupBankAccount,
  normalizeBankAccount,
  BANK_ACCOUNT_LENGTH,
} from './kinds/bank-account.js'
export { checkRegion, normalizeRegion, regionParts, REGION_SEPARATOR } from './kinds/china-region.js'
export { CHINA_PROVINCES, findProvince, type Province } from './kinds/china-provinces.js'
export { checkDateTime, normalizeDateTime } from './kinds/date-time-text.js'
export { acceptsFile, maxFileSize } from './kinds/attachment-accept.js'
export { acceptText } from './kinds/accept-text.js'
export {
  prepareRecord,
  type PrepareOptions,
  type PreparedRecord,
} from './prepare-record.js'
export {
  isComputed,
  inputFields,
  storedAs,
  linesRollupResult,
  aggregateResult,
  type ComputedField,
} from './computed-fields.js'
export { aggregateRows, emptyAggregate } from './aggregate-rows.js'
export { locateField, lineRowLabel, pathRoot, type FieldPlace } from './field-place.js'
export { LINE_FIELD_TYPES } from './form-definition-schema.js'
export { aggregateProblem } from './form-definition-derived.js'
export { formulaValue } from './formula-value.js'
export { formulaOrder, rootKey } from './formula-order.js'
export { isAlwaysRequired } from './to-json-schema.js'
export {
  parseAutonumberPattern,
  formatAutonumber,
  autonumberPeriod,
  AutonumberPatternError,
  type PatternPart,
} from './autonumber-pattern.js'
export { toOpenApi, type OpenApiOptions } from './to-open-api.js'
export { significantDigits, EXACT_DIGITS } from './significant-digits.js'
export { pickerBounds, boundInputs, type PickerBound } from './picker-bounds.js'
