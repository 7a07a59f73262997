/**
 * How many significant digits a number has as written: leading and
 * trailing zeros do not count, an exponent does not count. A number with at
 * most `EXACT_DIGITS` of them survives the trip through a JavaScript number
 * (a double) unchanged; a longer one may not (12345678901234567 becomes
 * 12345678901234568), so number fields refuse it rather than store
 * another value than the one given.
 *
 * @example
 * significantDigits('0.00120') // 2
 * significantDigits('-1.5e+21') // 2
 * significantDigits(String(12345678901234567)) // 17: it reads 12345678901234568
 */
export function significantDigits(text: string): number {
  const mantissa = text.trim().replace(/^[+-]/, '').split(/e/i)[0]
  return mantissa.replace('.', '').replace(/^0+/, '').replace(/0+$/, '').length
}

/** The most significant digits a number field keeps exactly. */
export const EXACT_DIGITS = 15
