import type { LocalizedText } from './localized.js'

/**
 * A check across fields of one record: where `when` holds (always, when
 * absent), `assert` must hold, else `message` is shown on each of
 * `fields`. The rule is skipped while any of `fields` is empty, so an
 * optional field left blank breaks no rule. Both are json-logic over the
 * record's values, run by @tessera/logic in the browser and on the server.
 *
 * @example
 * { "key": "due_after_invoice",
 *   "assert": { "date>=": [{ "var": "due_date" }, { "var": "invoice_date" }] },
 *   "message": { "zh-CN": "到期日不能早于开票日期", "en": "The due date cannot be before the invoice date" },
 *   "fields": ["due_date", "invoice_date"] }
 */
export interface FormRule {
  key: string
  when?: unknown
  assert: unknown
  message: LocalizedText
  /** Fields the message belongs to; the record as a whole when absent. */
  fields?: string[]
}

/**
 * A limit across records: for each record that `per` (a link field of
 * this form) points at, the sum of `sum` over this form's records linking
 * to it may not exceed that record's `max` field. Checked inside every
 * write that could break it (a record of this form written, or the linked
 * record's limit changed), with the linked record locked, so concurrent
 * writers cannot together exceed it.
 *
 * @example
 * { "key": "within_receipt", "per": "receipt", "sum": "amount", "max": "amount",
 *   "message": { "zh-CN": "核销总额不能超过收款金额", "en": "Allocations cannot exceed the receipt" } }
 */
/**
 * Values that must agree across linked records: each path is a field of
 * this form or `link.field`, a field of the record a link points at, and
 * wherever two of them are filled they must be equal, or with `compare`
 * in that order: `"<="` each on or before (at most) the next, `"<"`
 * strictly before. Checked inside every write of this form; a refusal
 * names the rule's message on the first link of the paths (an ordered
 * one on its first field of this form).
 *
 * @example
 * { "key": "same_customer", "paths": ["customer", "order.customer"],
 *   "message": { "zh-CN": "客户须与订单的客户一致", "en": "The customer must be the order's customer" } }
 * { "key": "after_invoice", "paths": ["invoice.invoice_date", "date"], "compare": "<=",
 *   "message": { "zh-CN": "核销日期不能早于开票日期", "en": "An allocation cannot predate its invoice" } }
 */
export interface FormAgreement {
  key: string
  paths: string[]
  /** How the values must agree: equal (`"=="`, the default), or in order. */
  compare?: AgreementCompare
  message: LocalizedText
}

export type AgreementCompare = '==' | '<=' | '<'
export const AGREEMENT_COMPARES: readonly AgreementCompare[] = ['==', '<=', '<']

export interface FormConstraint {
  key: string
  per: string
  sum: string
  max: string
  message: LocalizedText
}
