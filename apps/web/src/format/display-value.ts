import type { FieldDefinition, Locale } from '@tessera/core'
import { localize } from '@tessera/core'
import type { ReportColumnType } from '../api/types.js'
import { formatDecimalText, formatNumber } from './decimal-text.js'

/** Scale of money when the metadata does not say. */
export const DEFAULT_MONEY_SCALE = 2

function isEmpty(value: unknown): value is null | undefined | '' {
  return value === null || value === undefined || value === ''
}

/** A numeric JSON value (number, or decimal string) grouped by thousands. */
export function formatNumeric(value: unknown, scale?: number): string {
  if (typeof value === 'number') return formatNumber(value, scale)
  if (typeof value === 'string') return formatDecimalText(value, scale)
  return isEmpty(value) ? '' : String(value)
}

/**
 * One report cell as text: money with two decimals, numbers grouped,
 * dates and text as they came.
 */
export function formatReportValue(value: unknown, type: ReportColumnType): string {
  if (isEmpty(value)) return ''
  switch (type) {
    case 'money':
      return formatNumeric(value, DEFAULT_MONEY_SCALE)
    case 'number':
    case 'integer':
      return formatNumeric(value)
    case 'text':
    case 'date':
      return String(value)
  }
}

/** True for column types whose cells align to the right. */
export function isNumericType(type: string): boolean {
  return type === 'money' || type === 'number' || type === 'integer'
}

/**
 * One field value as plain text, for lists and read-only places. Links
 * show the linked record's title when the record carries one.
 */
export function formatFieldValue(
  field: FieldDefinition,
  value: unknown,
  locale: Locale,
  linkTitle?: string | null,
): string {
  if (isEmpty(value)) return ''
  switch (field.type) {
    case 'money':
      return formatNumeric(value, field.scale ?? DEFAULT_MONEY_SCALE)
    case 'number':
      return formatNumeric(value, field.integer ? undefined : field.scale)
    case 'select': {
      const option = field.options.find((candidate) => candidate.value === value)
      return option ? localize(option.label, locale) : String(value)
    }
    case 'link':
      return linkTitle ?? `#${String(value)}`
    case 'text':
    case 'date':
      return String(value)
  }
}
