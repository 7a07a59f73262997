import type { FuncKeywordDefinition, SchemaValidateFunction } from 'ajv'
import { Dec } from '@tessera/core'
import { checkDecimalText, type DecimalRule } from './decimal-text.js'
import { significantDigits } from './significant-digits.js'
import { TEXT_KIND_NAMES, TEXT_KINDS, type TextKindOptions } from './kinds/text-kinds.js'

/**
 * The keywords our record schemas add to JSON Schema. Each reports through
 * ajv's error list, so issues-from-errors.ts maps them like built-in ones.
 *
 * - `x-decimal: { scale, min?, max? }` on money text, checked exactly with
 *   decimal.js; the error's `params.reason` says which part failed.
 * - `x-scale: n` on numbers: at most n digits after the point. (ajv's
 *   `multipleOf: 0.01` is float arithmetic and rejects 0.29.)
 * - `x-digits: n` on numbers: at most n significant digits, so that the
 *   value stored is the one given (see significant-digits.ts).
 * - `x-kind: { kind, depth? }` on text of a known shape (phone, e-mail,
 *   bank account, region, USCC, date-time; see kinds/text-kinds.ts); the
 *   error's `params` carry the kind and the reason it failed.
 * - `x-required: true`: the value is not null, not "", not blank text and
 *   not an empty list. It makes a required field reject an explicit empty
 *   value even where `required` does not apply (partial updates).
 */
// ajv reads the errors of a function keyword from the function itself.
const validateDecimal: SchemaValidateFunction = (rule: DecimalRule, data: string) => {
  const problem = checkDecimalText(data, rule)
  validateDecimal.errors = problem
    ? [{ keyword: 'x-decimal', message: `decimal ${problem.reason}`, params: problem }]
    : []
  return problem === undefined
}

const validateKind: SchemaValidateFunction = (options: TextKindOptions, data: string) => {
  const reason = TEXT_KINDS[options.kind].check(data, options)
  validateKind.errors = reason
    ? [{ keyword: 'x-kind', message: `${options.kind} ${reason}`, params: { ...options, reason } }]
    : []
  return reason === undefined
}

export const CUSTOM_KEYWORDS: FuncKeywordDefinition[] = [
  {
    keyword: 'x-decimal',
    type: 'string',
    schemaType: 'object',
    errors: true,
    metaSchema: {
      type: 'object',
      required: ['scale'],
      properties: {
        scale: { type: 'integer', minimum: 0, maximum: 6 },
        min: { type: 'string' },
        max: { type: 'string' },
      },
      additionalProperties: false,
    },
    validate: validateDecimal,
  },
  {
    keyword: 'x-scale',
    type: 'number',
    schemaType: 'number',
    metaSchema: { type: 'integer', minimum: 0 },
    validate: (scale: number, data: number) => new Dec(data).decimalPlaces() <= scale,
  },
  {
    keyword: 'x-digits',
    type: 'number',
    schemaType: 'number',
    metaSchema: { type: 'integer', minimum: 1 },
    // A whole number past 2^53 may have been rounded by JSON itself (10000000000000001 arrives as
    // 1e16, whose text has one digit): it cannot be known to be the number given.
    validate: (digits: number, data: number) =>
      significantDigits(String(data)) <= digits && (!Number.isInteger(data) || Number.isSafeInteger(data)),
  },
  {
    keyword: 'x-kind',
    type: 'string',
    schemaType: 'object',
    errors: true,
    metaSchema: {
      type: 'object',
      required: ['kind'],
      properties: {
        kind: { enum: TEXT_KIND_NAMES },
        depth: { type: 'integer', minimum: 1, maximum: 3 },
      },
      additionalProperties: false,
    },
    validate: validateKind,
  },
  {
    keyword: 'x-required',
    schemaType: 'boolean',
    metaSchema: { const: true },
    validate: (_required: boolean, data: unknown) => {
      if (data === null || data === undefined) return false
      if (Array.isArray(data)) return data.length > 0
      return typeof data !== 'string' || data.trim() !== ''
    },
  },
]
