import { ungroupedNumber } from './decimal-text.js'
import type { ColumnSpec } from './mapping.js'

/** A refused cell's reason, in English (`reason`, after the column's name) and in Chinese (`reasonZh`). */
export type CellResult = { ok: true; value: unknown } | { ok: false; reason: string; reasonZh: string }

const DECIMAL = /^-?\d{1,18}(\.\d+)?$/
const INTEGER = /^-?\d{1,15}$/

/** Parses one CSV cell by its column spec; empty cells become null. */
export function parseCell(raw: string | undefined, spec: ColumnSpec): CellResult {
  const text = (raw ?? '').trim()
  if (text.includes('\u0000')) return { ok: false, reason: 'contains a NUL character, which no text field can hold', reasonZh: '含有不能保存的 NUL 字符' }
  if (text === '') {
    return spec.required ? { ok: false, reason: 'is required but empty', reasonZh: '必填，但为空' } : { ok: true, value: null }
  }
  switch (spec.type) {
    case 'text':
      if (spec.enum && !spec.enum.includes(text)) {
        return {
          ok: false,
          reason: `must be one of ${spec.enum.join(', ')}, got "${text}"`,
          reasonZh: `应为 ${spec.enum.join('、')} 之一，收到「${text}」`,
        }
      }
      return { ok: true, value: text }
    case 'decimal': {
      const plain = ungroupedNumber(text)
      if (plain === undefined || !DECIMAL.test(plain)) {
        return { ok: false, reason: `expected a decimal number such as 1234.56 or 1,234.56 (a comma only between thousands), got "${text}"`, reasonZh: `应为数字（如 1234.56 或 1,234.56，逗号只能作千位分隔），收到「${text}」` }
      }
      return { ok: true, value: plain }
    }
    case 'integer':
      if (!INTEGER.test(text)) {
        return { ok: false, reason: `expected a whole number, got "${text}"`, reasonZh: `应为整数，收到「${text}」` }
      }
      return { ok: true, value: Number(text) }
    case 'date': {
      const format = spec.format ?? 'YYYY-MM-DD'
      const value = parseDate(text, format)
      return value ? { ok: true, value } : { ok: false, reason: `expected a date as ${format}, got "${text}"`, reasonZh: `应为 ${format} 格式的有效日期，收到「${text}」` }
    }
  }
}

/** A calendar date in the given layout → "YYYY-MM-DD", or undefined. */
export function parseDate(text: string, format: string): string | undefined {
  let y: number, m: number, d: number
  let match: RegExpExecArray | null
  if (format === 'YYYYMMDD' && (match = /^(\d{4})(\d{2})(\d{2})$/.exec(text))) {
    ;[y, m, d] = [match[1], match[2], match[3]].map(Number)
  } else if ((match = /^(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})$/.exec(text))) {
    const [a, b, c] = [match[1], match[2], match[3]].map(Number)
    if (format === 'M/D/YYYY') [m, d, y] = [a, b, c]
    else if (format === 'D/M/YYYY') [d, m, y] = [a, b, c]
    else if (format === 'YYYY-MM-DD' || format === 'YYYY/M/D') [y, m, d] = [a, b, c]
    else return undefined
  } else {
    return undefined
  }
  if (y < 1000 || y > 9999) return undefined
  const date = new Date(Date.UTC(y, m - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined
  return date.toISOString().slice(0, 10)
}
