import { describe, expect, it } from 'vitest'
import { normalizeValues } from './normalize-values.js'
import { INVOICE, publish } from './test-forms.js'

const form = publish(INVOICE)

describe('normalizeValues', () => {
  it('pads money to the field scale', () => {
    const result = normalizeValues(form, { amount: '12.5', fee: '3' })
    expect(result).toEqual({ amount: '12.50', fee: '3.000' })
  })

  it('writes a negative zero as zero', () => {
    expect(normalizeValues(form, { amount: '-0' })).toEqual({ amount: '0.00' })
  })

  it('trims text and turns empty optional values into null', () => {
    const result = normalizeValues(form, {
      number: '  INV-1 ',
      note: '   ',
      fee: '',
      due_date: '',
      status: '',
    })
    expect(result).toEqual({ number: 'INV-1', note: null, fee: null, due_date: null, status: null })
  })

  it('leaves other values, absent keys and unknown keys alone', () => {
    const values = { quantity: 3, rate: 0.5, customer: 7, due_date: '2025-01-01', extra: ' x ' }
    const result = normalizeValues(form, values)
    expect(result).toEqual(values)
    expect(result).not.toBe(values)
    expect('note' in result).toBe(false)
  })
})
