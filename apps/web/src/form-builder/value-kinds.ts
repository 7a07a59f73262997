import type { FieldDefinition, FormDefinition, LineFieldDefinition } from '@tessera/core'

/** What a value is, as far as formulas and conditions care. */
export type ValueKind = 'number' | 'date' | 'text' | 'boolean' | 'list' | 'lines' | 'unknown'

/** A field a formula or condition may read, with the kind of its value. */
export interface LogicVar {
  key: string
  kind: ValueKind
  /** The line fields of a lines field (read by sum(items.amount)). */
  lines?: LogicVar[]
}

/** The kind of a field's value. */
export function valueKind(field: FieldDefinition | LineFieldDefinition): ValueKind {
  switch (field.type) {
    case 'number':
    case 'money':
    case 'percent':
      return 'number'
    case 'date':
      return 'date'
    case 'boolean':
      return 'boolean'
    case 'multiselect':
      return 'list'
    case 'lines':
      return 'lines'
    case 'formula':
      return field.result === 'money' || field.result === 'percent' ? 'number' : field.result
    case 'rollup':
      return field.agg === 'count' ? 'number' : field.result?.type === 'date' ? 'date' : 'number'
    case 'lookup':
      return 'unknown'
    default:
      return 'text'
  }
}

/**
 * The fields logic may read: every field of the form but lookups (they
 * are read after a write's logic has run), or, for a line formula, the
 * other fields of its row.
 */
export function logicVars(definition: FormDefinition, lines?: string): LogicVar[] {
  if (lines !== undefined) {
    const owner = definition.fields.find((field) => field.key === lines)
    if (owner?.type !== 'lines') return []
    return owner.fields.map((field) => ({ key: field.key, kind: valueKind(field) }))
  }
  return definition.fields
    .filter((field) => field.type !== 'lookup')
    .map((field) => ({
      key: field.key,
      kind: valueKind(field),
      ...(field.type === 'lines'
        ? { lines: field.fields.map((line) => ({ key: line.key, kind: valueKind(line) })) }
        : {}),
    }))
}
