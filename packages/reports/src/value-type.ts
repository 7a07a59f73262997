import type { RawBuilder } from 'kysely'
import type { LocalizedText } from '@tessera/core'

import type { ReportLiteral, ReportValueType } from './spec.js'

/**
 * The SQL type of a compiled expression, as far as the report engine needs
 * to know it. `moneyScale` marks a number derived from money fields, so that
 * measures over it come back rounded to that scale. `null` is a literal null
 * (fits anywhere); `invalid` follows a reported issue and silences more.
 */
export type ValueType =
  | { kind: 'number'; integer: boolean; moneyScale?: number }
  | { kind: 'text' }
  | { kind: 'date' }
  | { kind: 'timestamp' }
  | { kind: 'boolean' }
  | { kind: 'null' }
  | { kind: 'invalid' }

export type ValueKind = ValueType['kind']

/** A compiled expression: its SQL, its type, and its value when a literal. */
export interface Typed {
  sql: RawBuilder<unknown>
  type: ValueType
  literal?: { value: ReportLiteral }
  /** A select field read as it is stored: its options, to show labels for the codes. */
  choices?: ReadonlyArray<{ value: string; label: LocalizedText }>
}

export const INTEGER: ValueType = { kind: 'number', integer: true }
export const DECIMAL: ValueType = { kind: 'number', integer: false }
export const TEXT: ValueType = { kind: 'text' }
export const DATE: ValueType = { kind: 'date' }
export const TIMESTAMP: ValueType = { kind: 'timestamp' }
export const BOOLEAN: ValueType = { kind: 'boolean' }
export const NULL: ValueType = { kind: 'null' }
export const INVALID: ValueType = { kind: 'invalid' }

export function money(scale: number): ValueType {
  return { kind: 'number', integer: false, moneyScale: scale }
}

/** True when a value of this type may stand where `kind` is expected. */
export function fits(type: ValueType, kind: ValueKind): boolean {
  return type.kind === kind || type.kind === 'null' || type.kind === 'invalid'
}

/** The money scale of a number type, if it came from money. */
export function moneyScaleOf(type: ValueType): number | undefined {
  return type.kind === 'number' ? type.moneyScale : undefined
}

/** Combines number operands: integer only if all are; money if any is. */
export function combineNumbers(types: ValueType[]): ValueType {
  let integer = true
  let scale: number | undefined
  for (const type of types) {
    if (type.kind !== 'number') continue
    integer &&= type.integer
    if (type.moneyScale !== undefined) scale = Math.max(scale ?? 0, type.moneyScale)
  }
  if (scale !== undefined) return money(scale)
  return integer ? INTEGER : DECIMAL
}

/** How a type reads in messages: "number", "money", "date"… */
export function describe(type: ValueType): string {
  if (type.kind === 'number') {
    if (type.moneyScale !== undefined) return 'money'
    return type.integer ? 'integer' : 'number'
  }
  return type.kind
}

/** The result column type for a value of this SQL type. */
export function columnType(type: ValueType): ReportValueType {
  switch (type.kind) {
    case 'number':
      if (type.moneyScale !== undefined) return 'money'
      return type.integer ? 'integer' : 'number'
    case 'date':
      return 'date'
    case 'timestamp':
      return 'datetime'
    case 'boolean':
      return 'boolean'
    default:
      return 'text'
  }
}
