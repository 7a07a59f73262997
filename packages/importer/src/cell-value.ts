import {
  Dec,
  fromWallClock,
  isDecimalString,
  isIsoDate,
  localize,
  type FieldDefinition,
  type Locale,
  type SelectOption,
} from '@tessera/core'
import { parseDateText } from '@tessera/logic'
import { ungroupedNumber } from './decimal-text.js'
import type { Cell } from './read-table.js'

export type CellOutcome = { ok: true; value: unknown } | { ok: false; problem: CellProblem }

export type CellProblem = 'number' | 'date' | 'no_such_day' | 'datetime' | 'boolean' | 'option'

export interface CellOptions {
  /** The company time zone: Excel date-times are its wall clock. */
  timeZone: string
}

const YES = new Set(['是', 'yes', 'y', 'true', '1', '√', '✓', '对'])
const NO = new Set(['否', 'no', 'n', 'false', '0', '×', '✗', '错'])
const CHINESE_DATE = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?$/
const EXCEL_EPOCH = Date.UTC(1899, 11, 30)

/**
 * Turns one cell of an imported file into the JSON value of a field, the
 * way people fill spreadsheets: numbers with thousands separators, money
 * as Excel numbers or text, "13%" for a percent (a bare number is the
 * fraction, as Excel stores percentages), dates as Excel dates,
 * "2025-03-14", "2025/3/14", "20250314" or "2025年3月14日", yes/no as
 * 是/否, yes/no, true/false or 1/0, options by value or label (several
 * separated by , ， 、 or ;), links by the linked record's title. What
 * cannot be read is a problem for the row; everything else is left to the
 * form's own validation.
 *
 * @example
 * cellValue(amountField, '1,234.5', options) // { ok: true, value: '1234.5' }
 */
export function cellValue(field: FieldDefinition, cell: Cell, options: CellOptions): CellOutcome {
  if (cell === null || (typeof cell === 'string' && cell.trim() === '')) return ok(null)
  const text = typeof cell === 'string' ? cell.trim() : undefined

  switch (field.type) {
    case 'number':
      return numberOf(cell, (value) => Number(value))
    case 'money':
      return numberOf(cell, (value) => value)
    case 'percent':
      if (text?.endsWith('%') || text?.endsWith('％')) {
        return numberOf(text.slice(0, -1), (value) => new Dec(value).div(100).toFixed())
      }
      return numberOf(cell, (value) => value)
    case 'date':
      return dateOf(cell)
    case 'datetime':
      return dateTimeOf(cell, options.timeZone)
    case 'boolean':
      return booleanOf(cell)
    case 'select':
      return optionOf(field.options, String(cell))
    case 'multiselect': {
      const values = []
      for (const part of String(cell).split(/[,，、;；]/).map((one) => one.trim()).filter(Boolean)) {
        const option = optionOf(field.options, part)
        if (!option.ok) return option
        values.push(option.value)
      }
      return ok(values)
    }
    default:
      return ok(typeof cell === 'number' ? plainNumber(cell) : text ?? String(cell))
  }
}

function ok(value: unknown): CellOutcome {
  return { ok: true, value }
}

function fail(problem: CellProblem): CellOutcome {
  return { ok: false, problem }
}

function numberOf(cell: Cell, as: (decimal: string) => unknown): CellOutcome {
  if (typeof cell === 'number' && Number.isFinite(cell)) return ok(as(plainNumber(cell)))
  const text = ungroupedNumber(String(cell))
  return text !== undefined && isDecimalString(text) ? ok(as(text)) : fail('number')
}

/**
 * An Excel number as plain decimal text, never with an exponent (1e21 →
 * "1000000000000000000000"), to the 15 significant digits Excel keeps and
 * shows: a sum worked out in the sheet as 0.30000000000000004 is the 0.3
 * its cell shows.
 */
function plainNumber(value: number): string {
  return new Dec(value.toPrecision(15)).toFixed()
}

function dateOf(cell: Cell): CellOutcome {
  if (cell instanceof Date) return ok(cell.toISOString().slice(0, 10))
  if (typeof cell === 'number') return ok(excelSerialDate(cell))
  const text = String(cell).trim()
  const chinese = CHINESE_DATE.exec(text)
  if (chinese) {
    const iso = `${chinese[1]}-${chinese[2].padStart(2, '0')}-${chinese[3].padStart(2, '0')}`
    return isIsoDate(iso) ? ok(iso) : fail('no_such_day')
  }
  const parsed = parseDateText(text)
  if (parsed.ok) return ok(parsed.date)
  // Written as a date, but a day the month does not have (2026/11/31).
  return fail(DATE_SHAPED.test(text) ? 'no_such_day' : 'date')
}

/** Text laid out as a year, month and day, whether or not that day exists. */
const DATE_SHAPED = /^(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{8}|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日?)$/

function dateTimeOf(cell: Cell, timeZone: string): CellOutcome {
  if (cell instanceof Date) return ok(fromWallClock(cell.toISOString().slice(0, 19), timeZone))
  const text = String(cell).trim().replace('T', ' ')
  if (/(Z|[+-]\d{2}:?\d{2})$/i.test(text)) return ok(text.replace(' ', 'T'))
  const wall = fromWallClock(text.length === 10 ? `${text} 00:00` : text, timeZone)
  return wall ? ok(wall) : fail('datetime')
}

function booleanOf(cell: Cell): CellOutcome {
  if (typeof cell === 'boolean') return ok(cell)
  const text = String(cell).trim().toLowerCase()
  if (YES.has(text)) return ok(true)
  if (NO.has(text)) return ok(false)
  return fail('boolean')
}

function optionOf(options: readonly SelectOption[], text: string): CellOutcome {
  const wanted = text.trim().toLowerCase()
  const labels = (option: SelectOption) =>
    [option.value, localize(option.label, 'zh-CN'), localize(option.label, 'en')]
  const found = options.find((option) => labels(option).some((label) => label.toLowerCase() === wanted))
  return found ? ok(found.value) : fail('option')
}

function excelSerialDate(serial: number): string {
  return new Date(EXCEL_EPOCH + Math.round(serial) * 86_400_000).toISOString().slice(0, 10)
}

/** Why a cell could not be read, for the row's error report. */
export function cellProblemMessage(
  problem: CellProblem,
  field: FieldDefinition,
  column: string,
  locale: Locale,
): string {
  const options = field.type === 'select' || field.type === 'multiselect'
    ? field.options.map((option) => localize(option.label, locale)).join(locale === 'en' ? ', ' : '、')
    : ''
  const zh: Record<CellProblem, string> = {
    number: `「${column}」应为数字，例如 1234.50 或 1,234.50（逗号只能作千位分隔，小数点须为 .）`,
    date: `「${column}」应为日期，例如 2025-03-14、2025/3/14 或 2025年3月14日`,
    no_such_day: `「${column}」不是存在的日期：该月没有这一天`,
    datetime: `「${column}」应为日期时间，例如 2025-03-14 09:30`,
    boolean: `「${column}」应为 是 或 否`,
    option: `「${column}」应为以下选项之一：${options}`,
  }
  const en: Record<CellProblem, string> = {
    number: `"${column}" must be a number such as 1234.50 or 1,234.50 (a comma only between thousands, a point before the decimals)`,
    date: `"${column}" must be a date such as 2025-03-14, 2025/3/14 or 20250314`,
    no_such_day: `"${column}" is no calendar date: the month has no such day`,
    datetime: `"${column}" must be a date and time such as 2025-03-14 09:30`,
    boolean: `"${column}" must be yes or no`,
    option: `"${column}" must be one of ${options}`,
  }
  return (locale === 'en' ? en : zh)[problem]
}
