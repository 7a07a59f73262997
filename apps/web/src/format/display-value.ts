import type { FieldDefinition, Locale, SelectOption } from '@tessera/core'
import { assertNever, DEFAULT_TIME_ZONE, localize } from '@tessera/core'
import { DEFAULT_PERCENT_SCALE, groupBankAccount, storedAs } from '@tessera/forms'
import type { ReportColumnType } from '../api/types.js'
import { formatDecimalText, formatNumber } from './decimal-text.js'
import { fractionToPercent } from './percent-text.js'
import { toWallClock } from './zoned-time.js'

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
 * show the linked record's title when the record carries one; moments
 * show the wall clock of `timeZone` (the company's, from /api/settings).
 */
export function formatFieldValue(
  field: FieldDefinition,
  value: unknown,
  locale: Locale,
  linkTitle?: string | null,
  timeZone: string = DEFAULT_TIME_ZONE,
): string {
  if (isEmpty(value)) return ''
  switch (field.type) {
    case 'money':
      return formatNumeric(value, field.scale ?? DEFAULT_MONEY_SCALE)
    case 'number':
      return formatNumeric(value, field.integer ? undefined : field.scale)
    case 'percent': {
      const percent = fractionToPercent(String(value), field.scale ?? DEFAULT_PERCENT_SCALE)
      return `${formatDecimalText(percent)}%`
    }
    case 'select':
      return optionLabel(field.options, value, locale)
    case 'multiselect': {
      const values = Array.isArray(value) ? value : [value]
      const labels = values.map((one) => optionLabel(field.options, one, locale))
      return labels.join(locale === 'en' ? ', ' : '、')
    }
    case 'boolean':
      return value === true ? YES_NO[locale][0] : YES_NO[locale][1]
    case 'datetime':
      return toWallClock(String(value), timeZone).slice(0, 16)
    case 'bank_account':
      return groupBankAccount(String(value))
    case 'link':
      return linkTitle ?? `#${String(value)}`
    case 'member':
    case 'department': {
      if (linkTitle) return linkTitle
      const ids = Array.isArray(value) ? value : [value]
      return ids.map((id) => `#${String(id)}`).join(locale === 'en' ? ', ' : '、')
    }
    case 'attachment': {
      const files = Array.isArray(value) ? (value as { name?: unknown }[]) : []
      return files.map((file) => String(file.name ?? '')).join(locale === 'en' ? ', ' : '、')
    }
    case 'formula':
    case 'autonumber':
    case 'rollup':
    case 'lookup':
      return formatFieldValue(storedAs(field), value, locale, linkTitle, timeZone)
    case 'lines': {
      const count = Array.isArray(value) ? value.length : 0
      return locale === 'en' ? `${count} row(s)` : `${count} 行`
    }
    case 'text':
    case 'date':
    case 'phone':
    case 'email':
    case 'region':
    case 'uscc':
      return String(value)
    default:
      return assertNever(field, 'field type')
  }
}

const YES_NO: Record<Locale, [string, string]> = { 'zh-CN': ['是', '否'], en: ['Yes', 'No'] }

function optionLabel(options: readonly SelectOption[], value: unknown, locale: Locale): string {
  const option = options.find((candidate) => candidate.value === value)
  return option ? localize(option.label, locale) : String(value)
}
