import type {
  AutonumberField,
  FieldDefinition,
  FormDefinition,
  FormulaField,
  LookupField,
  RollupField,
} from '@tessera/core'
import { DEFAULT_MONEY_SCALE } from './field-defaults.js'

/** Fields whose values the platform works out; writes never set them. */
export type ComputedField = FormulaField | AutonumberField | RollupField | LookupField

export function isComputed(field: FieldDefinition): field is ComputedField {
  return (
    field.type === 'formula' ||
    field.type === 'autonumber' ||
    field.type === 'rollup' ||
    field.type === 'lookup'
  )
}

/** The fields a write may set: every field that is not computed. */
export function inputFields<T extends FieldDefinition>(definition: { fields: T[] }): T[] {
  return definition.fields.filter((field) => !isComputed(field))
}

/**
 * The field a computed field's value is stored and shown as: a formula
 * like a field of its result type, an autonumber like text, a rollup
 * like its result (a whole number for `count`), a lookup like the field
 * it shows (as the form's publication recorded it).
 *
 * @example
 * storedAs({ key: 'tax', type: 'formula', result: 'money', scale: 2, … })
 * // { key: 'tax', type: 'money', scale: 2, … }
 */
export function storedAs(field: FieldDefinition): FieldDefinition {
  const { key, label } = field
  switch (field.type) {
    case 'autonumber':
      return { key, label, type: 'text' }
    case 'formula':
      return formulaStoredAs(field)
    case 'rollup':
      return rollupStoredAs(field)
    case 'lookup':
      return field.target ? { ...storedAs(field.target), key, label } : { key, label, type: 'text' }
    default:
      return field
  }
}

function formulaStoredAs(field: FormulaField): FieldDefinition {
  const { key, label, scale } = field
  switch (field.result) {
    case 'money':
      return { key, label, type: 'money', scale: scale ?? DEFAULT_MONEY_SCALE, currency: field.currency }
    case 'percent':
      return { key, label, type: 'percent', scale }
    case 'number':
      return { key, label, type: 'number', scale, integer: scale === 0 }
    default:
      return { key, label, type: field.result }
  }
}

function rollupStoredAs(field: RollupField): FieldDefinition {
  const { key, label } = field
  const result = field.agg === 'count' ? { type: 'number' as const, scale: 0 } : field.result
  switch (result?.type) {
    case 'money':
      return { key, label, type: 'money', scale: result.scale ?? DEFAULT_MONEY_SCALE }
    case 'percent':
      return { key, label, type: 'percent', scale: result.scale }
    case 'date':
      return { key, label, type: 'date' }
    default:
      return { key, label, type: 'number', scale: result?.scale, integer: result?.scale === 0 }
  }
}

/**
 * What a rollup over line items is stored as, from the line field it
 * aggregates; undefined when that field is not there (the definition
 * check reports it).
 */
export function linesRollupResult(
  definition: FormDefinition,
  field: RollupField,
): RollupField['result'] {
  if (field.agg === 'count') return { type: 'number', scale: 0 }
  const lines = definition.fields.find((candidate) => candidate.key === field.lines)
  if (lines?.type !== 'lines') return undefined
  const source = lines.fields.find((candidate) => candidate.key === field.field)
  return source ? aggregateResult(source) : undefined
}

/** The stored type of an aggregate over values of `source`, if it can be aggregated. */
export function aggregateResult(source: FieldDefinition): RollupField['result'] {
  const stored = storedAs(source)
  switch (stored.type) {
    case 'money':
      return { type: 'money', scale: stored.scale ?? DEFAULT_MONEY_SCALE }
    case 'percent':
      return { type: 'percent', scale: stored.scale }
    case 'number':
      return { type: 'number', scale: stored.integer ? 0 : stored.scale }
    case 'date':
      return { type: 'date' }
    default:
      return undefined
  }
}
