import type { ErrorObject } from 'ajv'
import {
  Dec,
  localize,
  type FieldDefinition,
  type PercentField,
  type FieldIssue,
  type Locale,
  type PublishedForm,
} from '@tessera/core'
import { decimalExample, type DecimalProblem } from './decimal-text.js'
import { formatMessage, type MessageKey, type MessageParams } from './messages.js'
import { storedAs } from './computed-fields.js'
import { EXACT_DIGITS, significantDigits } from './significant-digits.js'
import { locateField, pathRoot, pointerSegments, type FieldPlace } from './field-place.js'
import { BANK_ACCOUNT_LENGTH } from './kinds/bank-account.js'
import { EMAIL_MAX_LENGTH } from './kinds/email-address.js'
import type { TextKindName } from './kinds/text-kinds.js'
import { DEFAULT_MONEY_SCALE, DEFAULT_PERCENT_SCALE } from './field-defaults.js'

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
const DIGITS: Finding = {
  rule: 'significant_digits', message: 'significant_digits', params: { limit: EXACT_DIGITS }, expected: { significantDigits: EXACT_DIGITS },
}

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
  const segments = pointerSegments(error.instancePath)

  if (error.keyword === 'required') {
    const place = locate(context, [...segments, String(error.params.missingProperty)])
    // An attachment item without its id is not a file at all.
    if (place.field?.type === 'attachment' && segments.length > 1) {
      return render(context, place, typeFinding(context, place.field))
    }
    return render(context, place, REQUIRED)
  }

  if (error.keyword === 'additionalProperties') {
    const name = String(error.params.additionalProperty)
    const place = locate(context, [...segments, name])
    const params = { label: name, form: place.container }
    return {
      field: place.path,
      rule: 'unknown_field',
      message: formatMessage('unknown_field', context.locale, params),
      received: place.received,
    }
  }

  const place = locate(context, segments)
  // A number kept as text because it has too many digits to keep exactly (the web input does that).
  const tooLong = error.keyword === 'type' && place.field?.type === 'number' && typeof place.received === 'string' &&
    /^-?\d+(\.\d+)?$/.test(place.received.trim()) && significantDigits(place.received) > EXACT_DIGITS
  const finding = tooLong ? DIGITS : place.field ? describeError(context, place.field, error) : undefined
  return render(context, place, finding ?? { rule: error.keyword, message: 'invalid' })
}

function locate(context: Context, segments: string[]): FieldPlace {
  const { form, values, locale } = context
  const labels = { form: localize(form.definition.label, locale), locale }
  return locateField(form.definition.fields, values, segments, labels)
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
    case 'maxItems':
      if (field.type === 'attachment') {
        return { rule: 'max_files', message: 'max_files', params: { limit }, expected: { maxItems: limit } }
      }
      return { rule: 'max_rows', message: 'max_rows', params: { limit }, expected: { maxRows: limit } }
    case 'minLength':
    case 'maxLength': {
      const rule = error.keyword
      return { rule, message: rule, params: { limit }, expected: { [rule]: limit } }
    }
    case 'pattern': {
      // The field's own words for the format where it has them, else the expression itself.
      const hint = field.type === 'text' && field.patternHint ? localize(field.patternHint, context.locale) : undefined
      const pattern = String(error.params.pattern)
      return {
        rule: 'pattern',
        message: hint ? 'pattern' : 'pattern.regex',
        params: { example: hint ?? pattern },
        expected: { pattern, ...(hint ? { hint } : {}) },
      }
    }
    case 'minimum':
    case 'maximum': {
      // A link's only bound is "an id from 1": anything else is not an id.
      if (isReference(field)) return typeFinding(context, field)
      const rule = error.keyword === 'minimum' ? 'min' : 'max'
      return { rule, message: rule, params: { limit }, expected: { [rule]: limit } }
    }
    case 'formatMinimum':
    case 'formatMaximum': {
      const rule = error.keyword === 'formatMinimum' ? 'min' : 'max'
      return { rule, message: `${rule}.date`, params: { limit }, expected: { [rule]: limit } }
    }
    case 'x-digits':
      return DIGITS
    case 'x-scale': {
      const scale = field.type === 'number' ? field.scale : undefined
      return { rule: 'scale', message: 'scale', params: { limit: scale }, expected: { scale } }
    }
    case 'x-decimal':
      if (field.type === 'percent') return percentFinding(field, error.params as DecimalProblem)
      return decimalFinding(field, error.params as DecimalProblem)
    case 'x-kind':
      return kindFinding(error.params as KindProblem)
    case 'format':
      return { rule: 'format', message: 'format.date', expected: { format: 'YYYY-MM-DD' } }
    case 'enum':
      return { ...optionsFinding(context, field), rule: 'enum', message: 'enum' }
    case 'uniqueItems':
      return { rule: 'unique_items', message: 'unique_items' }
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

interface KindProblem {
  kind: TextKindName
  reason: string
  depth?: number
}

/** Bounds some kinds' messages quote, by kind and reason. */
const KIND_LIMITS: Partial<Record<string, (problem: KindProblem) => string | number>> = {
  'email.length': () => EMAIL_MAX_LENGTH,
  'bank_account.length': () => `${BANK_ACCOUNT_LENGTH.min}–${BANK_ACCOUNT_LENGTH.max}`,
  'region.depth': (problem) => problem.depth ?? 3,
}

function kindFinding(problem: KindProblem): Finding {
  const name = `${problem.kind}.${problem.reason}`
  const limit = KIND_LIMITS[name]?.(problem)
  return {
    rule: 'format',
    message: `kind.${name}` as MessageKey,
    params: limit === undefined ? {} : { limit },
    expected: { format: problem.kind, reason: problem.reason },
  }
}

function percentFinding(field: PercentField, problem: DecimalProblem): Finding {
  const example = '0.13'
  switch (problem.reason) {
    case 'format':
      return { rule: 'format', message: 'format.percent', params: { example }, expected: { example } }
    case 'scale': {
      const limit = field.scale ?? DEFAULT_PERCENT_SCALE
      return { rule: 'scale', message: 'scale.percent', params: { limit }, expected: { scale: limit } }
    }
    case 'digits':
      return { rule: 'digits', message: 'digits', params: { limit: problem.limit } }
    case 'min':
    case 'max': {
      const { reason, limit } = problem
      const shown = `${new Dec(limit).times(100).toFixed()}%`
      const message: MessageKey = reason === 'min' ? 'min.percent' : 'max.percent'
      return { rule: reason, message, params: { limit: shown }, expected: { [reason]: limit } }
    }
  }
}

function typeFinding(context: Context, field: FieldDefinition): Finding {
  switch (field.type) {
    case 'text':
    case 'date':
      return { rule: 'type', message: `type.${field.type}`, expected: { type: 'string' } }
    case 'phone':
    case 'email':
    case 'bank_account':
    case 'region':
    case 'uscc':
      return { rule: 'type', message: 'type.text', expected: { type: 'string' } }
    case 'datetime':
      return { rule: 'type', message: 'type.datetime', expected: { type: 'string' } }
    case 'boolean':
      return { rule: 'type', message: 'type.boolean', expected: { type: 'boolean' } }
    case 'percent':
      return {
        rule: 'type',
        message: 'type.percent',
        params: { example: '0.13' },
        expected: { type: 'decimal string', example: '0.13' },
      }
    case 'multiselect':
      return { ...optionsFinding(context, field), rule: 'type', message: 'type.multiselect' }
    case 'formula':
    case 'autonumber':
    case 'rollup':
    case 'lookup':
      return typeFinding(context, storedAs(field))
    case 'lines':
      return { rule: 'type', message: 'type.lines', expected: { type: 'array' } }
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
    case 'member':
    case 'department': {
      const kind = field.multiple ? 'array of integer' : 'integer'
      const message: MessageKey = `type.${field.type}${field.multiple ? '.multiple' : ''}`
      return { rule: 'type', message, expected: { type: kind, min: 1 } }
    }
    case 'attachment':
      return {
        rule: 'type',
        message: 'type.attachment',
        expected: { type: 'array', items: { id: 'integer' } },
      }
  }
}

/** Fields whose value is an id (or ids): a bound failing means "not an id". */
function isReference(field: FieldDefinition): boolean {
  return field.type === 'link' || field.type === 'member' || field.type === 'department' ||
    field.type === 'attachment'
}

function optionsFinding(context: Context, field: FieldDefinition): Partial<Finding> {
  const options = field.type === 'select' || field.type === 'multiselect' ? field.options : []
  return {
    params: { options: options.map((option) => localize(option.label, context.locale)) },
    expected: { options: options.map((option) => option.value) },
  }
}

function moneyScale(field: FieldDefinition): number {
  return field.type === 'money' ? (field.scale ?? DEFAULT_MONEY_SCALE) : DEFAULT_MONEY_SCALE
}

function render(context: Context, place: FieldPlace, finding: Finding): FieldIssue {
  const issue: FieldIssue = {
    field: place.path,
    rule: finding.rule,
    message: formatMessage(finding.message, context.locale, { label: place.label, ...finding.params }),
  }
  if (finding.expected !== undefined) issue.expected = finding.expected
  if (place.received !== undefined) issue.received = place.received
  return issue
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
  const rank = (issue: FieldIssue) => order.get(pathRoot(issue.field ?? '')) ?? order.size
  return [...issues].sort((a, b) => rank(a) - rank(b))
}
