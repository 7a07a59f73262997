import type { FormDefinition } from '@tessera/core'
import { describe, expect, it } from 'vitest'
import { cleanMoneyText, finishMoneyText, initialFormValues, recordValues } from './form-values.js'

const invoice: FormDefinition = {
  key: 'invoice',
  label: '发票',
  fields: [
    { key: 'number', type: 'text', label: '发票号' },
    { key: 'amount', type: 'money', label: '金额' },
    { key: 'customer', type: 'link', form: 'customer', label: '客户' },
  ],
}

describe('form values', () => {
  it('start from the record’s JSON values, leaving empties out', () => {
    const record = {
      id: 1,
      version: 3,
      createdAt: '',
      createdBy: '',
      updatedAt: '',
      updatedBy: '',
      values: { number: 'INV-1', amount: '12.50', customer: null, unknown: 1 },
    }
    expect(initialFormValues(invoice, record)).toEqual({ number: 'INV-1', amount: '12.50' })
  })

  it('send every field, empty inputs as null so that a PATCH can clear them', () => {
    expect(recordValues(invoice, { number: '', amount: '0.10', extra: 'x' })).toEqual({
      number: null,
      amount: '0.10',
      customer: null,
    })
  })
})

describe('money text', () => {
  it('accepts what may become a decimal while typing, separators stripped', () => {
    expect(cleanMoneyText('1,234.5')).toBe('1234.5')
    expect(cleanMoneyText('1，234')).toBe('1234')
    expect(cleanMoneyText('-')).toBe('-')
    expect(cleanMoneyText('12.')).toBe('12.')
    expect(cleanMoneyText('1.2.3')).toBeUndefined()
    expect(cleanMoneyText('1e5')).toBeUndefined()
  })

  it('reads an amount pasted from a bank statement or an invoice', () => {
    expect(cleanMoneyText('¥700.00')).toBe('700.00')
    expect(cleanMoneyText('￥ 1,234.56')).toBe('1234.56')
    expect(cleanMoneyText('RMB 700.00')).toBe('700.00')
    expect(cleanMoneyText('700.00 元')).toBe('700.00')
    expect(cleanMoneyText('CNY1,000')).toBe('1000')
    expect(cleanMoneyText('７００．５０')).toBe('700.50')
    expect(cleanMoneyText('－１２')).toBe('-12')
    expect(cleanMoneyText('1，234，567．8')).toBe('1234567.8')
  })

  it('refuses separators out of place rather than guess what they meant', () => {
    expect(cleanMoneyText('700，50')).toBeUndefined()
    expect(cleanMoneyText('1,23')).toBeUndefined()
    expect(cleanMoneyText('12,345,6')).toBeUndefined()
    expect(cleanMoneyText('¥abc')).toBeUndefined()
  })

  it('finishes to the field scale by text', () => {
    expect(finishMoneyText('12.5', 2)).toBe('12.50')
    expect(finishMoneyText('0012', 2)).toBe('12.00')
    expect(finishMoneyText('.5', 2)).toBe('0.50')
    expect(finishMoneyText('-0', 2)).toBe('0.00')
    expect(finishMoneyText('12', 0)).toBe('12')
    expect(finishMoneyText('-', 2)).toBeNull()
    expect(finishMoneyText('', 2)).toBeNull()
  })

  it('keeps digits beyond the scale for validation to name, never rounds them away', () => {
    expect(finishMoneyText('1.005', 2)).toBe('1.005')
    expect(finishMoneyText('9007199254740993.1', 2)).toBe('9007199254740993.10')
  })
})
