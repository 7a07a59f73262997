export { checkLogic, type CheckLogicOptions, type Logic } from './check-logic.js'
export { evaluate } from './evaluate.js'
export { logicVars } from './logic-vars.js'
export type { EvaluateOptions } from './evaluation-context.js'
export {
  ALLOWED_OPERATORS,
  EXTENDED_OPERATORS,
  STANDARD_OPERATORS,
  isAllowedOperator,
} from './allowed-operators.js'
export { DATE_FORMATS, parseDateText, type DateFormat, type ParsedDate } from './parse-date.js'
