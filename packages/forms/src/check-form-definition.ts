import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv'
import { TesseraError, nestedDeeperThan, type FieldIssue, type FormDefinition } from '@tessera/core'
import {
  FIELD_TYPES,
  FORM_DEFINITION_SCHEMA,
  LINE_FIELD_TYPES,
} from './form-definition-schema.js'
import {
  checkDefinitionRules,
  isRecord,
  type DefinitionContext,
} from './form-definition-rules.js'

export type FormDefinitionContext = DefinitionContext

let validateShape: ValidateFunction | undefined

/**
 * Checks a form definition as an admin or a template wrote it and returns
 * it typed. Throws TesseraError('metadata.invalid') listing every problem
 * as an issue whose `field` is a path into the definition, such as
 * `fields[2].options`, with an English message.
 *
 * @example
 * checkFormDefinition(json, { forms: ['customer', 'invoice'] })
 */
export function checkFormDefinition(
  def: unknown,
  context: FormDefinitionContext = {},
): FormDefinition {
  if (!isRecord(def)) {
    const problem = `a form definition must be a JSON object, got ${describeType(def)}`
    throw new TesseraError('metadata.invalid', problem)
  }

  // Named as far as the field: the depth is of an expression inside it.
  const deep = nestedDeeperThan(def, MAX_NESTING, 3)
  if (deep !== undefined) {
    const problem = `nested more than ${MAX_NESTING} levels deep: split the expression over several formula fields`
    throw new TesseraError('metadata.invalid', `form definition is invalid: ${deep}: ${problem}`, {
      details: { form: def.key },
      issues: [{ field: deep, rule: 'depth', message: problem, expected: `at most ${MAX_NESTING} levels` }],
    })
  }

  validateShape ??= compileShapeSchema()
  const issues: FieldIssue[] = []
  if (!validateShape(def)) issues.push(...shapeIssues(validateShape.errors ?? []))
  checkDefinitionRules(def, context, issues)

  if (issues.length === 0) return def as unknown as FormDefinition

  const name = typeof def.key === 'string' ? `"${def.key}"` : '(without a key)'
  const [first] = issues
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : ''
  throw new TesseraError(
    'metadata.invalid',
    `form definition ${name} is invalid: ${first.field}: ${first.message}${more}`,
    { details: { form: def.key }, issues },
  )
}

/**
 * How deep a definition's JSON may nest (objects and arrays, each a level):
 * far beyond any form or formula a person builds, and well inside what the
 * checks' and compilers' recursion takes.
 */
const MAX_NESTING = 64

function compileShapeSchema(): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: true, discriminator: true })
  ajv.addKeyword({
    keyword: 'x-localized-text',
    schemaType: 'boolean',
    validate: (_enabled: boolean, data: unknown) => isLocalizedText(data),
    error: { message: 'must be non-empty text or { "zh-CN": text, "en"?: text }' },
  })
  return ajv.compile(FORM_DEFINITION_SCHEMA)
}

function isLocalizedText(value: unknown): boolean {
  if (typeof value === 'string') return value.length > 0
  if (!isRecord(value)) return false

  const { 'zh-CN': zh, en, ...rest } = value
  if (Object.keys(rest).length > 0) return false
  return typeof zh === 'string' && zh.length > 0 && (en === undefined || typeof en === 'string')
}

function shapeIssues(errors: readonly ErrorObject[]): FieldIssue[] {
  return errors.map((error) => {
    const path = toPath(error.instancePath)
    const at = (name: string) => (path ? `${path}.${name}` : name)

    switch (error.keyword) {
      case 'required':
        return {
          field: at(String(error.params.missingProperty)),
          rule: 'required',
          message: 'is required',
        }
      case 'additionalProperties':
        return {
          field: at(String(error.params.additionalProperty)),
          rule: 'unknown_property',
          message: 'is not a known property here',
        }
      case 'x-localized-text':
        return { field: path, rule: 'localized_text', message: error.message ?? 'is invalid' }
      case 'discriminator': {
        const found = JSON.stringify(error.params.tagValue)
        const types = /\.fields\[\d+\]$/.test(path) ? LINE_FIELD_TYPES : FIELD_TYPES
        const message = `unknown field type ${found}; expected one of ${types.join(', ')}`
        return { field: at('type'), rule: 'type', message }
      }
      default:
        return {
          field: path || '(root)',
          rule: error.keyword,
          message: error.message ?? 'is invalid',
        }
    }
  })
}

/** "/fields/2/options" → "fields[2].options". */
function toPath(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((path, segment) => {
      if (/^\d+$/.test(segment)) return `${path}[${segment}]`
      return path ? `${path}.${segment}` : segment
    }, '')
}

function describeType(value: unknown): string {
  if (value === null) return 'null'
  return Array.isArray(value) ? 'an array' : typeof value
}
