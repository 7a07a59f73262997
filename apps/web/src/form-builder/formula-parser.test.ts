import { describe, expect, it } from 'vitest'
import type { FormDefinition } from '@tessera/core'
import { checkFormDefinition, prepareRecord } from '@tessera/forms'
import { parseFormula } from './formula-parser.js'
import { formatFormula } from './formula-printer.js'
import { logicVars } from './value-kinds.js'

const form: FormDefinition = {
  key: 'quote',
  label: '报价',
  fields: [
    { key: 'price', type: 'money', label: '单价' },
    { key: 'quantity', type: 'number', label: '数量', integer: true },
    { key: 'tax_rate', type: 'percent', label: '税率' },
    { key: 'name', type: 'text', label: '名称' },
    { key: 'urgent', type: 'boolean', label: '加急' },
    { key: 'start', type: 'date', label: '开始' },
    { key: 'end', type: 'date', label: '结束' },
    { key: 'items', type: 'lines', label: '明细', fields: [
      { key: 'amount', type: 'money', label: '金额' },
    ] },
  ],
}
const vars = logicVars(form)

function logicOf(text: string) {
  const result = parseFormula(text, vars)
  if (!result.ok) throw new Error(`${text}: ${JSON.stringify(result.error)}`)
  return result.logic
}

/** Runs a formula with the engine's own evaluator, as a field of the form. */
function evaluate(text: string, result: 'money' | 'number' | 'date' | 'text' | 'boolean', values: Record<string, unknown>) {
  const definition = checkFormDefinition({
    ...form,
    fields: [...form.fields, { key: 'out', type: 'formula', label: '结果', result, expression: logicOf(text) }],
  })
  const published = { app: 'a', key: 'quote', version: Math.floor(Math.random() * 1e9), definition,
    table: { schema: 'a', name: 'quote' } }
  return prepareRecord(published, values, { locale: 'zh-CN', today: '2026-03-01' }).values.out
}

describe('parseFormula', () => {
  it('turns arithmetic into exact decimal operators, keeping precedence', () => {
    expect(logicOf('price * quantity')).toEqual({ 'dec*': [{ var: 'price' }, { var: 'quantity' }] })
    expect(logicOf('price * (1 + tax_rate)')).toEqual(
      { 'dec*': [{ var: 'price' }, { 'dec+': [1, { var: 'tax_rate' }] }] })
    expect(logicOf('price + quantity * 0.5')).toEqual(
      { 'dec+': [{ var: 'price' }, { 'dec*': [{ var: 'quantity' }, '0.5'] }] })
    expect(evaluate('price * quantity * (1 + tax_rate)', 'money',
      { price: '0.10', quantity: 3, tax_rate: '0.13' })).toBe('0.34')
    expect(evaluate('round(price / 3, 2)', 'money', { price: '10.00' })).toBe('3.33')
  })

  it('compares dates as dates, numbers as decimals, text as text', () => {
    expect(logicOf('end >= start')).toEqual({ 'date>=': [{ var: 'end' }, { var: 'start' }] })
    expect(logicOf('price > 100')).toEqual({ 'dec>': [{ var: 'price' }, 100] })
    expect(logicOf('name = "VIP"')).toEqual({ '==': [{ var: 'name' }, 'VIP'] })
    expect(logicOf('price != 0 and not urgent')).toEqual({ and: [
      { '!': [{ 'dec==': [{ var: 'price' }, 0] }] }, { '!': [{ var: 'urgent' }] }] })
    expect(evaluate('end - start', 'number', { start: '2026-01-30', end: '2026-03-01' })).toBe(30)
    expect(evaluate('start + 30', 'date', { start: '2026-01-31' })).toBe('2026-03-02')
    expect(evaluate('sum(items.amount)', 'money', { items: [{ amount: '0.10' }, { amount: '0.20' }] })).toBe('0.30')
    expect(evaluate('if(urgent, price * 2, price)', 'money', { urgent: true, price: '5' })).toBe('10.00')
    expect(evaluate('concat(name, "-", upper("x"))', 'text', { name: '甲' })).toBe('甲-X')
  })

  it('accepts full-width punctuation typed with a Chinese keyboard', () => {
    expect(logicOf('round（price × quantity，2）')).toEqual(
      { dec_round: [{ 'dec*': [{ var: 'price' }, { var: 'quantity' }] }, 2] })
  })

  it('says what is wrong and where, instead of throwing', () => {
    const error = (text: string) => {
      const result = parseFormula(text, vars)
      return result.ok ? undefined : result.error
    }
    expect(error('')).toEqual({ code: 'empty', position: 0 })
    expect(error('price *')).toMatchObject({ code: 'empty', position: 7 })
    expect(error('price * qty')).toEqual({ code: 'unknownField', position: 8, name: 'qty' })
    expect(error('price * (quantity')).toMatchObject({ code: 'unexpected', position: 17 })
    expect(error('price quantity')).toMatchObject({ code: 'trailing', position: 6, name: 'quantity' })
    expect(error('name = "VIP')).toMatchObject({ code: 'unterminated', position: 7 })
    expect(error('sqrt(price)')).toMatchObject({ code: 'unknownFunction', name: 'sqrt' })
    expect(error('round(price)')).toMatchObject({ code: 'argCount', name: 'round' })
    expect(error('round(price, 1.5)')).toMatchObject({ code: 'needInteger' })
    expect(error('sum(price)')).toMatchObject({ code: 'needLines' })
    expect(error('price # 2')).toMatchObject({ code: 'unexpected', name: '#' })
    expect(error('items')).toMatchObject({ code: 'unknownField', name: 'items' })
  })
})

describe('formatFormula', () => {
  it('writes back what the parser reads, with parentheses only where needed', () => {
    const texts = [
      'price * quantity',
      'price * (1 + tax_rate)',
      'price + quantity * 0.5',
      'price - quantity - (quantity - price)',
      'round(price / 3, 2)',
      'end >= start and (urgent or name == "VIP")',
      'not urgent and price != 0',
      'sum(items.amount) - -price',
      'if(urgent, add_days(start, 3), today())',
    ]
    for (const text of texts) {
      expect(formatFormula(logicOf(text))).toBe(text)
      expect(logicOf(formatFormula(logicOf(text))!)).toEqual(logicOf(text))
    }
  })

  it('reads formulas written by hand in templates, n-ary sums included', () => {
    expect(formatFormula({ 'dec+': [{ var: 'a' }, { var: 'b' }, { var: 'c' }] })).toBe('a + b + c')
    expect(formatFormula({ days_between: [{ var: 'invoice_date' }, { var: 'due_date' }] }))
      .toBe('days_between(invoice_date, due_date)')
  })

  it('gives up on logic the formula box cannot write', () => {
    expect(formatFormula({ reduce: [{ var: 'items' }, 1, 0] })).toBeUndefined()
    expect(formatFormula({ var: ['a', 0] })).toBeUndefined()
    expect(formatFormula({ 'dec+': [1, 2], extra: 1 })).toBeUndefined()
  })
})
