import type { FormDefinition } from '@tessera/core'
import { describe, expect, it } from 'vitest'
import { boundInputs, pickerBounds } from './picker-bounds.js'

const allocation: FormDefinition = {
  key: 'allocation',
  label: '核销',
  fields: [
    { key: 'receipt', type: 'link', form: 'receipt', label: '收款' },
    { key: 'invoice', type: 'link', form: 'invoice', label: '发票' },
    { key: 'date', type: 'date', label: '日期' },
  ],
  agreements: [
    { key: 'same_customer', paths: ['receipt.customer', 'invoice.customer'], message: '同一客户' },
    { key: 'after_invoice', paths: ['invoice.invoice_date', 'date'], compare: '<=', message: '不早于发票' },
    { key: 'after_receipt', paths: ['receipt.date', 'date'], compare: '<=', message: '不早于收款' },
  ],
}

describe('pickerBounds', () => {
  it('bounds an invoice picker by the receipt\'s customer and, from above, by the allocation\'s date', () => {
    expect(pickerBounds(allocation, 'invoice')).toEqual([
      { agreement: 'same_customer', field: 'customer', op: '==', from: 'receipt.customer' },
      { agreement: 'after_invoice', field: 'invoice_date', op: '<=', from: 'date' },
    ])
    expect(boundInputs(pickerBounds(allocation, 'invoice'))).toEqual(['receipt', 'date'])
  })

  it('bounds the receipt picker the same way from the other side', () => {
    expect(pickerBounds(allocation, 'receipt')).toEqual([
      { agreement: 'same_customer', field: 'customer', op: '==', from: 'invoice.customer' },
      { agreement: 'after_receipt', field: 'date', op: '<=', from: 'date' },
    ])
  })

  it('turns the order round for a path before the link, strictly for "<"', () => {
    const definition: FormDefinition = {
      ...allocation,
      agreements: [{ key: 'chain', paths: ['date', 'invoice.due_date', 'receipt.date'], compare: '<', message: '顺序' }],
    }
    expect(pickerBounds(definition, 'invoice')).toEqual([
      { agreement: 'chain', field: 'due_date', op: '>', from: 'date' },
      { agreement: 'chain', field: 'due_date', op: '<', from: 'receipt.date' },
    ])
  })

  it('bounds a link an agreement names as a whole by the id the other path reads', () => {
    const definition: FormDefinition = {
      ...allocation,
      agreements: [{ key: 'own', paths: ['invoice', 'receipt.invoice'], message: '同一发票' }],
    }
    expect(pickerBounds(definition, 'invoice')).toEqual([{ agreement: 'own', field: 'id', op: '==', from: 'receipt.invoice' }])
  })

  it('gives nothing for a link no agreement reads', () => {
    expect(pickerBounds(allocation, 'date')).toEqual([])
    expect(pickerBounds({ ...allocation, agreements: undefined }, 'invoice')).toEqual([])
  })
})
