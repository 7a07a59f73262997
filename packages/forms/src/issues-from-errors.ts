import type { ErrorObject } from 'ajv'
import {
  localize,
  type FieldDefinition,
  type FieldIssue,
  type Locale,
  type PublishedForm,
} from '@tessera/core'
import { decimalExample, type DecimalProblem } from './decimal-text.js'
import { formatMessage, type MessageKey, type MessageParams } from './messages.js'
import { DEFAULT_MONEY_SCALE } from './to-json-schema.js'

interface Context {
  form: PublishedForm
  values: Record<string, unknown>
  locale: Locale
}

/** What one ajv error becomes before it is rendered. */
interface Finding {
  rule: string
  message: MessageKey
  params?: Partial<MessageParams>
  expected?: unknown
}

const REQUIRED: Finding = { rule: 'required', message: 'required', expected: { required: true } }

/**
 * Turns ajv's errors for a record's values into FieldIssues: one issue per
 * field and rule, in the order of the form's fields, unknown fields last.
 * When a field is empty but required, or of the wrong JSON type, only that
 * issue is kept: the others would only repeat it.
 */
export function issuesFromErrors(
  form: PublishedForm,
  values: Record<string, unknown>,
  errors: readonly ErrorObject[],
  locale: Locale,
): FieldIssue[] {
  const context: Context = { form, values, locale }
  const issues = errors
    .filter((error) => !isEmptyBranchError(error))
    .map((error) => toIssue(context, error))

  return sortByField(form, keepDecisive(issues))
}

// An optional field's schema is anyOf [empty, value]; only the value
// branch says something useful about a value that is not empty.
function isEmptyBranchError(error: ErrorObject): boolean {
  return error.keyword === 'anyOf' || error.schemaPath.includes('/anyOf/0/')
}

function toIssue(context: Context, error: ErrorObject): FieldIssue {
  const { form, values, locale } = context

  if (error.keyword === 'required') {
    const key = String(error.params.missingProperty)
    return render(context, key, REQUIRED)
  }

  if (error.keyword === 'additionalProperties') {
    const key = String(error.params.additionalProperty)
    const formLabel = localize(form.definition.label, locale)
    return {
      field: key,
      rule: 'unknown_field',
      message: formatMessage('unknown_field', locale, { label: key, form: formLabel }),
      received: values[key],
    }
  }

  const key = fieldKeyOf(error.instancePath)
  const field = form.definition.fields.find((candidate) => candidate.key === key)
  const finding = field ? describeError(context, field, error) : undefined
  return render(context, key, finding ?? { rule: error.keyword, message: 'invalid' })
}

function describeError(
  context: Context,
  field: FieldDefinition,
  error: ErrorObject,
): Finding | undefined {
  const limit = error.params.limit as string | number | undefined

  switch (error.keyword) {
    case 'x-required':
      return REQUIRED
    case 'type':
      return typeFinding(context, field)
    case 'minLength':
    case 'maxLength': {
      const rule = error.keyword
      return { rule, message: rule, params: { limit }, expected: { [rule]: limit } }
    }
    case 'pattern':
      return { rule: 'pattern', message: 'pattern', expected: { pattern: error.params.pattern } }
    case 'minimum':
    case 'maximum': {
      // A link's only bound is "an id from 1": anything else is not an id.
      if (field.type === 'link') return typeFinding(context, field)
      const rule = error.keyword === 'minimum' ? 'min' : 'max'
      return { rule, message: rule, params: { limit }, expected: { [rule]: limit } }
    }
    case 'formatMinimum':
    case 'formatMaximum': {
      const rule = error.keyword === 'formatMinimum' ? 'min' : 'max'
      return { rule, message: `${rule}.date`, params: { limit }, expected: { [rule]: limit } }
    }
    case 'x-scale': {
      const scale = field.type === 'number' ? field.scale : undefined
      return { rule: 'scale', message: 'scale', params: { limit: scale }, expected: { scale } }
    }
    case 'x-decimal':
      return decimalFinding(field, error.params as DecimalProblem)
    case 'format':
      return { rule: 'format', message: 'format.date', expected: { format: 'YYYY-MM-DD' } }
    case 'enum':
      return { ...optionsFinding(context, field), rule: 'enum', message: 'enum' }
    default:
      return undefined
  }
}

function decimalFinding(field: FieldDefinition, problem: DecimalProblem): Finding {
  if (problem.reason !== 'format') {
    const { reason, limit } = problem
    return { rule: reason, message: reason, params: { limit }, expected: { [reason]: limit } }
  }
  const example = decimalExample(moneyScale(field))
  return { rule: 'format', message: 'format.money', params: { example }, expected: { example } }
}

function typeFinding(context: Context, field: FieldDefinition): Finding {
  switch (field.type) {
    case 'text':
    case 'date':
      return { rule: 'type', message: `type.${field.type}`, expected: { type: 'string' } }
    case 'number': {
      const kind = field.integer ? 'integer' : 'number'
      return { rule: 'type', message: `type.${kind}`, expected: { type: kind } }
    }
    case 'money': {
      const example = decimalExample(moneyScale(field))
      return {
        rule: 'type',
        message: 'type.money',
        params: { example },
        expected: { type: 'decimal string', example },
      }
    }
    case 'select':
      return { ...optionsFinding(context, field), rule: 'type', message: 'type.select' }
    case 'link':
      return {
        rule: 'type',
        message: 'type.link',
        params: { form: field.form },
        expected: { type: 'integer', min: 1 },
      }
  }
}

function optionsFinding(context: Context, field: FieldDefinition): Partial<Finding> {
  const options = field.type === 'select' ? field.options : []
  return {
    params: { options: options.map((option) => localize(option.label, context.locale)) },
    expected: { options: options.map((option) => option.value) },
  }
}

function moneyScale(field: FieldDefinition): number {
  return field.type === 'money' ? (field.scale ?? DEFAULT_MONEY_SCALE) : DEFAULT_MONEY_SCALE
}

function render(context: Context, key: string, finding: Finding): FieldIssue {
  const { form, values, locale } = context
  const field = form.definition.fields.find((candidate) => candidate.key === key)
  const label = field ? localize(field.label, locale) : key

  const issue: FieldIssue = {
    field: key,
    rule: finding.rule,
    message: formatMessage(finding.message, locale, { label, ...finding.params }),
  }
  if (finding.expected !== undefined) issue.expected = finding.expected
  if (values[key] !== undefined) issue.received = values[key]
  return issue
}

/** "/amount" → "amount" (JSON Pointer, unescaped). */
function fieldKeyOf(instancePath: string): string {
  const [first = ''] = instancePath.split('/').slice(1)
  return first.replace(/~1/g, '/').replace(/~0/g, '~')
}

function keepDecisive(issues: FieldIssue[]): FieldIssue[] {
  const decisive = new Map<string, string>()
  for (const issue of issues) {
    const key = issue.field ?? ''
    if (issue.rule === 'required') decisive.set(key, 'required')
    else if (issue.rule === 'type' && !decisive.has(key)) decisive.set(key, 'type')
  }

  const seen = new Set<string>()
  return issues.filter((issue) => {
    const key = issue.field ?? ''
    const only = decisive.get(key)
    if (only !== undefined && issue.rule !== only) return false

    const id = `${key}\u0000${issue.rule}`
    if (seen.has(id)) return false
    seen.add(id)
    return true
  })
}

function sortByField(form: PublishedForm, issues: FieldIssue[]): FieldIssue[] {
  const order = new Map(form.definition.fields.map((field, index) => [field.key, index]))
  const rank = (issue: FieldIssue) => order.get(issue.field ?? '') ?? order.size
  return [...issues].sort((a, b) => rank(a) - rank(b))
}
