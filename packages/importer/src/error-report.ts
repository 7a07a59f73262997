import type { Locale } from '@tessera/core'
import type { ImportError } from './run-import.js'

const HEADERS: Record<Locale, string[]> = {
  'zh-CN': ['行号', '列', '值', '问题'],
  en: ['Line', 'Column', 'Value', 'Problem'],
}

/**
 * The problems of a rejected import as a CSV file to download and fix the
 * file by: UTF-8 with a byte-order mark (so Excel reads the Chinese), one
 * row per problem with its line, column, value and message. Values that a
 * spreadsheet would run as a formula are prefixed with an apostrophe.
 *
 * @example
 * importErrorsCsv([{ line: 3, column: '金额', value: 'abc', message: '「金额」应为数字' }], 'zh-CN')
 * // "\uFEFF行号,列,值,问题\r\n3,金额,abc,「金额」应为数字\r\n"
 */
export function importErrorsCsv(errors: readonly ImportError[], locale: Locale): string {
  const lines = [HEADERS[locale].map((text) => cell(text))]
  for (const error of errors) {
    const value = error.value === undefined || error.value === null ? '' : String(error.value)
    lines.push([String(error.line), cell(error.column), cell(value), cell(error.message)])
  }
  return `\uFEFF${lines.map((line) => line.join(',')).join('\r\n')}\r\n`
}

function cell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}
