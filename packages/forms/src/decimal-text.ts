import { Dec } from '@tessera/core'

/**
 * What a money value must look like: plain decimal text such as "1234.5"
 * or "-3" (no exponent, no sign "+", no separators), at most `scale` digits
 * after the point and at most `20 - scale` before it, so that it fits the
 * numeric(20, scale) column; `min` and `max` are compared exactly.
 *
 * @example
 * { "scale": 2, "min": "0" }
 */
export interface DecimalRule {
  scale: number
  min?: string
  max?: string
}

/** Why a text failed a DecimalRule; `limit` is the bound it broke. */
export type DecimalProblem =
  | { reason: 'format' }
  | { reason: 'digits' | 'scale'; limit: number }
  | { reason: 'min' | 'max'; limit: string }

/** Total digits of the numeric column money is stored in. */
export const MONEY_PRECISION = 20

const PLAIN_DECIMAL = /^-?(\d+)(?:\.(\d+))?$/

export function checkDecimalText(text: string, rule: DecimalRule): DecimalProblem | undefined {
  const match = PLAIN_DECIMAL.exec(text)
  if (!match) return { reason: 'format' }

  const [, whole, fraction = ''] = match
  const wholeDigits = whole.replace(/^0+(?=\d)/, '')
  const maxWhole = MONEY_PRECISION - rule.scale
  if (wholeDigits !== '0' && wholeDigits.length > maxWhole) {
    return { reason: 'digits', limit: maxWhole }
  }
  if (fraction.length > rule.scale) return { reason: 'scale', limit: rule.scale }

  const value = new Dec(text)
  if (rule.min !== undefined && value.lessThan(rule.min)) return { reason: 'min', limit: rule.min }
  if (rule.max !== undefined && value.greaterThan(rule.max)) {
    return { reason: 'max', limit: rule.max }
  }
  return undefined
}

/** An example value for messages: "12.50" at scale 2, "12" at scale 0. */
export function decimalExample(scale: number): string {
  return scale === 0 ? '12' : `12.${'5'.padEnd(scale, '0')}`
}
