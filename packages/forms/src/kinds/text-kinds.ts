import { checkBankAccount, normalizeBankAccount } from './bank-account.js'
import { checkRegion, normalizeRegion } from './china-region.js'
import { checkDateTime, normalizeDateTime } from './date-time-text.js'
import { checkEmail, normalizeEmail } from './email-address.js'
import { checkPhone, normalizePhone } from './phone-number.js'
import { checkUscc, normalizeUscc } from './uscc.js'

/**
 * Field types whose JSON value is text of a known shape. Each kind says
 * why a text is not of its shape (a reason that picks the message) and
 * how a valid text is stored. The `x-kind` schema keyword runs `check`;
 * normalizeValues runs `normalize`.
 */
export interface TextKind {
  check(text: string, options: TextKindOptions): string | undefined
  normalize(text: string): string
}

/** The schema value of `x-kind`: `{ "kind": "region", "depth": 2 }`. */
export interface TextKindOptions {
  kind: TextKindName
  depth?: number
}

export const TEXT_KINDS = {
  phone: { check: checkPhone, normalize: (text) => normalizePhone(text) ?? text },
  email: { check: checkEmail, normalize: normalizeEmail },
  bank_account: { check: checkBankAccount, normalize: normalizeBankAccount },
  region: { check: (text, options) => checkRegion(text, options.depth), normalize: normalizeRegion },
  uscc: { check: checkUscc, normalize: normalizeUscc },
  datetime: { check: checkDateTime, normalize: normalizeDateTime },
} satisfies Record<string, TextKind>

export type TextKindName = keyof typeof TEXT_KINDS

export const TEXT_KIND_NAMES = Object.keys(TEXT_KINDS) as TextKindName[]

export function isTextKind(name: string): name is TextKindName {
  return Object.hasOwn(TEXT_KINDS, name)
}
