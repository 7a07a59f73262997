import { sql } from 'kysely'

import { isIsoDate } from '@tessera/core'

import { show } from './issue-list.js'
import type { Scope } from './scope.js'
import {
  DATE,
  INVALID,
  NULL,
  type Typed,
  type ValueType,
  combineNumbers,
  describe,
} from './value-type.js'

/** An operand with its path in the spec, for messages. */
export interface Operand {
  typed: Typed
  path: string
}

/**
 * Reads a value as a calendar date: timestamps in the company time zone, and
 * a string literal only when it is a real "YYYY-MM-DD" date.
 */
export function asDate(operand: Operand, scope: Scope): Typed {
  const { typed, path } = operand
  switch (typed.type.kind) {
    case 'date':
    case 'null':
    case 'invalid':
      return typed
    case 'timestamp':
      return {
        sql: sql`(timezone(${scope.context.timeZone}::text, ${typed.sql}))::date`,
        type: DATE,
      }
    case 'text': {
      const value = typed.literal?.value
      if (isIsoDate(value)) return { sql: sql`${value}::date`, type: DATE, literal: { value } }
    }
  }

  scope.context.issues.add(path, 'type', {
    zh: `此处需要日期（或 "YYYY-MM-DD" 文本），收到 ${describe(typed.type)}${literalNote(typed)}`,
    en: `expected a date (or a "YYYY-MM-DD" text) here, got ${describe(typed.type)}${literalNote(typed)}`,
  }, { expected: 'date', received: typed.literal?.value })
  return { sql: sql`null`, type: INVALID }
}

function literalNote(typed: Typed): string {
  return typed.literal ? ` ${show(typed.literal.value)}` : ''
}

/**
 * Brings operands that must share one type (both sides of a comparison,
 * the branches of `if`, the arguments of `coalesce`) to that type. Numbers
 * mix freely; a date pulls timestamps and date strings to dates.
 */
export function harmonize(
  operands: Operand[],
  scope: Scope,
): { items: Typed[]; type: ValueType } {
  const items = operands.map((operand) => operand.typed)
  const kinds = new Set(items.map((item) => item.type.kind))
  if (kinds.has('invalid')) return { items, type: INVALID }

  kinds.delete('null')
  if (kinds.size === 0) return { items, type: NULL }
  if (kinds.has('date')) {
    const dates = operands.map((operand) => asDate(operand, scope))
    const failed = dates.some((item) => item.type.kind === 'invalid')
    return { items: dates, type: failed ? INVALID : DATE }
  }
  const first = firstReal(items)
  if (kinds.size === 1) {
    if (first.kind !== 'number') return { items, type: first }
    return { items, type: combineNumbers(items.map((item) => item.type)) }
  }

  const expected = describe(first)
  for (const operand of operands) {
    const kind = operand.typed.type.kind
    if (kind === 'null' || kind === first.kind) continue
    scope.context.issues.add(operand.path, 'type', {
      zh: `类型不一致：应为 ${expected}，收到 ${describe(operand.typed.type)}`,
      en: `types do not match: expected ${expected}, got ${describe(operand.typed.type)}`,
    }, { expected, received: describe(operand.typed.type) })
  }
  return { items, type: INVALID }
}

function firstReal(items: Typed[]): ValueType {
  return items.find((item) => item.type.kind !== 'null')?.type ?? NULL
}
