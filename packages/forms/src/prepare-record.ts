import {
  localize,
  type FieldDefinition,
  type FieldIssue,
  type Locale,
  type PublishedForm,
} from '@tessera/core'
import { evaluate, logicVars } from '@tessera/logic'
import { isComputed, linesRollupResult } from './computed-fields.js'
import { aggregateRows, emptyAggregate } from './aggregate-rows.js'
import { lineRowLabel, pathRoot } from './field-place.js'
import { formulaOrder, rootKey, type FieldList } from './formula-order.js'
import { BeyondStorage, formulaValue } from './formula-value.js'
import { formatMessage } from './messages.js'

export interface PrepareOptions {
  locale: Locale
  /** "YYYY-MM-DD" for the `today` operator; else today in `timeZone`. */
  today?: string
  /** The company time zone; Asia/Shanghai when absent. */
  timeZone?: string
  /** Fields already found invalid: formulas and rules reading them are skipped. */
  invalid?: ReadonlySet<string>
}

/** A whole record after its form's logic ran; see prepareRecord. */
export interface PreparedRecord {
  /** The values with formulas computed and hidden fields set to null. */
  values: Record<string, unknown>
  /** Fields hidden by their `visibleWhen`. */
  hidden: string[]
  /** Fields required right now: `required` or `requiredWhen`, and visible. */
  required: string[]
  /** Required fields left empty, formulas that failed, rules broken. */
  issues: FieldIssue[]
}

/**
 * Runs a form's logic over one whole record, the same way in the browser
 * (live, as the user types) and on the server (at every write): formulas
 * are computed in dependency order; fields whose `visibleWhen` is false
 * are hidden and emptied, and formulas are computed again without them;
 * then conditional `required` and the form's `rules` are checked.
 * Conditions see the values with formulas computed.
 *
 * The values should have passed the form's schema (createValidator);
 * `options.invalid` names fields that did not, so that rules reading them
 * are skipped rather than run on bad data.
 *
 * @example
 * prepareRecord(invoice, { invoice_date: '2025-03-01', due_date: '2025-02-01' }, { locale: 'en' })
 * // { issues: [{ field: 'due_date', rule: 'rule', message: 'The due date cannot be…' }], … }
 */
export function prepareRecord(
  form: PublishedForm,
  input: Record<string, unknown>,
  options: PrepareOptions,
): PreparedRecord {
  const { fields } = form.definition
  const values = { ...input }
  const issues: FieldIssue[] = []
  const invalid = new Set([...(options.invalid ?? [])].map(pathRoot))

  // Without conditions nothing hides, so one round of formulas is enough.
  const conditional = fields.some((field) => field.visibleWhen !== undefined)
  if (conditional) computeDerived(form, values, options, new Set(invalid), [])
  const hidden = conditional ? fields.filter((field) => !holds(field.visibleWhen, values, options, true)) : []
  for (const field of hidden) values[field.key] = field.type === 'lines' ? [] : null
  computeDerived(form, values, options, invalid, issues)

  const required = fields.filter((field) => {
    if (hidden.includes(field) || isComputed(field)) return false
    return field.required === true || holds(field.requiredWhen, values, options, false)
  })
  for (const field of required) {
    if (!isEmpty(values[field.key]) || invalid.has(field.key)) continue
    issues.push(requiredIssue(field, options.locale))
  }

  checkRules(form, values, options, invalid, issues)
  return {
    values,
    hidden: hidden.map((field) => field.key),
    required: required.map((field) => field.key),
    issues,
  }
}

/**
 * Line formulas row by row, then rollups over line items, then the
 * record's formulas (which may read both). A rollup over another form
 * keeps its stored value, or starts as the aggregate of no rows.
 */
function computeDerived(
  form: PublishedForm,
  values: Record<string, unknown>,
  options: PrepareOptions,
  invalid: Set<string>,
  issues: FieldIssue[],
): void {
  const { fields } = form.definition
  for (const field of fields) {
    if (field.type !== 'lines' || !Array.isArray(values[field.key]) || invalid.has(field.key)) continue
    const rows = (values[field.key] as Record<string, unknown>[]).map((row, index) => {
      const cells = { ...row }
      const at = (key: string) => `${field.key}[${index}].${key}`
      const rowLabel = lineRowLabel(localize(field.label, options.locale), index, options.locale)
      computeFormulas(field, cells, options, new Set(), issues, { at, rowLabel })
      return cells
    })
    values[field.key] = rows
  }

  for (const field of fields) {
    if (field.type !== 'rollup') continue
    if (field.lines === undefined) {
      if (values[field.key] === undefined) values[field.key] = emptyAggregate(field)
      continue
    }
    const rows = values[field.lines]
    // Published definitions carry the result; a draft's is worked out here.
    const rollup = field.result ? field : { ...field, result: linesRollupResult(form.definition, field) }
    if (invalid.has(field.lines)) values[field.key] = null
    else values[field.key] = aggregateRows(rollup, Array.isArray(rows) ? rows : [])
  }

  computeFormulas(form.definition, values, options, invalid, issues)
}

interface Place {
  /** The issue path of a field key. */
  at: (key: string) => string
  /** Put before the field label in messages: a line row. */
  rowLabel?: string
}

function computeFormulas(
  holder: FieldList,
  values: Record<string, unknown>,
  options: PrepareOptions,
  invalid: Set<string>,
  issues: FieldIssue[],
  place: Place = { at: (key) => key },
): void {
  const { order = [] } = formulaOrder(holder)

  for (const field of order) {
    const reads = logicVars(field.expression).map(rootKey)
    if (reads.some((key) => invalid.has(key))) {
      values[field.key] = null
      invalid.add(field.key)
      continue
    }
    try {
      values[field.key] = formulaValue(field, evaluate(field.expression, values, options))
    } catch (error) {
      values[field.key] = null
      invalid.add(field.key)
      const detail = error instanceof Error ? error.message : String(error)
      const own = localize(field.label, options.locale)
      const separator = options.locale === 'en' ? ': ' : '·'
      const label = place.rowLabel ? `${place.rowLabel}${separator}${own}` : own
      if (error instanceof BeyondStorage) {
        const message = formatMessage('formula_range', options.locale, { label, limit: error.digits })
        issues.push({ field: place.at(field.key), rule: 'range', message, expected: { digits: error.digits } })
        continue
      }
      const message = formatMessage('formula', options.locale, { label, detail })
      issues.push({ field: place.at(field.key), rule: 'formula', message })
    }
  }
}

function checkRules(
  form: PublishedForm,
  values: Record<string, unknown>,
  options: PrepareOptions,
  invalid: Set<string>,
  issues: FieldIssue[],
): void {
  for (const rule of form.definition.rules ?? []) {
    const named = rule.fields ?? []
    const reads = [...logicVars(rule.when), ...logicVars(rule.assert)].map(rootKey)
    if (named.some((key) => isEmpty(values[key]))) continue
    if ([...named, ...reads].some((key) => invalid.has(key))) continue
    if (!holds(rule.when, values, options, true)) continue
    if (holds(rule.assert, values, options, false)) continue

    const message = localize(rule.message, options.locale)
    const expected = { rule: rule.key }
    if (named.length === 0) issues.push({ rule: 'rule', message, expected })
    for (const key of named) issues.push({ field: key, rule: 'rule', message, expected })
  }
}

/**
 * Whether a condition holds; `fallback` when there is none or it fails to
 * run (a value of an unexpected type, say). The fallbacks are the safe
 * side: a field stays visible, a rule applies and its assertion fails, so
 * nothing is hidden or let through because a condition could not be read.
 */
function holds(
  condition: unknown,
  values: Record<string, unknown>,
  options: PrepareOptions,
  fallback: boolean,
): boolean {
  if (condition === undefined) return fallback
  try {
    return truthy(evaluate(condition, values, options))
  } catch {
    return fallback
  }
}

/** json-logic truthiness: an empty list is false, like "" and 0. */
function truthy(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : Boolean(value)
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true
  if (typeof value === 'string') return value.trim() === ''
  return Array.isArray(value) && value.length === 0
}

function requiredIssue(field: FieldDefinition, locale: Locale): FieldIssue {
  const label = localize(field.label, locale)
  return {
    field: field.key,
    rule: 'required',
    message: formatMessage('required', locale, { label }),
    expected: { required: true },
  }
}
