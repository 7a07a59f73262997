import { Dec, isDecimalString } from '@tessera/core'

/**
 * Groups the integer part of a decimal string by thousands, working on the
 * text so that no digit is lost to a float:
 * groupDigits("-1234567.5") → "-1,234,567.5".
 */
export function groupDigits(text: string): string {
  const negative = text.startsWith('-')
  const unsigned = negative ? text.slice(1) : text
  const point = unsigned.indexOf('.')
  const whole = point < 0 ? unsigned : unsigned.slice(0, point)
  const fraction = point < 0 ? '' : unsigned.slice(point)
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',')
  return (negative ? '-' : '') + grouped + fraction
}

/**
 * Shows a decimal string with thousands separators, rounded (half up, on
 * the decimal digits themselves) to `scale` places when a scale is given:
 * formatDecimalText("1234567.5", 2) → "1,234,567.50".
 * Text that is not a decimal number is returned unchanged.
 */
export function formatDecimalText(value: string, scale?: number): string {
  const text = value.trim()
  if (!isDecimalString(text)) return value
  const fixed = scale === undefined ? text : new Dec(text).toFixed(scale)
  return groupDigits(fixed)
}

/**
 * Shows a number from JSON (counts, integer and number fields) grouped
 * by thousands, using its shortest exact decimal spelling.
 */
export function formatNumber(value: number, scale?: number): string {
  if (!Number.isFinite(value)) return String(value)
  const text = new Dec(value).toFixed()
  return formatDecimalText(text, scale)
}
