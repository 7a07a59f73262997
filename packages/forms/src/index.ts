export { checkFormDefinition, type FormDefinitionContext } from './check-form-definition.js'
export {
  toJsonSchema,
  DEFAULT_MONEY_SCALE,
  type JsonSchema,
  type JsonSchemaOptions,
} from './to-json-schema.js'
export {
  createValidator,
  type FormValidator,
  type ValidateOptions,
} from './create-validator.js'
export { normalizeValues } from './normalize-values.js'
export { createAjv } from './create-ajv.js'
export { formatMessage, MESSAGE_KEYS, type MessageKey, type MessageParams } from './messages.js'
export { checkDecimalText, type DecimalProblem, type DecimalRule } from './decimal-text.js'
