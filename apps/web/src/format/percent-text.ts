import { Dec, isDecimalString } from '@tessera/core'

/**
 * Percent fields travel as fractions ("0.13"); people read and type
 * percentages ("13"). Both conversions work on decimal text, never on
 * floats, so "0.07" never turns into 7.000000000000001 %.
 *
 * @example
 * fractionToPercent('0.1300', 2) // "13.00"
 * percentToFraction('13.5')      // "0.135"
 */
export function fractionToPercent(fraction: string, scale?: number): string {
  if (!isDecimalString(fraction)) return fraction
  const percent = new Dec(fraction).times(100)
  return scale === undefined ? percent.toFixed() : percent.toFixed(scale)
}

/** The fraction a typed percentage stands for; other text comes back as it was. */
export function percentToFraction(text: string): string | null {
  const clean = text.replace(/[,\s，%％]/g, '')
  if (clean === '') return null
  if (!isDecimalString(clean)) return text
  const fraction = new Dec(clean).div(100)
  return fraction.isZero() ? '0' : fraction.toFixed()
}
