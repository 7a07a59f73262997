import type { FormDefinition } from '@tessera/core'

/**
 * What a record being filled in already says about the record a link of
 * it may point at, read from the form's agreements: an allocation whose
 * receipt is chosen may only take invoices of the receipt's customer
 * (`["receipt.customer", "invoice.customer"]`), dated on or before its own
 * date (`["invoice.invoice_date", "date"]`, `"<="`).
 */
export interface PickerBound {
  /** The agreement it comes from. */
  agreement: string
  /** A field of the linked form (`customer` of the invoice), or `id` for a path naming the link itself. */
  field: string
  /** How that field must stand against the value read through `from`. */
  op: '==' | '<=' | '<' | '>=' | '>'
  /** Where the value comes from: a field of this form, or `link.field`. */
  from: string
}

/**
 * The bounds the agreements of `definition` put on records its link field
 * `link` may point at. Only an agreement path of the form `link.field`
 * (one step through this very link), or `link` itself (the record it
 * points at, by id), bounds the picker; each other path of
 * the same agreement that does not read through `link` gives one bound.
 * Paths of an ordered agreement are in order (each on or before the next),
 * so a path before the link's bounds it from below, one after it from above.
 */
export function pickerBounds(definition: FormDefinition, link: string): PickerBound[] {
  const bounds: PickerBound[] = []
  if (definition.fields.find((field) => field.key === link)?.type !== 'link') return bounds
  for (const agreement of definition.agreements ?? []) {
    const compare = agreement.compare ?? '=='
    agreement.paths.forEach((path, at) => {
      const [head, field = 'id', ...deeper] = path.split('.')
      if (head !== link || deeper.length > 0) return
      agreement.paths.forEach((other, index) => {
        if (index === at || other.split('.')[0] === link) return
        const op = compare === '==' ? '==' : index < at ? (compare === '<' ? '>' : '>=') : compare
        bounds.push({ agreement: agreement.key, field, op, from: other })
      })
    })
  }
  return bounds
}

/** The fields of the record being filled in that `bounds` read (the first step of each `from`). */
export function boundInputs(bounds: readonly PickerBound[]): string[] {
  return [...new Set(bounds.map((bound) => bound.from.split('.')[0]))]
}
