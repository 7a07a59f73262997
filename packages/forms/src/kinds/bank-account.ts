/**
 * Bank account numbers: 8 to 30 digits, typed with or without spaces
 * (often in groups of four), stored as the digits alone.
 *
 * @example
 * normalizeBankAccount('6222 0212 3456 7890') // "6222021234567890"
 */
export const BANK_ACCOUNT_LENGTH = { min: 8, max: 30 } as const

export type BankAccountProblem = 'format' | 'length'

export function checkBankAccount(text: string): BankAccountProblem | undefined {
  const digits = normalizeBankAccount(text)
  if (!/^\d+$/.test(digits)) return 'format'
  const { min, max } = BANK_ACCOUNT_LENGTH
  return digits.length < min || digits.length > max ? 'length' : undefined
}

export function normalizeBankAccount(text: string): string {
  return text.replace(/[\s\u3000]+/g, '')
}

/** Digits in groups of four for reading: "6222 0212 3456 7890". */
export function groupBankAccount(digits: string): string {
  return digits.replace(/(\d{4})(?=\d)/g, '$1 ')
}
