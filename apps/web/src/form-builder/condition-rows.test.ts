import { describe, expect, it } from 'vitest'
import type { FormDefinition } from '@tessera/core'
import { checkFormDefinition, prepareRecord } from '@tessera/forms'
import { conditionLogic, conditionRows, operatorsFor, type ConditionState } from './condition-rows.js'
import { logicVars } from './value-kinds.js'

const form: FormDefinition = {
  key: 'receipt',
  label: '收款',
  fields: [
    { key: 'amount', type: 'money', label: '金额' },
    { key: 'method', type: 'select', label: '方式', options: [
      { value: 'cash', label: '现金' }, { value: 'acceptance', label: '承兑' }] },
    { key: 'tags', type: 'multiselect', label: '标签', options: [{ value: 'vip', label: '重点' }] },
    { key: 'urgent', type: 'boolean', label: '加急' },
    { key: 'due', type: 'date', label: '到期' },
    { key: 'issued', type: 'date', label: '开具' },
    { key: 'note', type: 'text', label: '说明' },
  ],
}
const vars = logicVars(form)

/** Whether the condition, as a visibleWhen of the note, shows the note for these values. */
function holds(state: ConditionState, values: Record<string, unknown>): boolean {
  const fields = form.fields.map((f) => (f.key === 'note' ? { ...f, visibleWhen: conditionLogic(state, vars) } : f))
  const definition = checkFormDefinition({ ...form, fields })
  const published = { app: 'a', key: 'receipt', version: Math.floor(Math.random() * 1e9), definition,
    table: { schema: 'a', name: 'receipt' } }
  return !prepareRecord(published, values, { locale: 'zh-CN' }).hidden.includes('note')
}

describe('condition rows ↔ json-logic', () => {
  it('builds one row alone and several under and/or, with operators of the field kind', () => {
    expect(conditionLogic({ mode: 'all', rows: [{ field: 'method', op: 'eq', value: 'acceptance' }] }, vars))
      .toEqual({ '==': [{ var: 'method' }, 'acceptance'] })
    expect(conditionLogic({ mode: 'any', rows: [
      { field: 'amount', op: 'gt', value: '100000' },
      { field: 'due', op: 'le', value: '2026-01-31' },
    ] }, vars)).toEqual({ or: [
      { 'dec>': [{ var: 'amount' }, '100000'] },
      { 'date<=': [{ var: 'due' }, '2026-01-31'] },
    ] })
    expect(conditionLogic({ mode: 'all', rows: [] }, vars)).toBeUndefined()
    expect(operatorsFor('boolean')).toEqual(['true', 'false', 'empty'])
  })

  it('means what the rows say when the engine runs it', () => {
    const big = { mode: 'all' as const, rows: [{ field: 'amount', op: 'ge' as const, value: '100000.00' }] }
    expect(holds(big, { amount: '100000.00' })).toBe(true)
    expect(holds(big, { amount: '99999.99' })).toBe(false)
    const both = { mode: 'all' as const, rows: [
      { field: 'urgent', op: 'true' as const, value: '' },
      { field: 'tags', op: 'contains' as const, value: 'vip' },
    ] }
    expect(holds(both, { urgent: true, tags: ['vip'] })).toBe(true)
    expect(holds(both, { urgent: true, tags: [] })).toBe(false)
    const filled = { mode: 'any' as const, rows: [
      { field: 'method', op: 'filled' as const, value: '' },
      { field: 'due', op: 'gt' as const, value: '2026-01-01' },
    ] }
    expect(holds(filled, { method: null, due: '2025-12-31' })).toBe(false)
    expect(holds(filled, { method: 'cash' })).toBe(true)
    expect(holds(filled, { due: '2026-01-02' })).toBe(true)
    const not = { mode: 'all' as const, rows: [{ field: 'method', op: 'ne' as const, value: 'cash' }] }
    expect(holds(not, { method: 'cash' })).toBe(false)
    expect(holds(not, { method: 'acceptance' })).toBe(true)
  })

  it('reads back every condition it builds, and template conditions', () => {
    const states: ConditionState[] = [
      { mode: 'all', rows: [{ field: 'method', op: 'ne', value: 'cash' }] },
      { mode: 'any', rows: [{ field: 'note', op: 'empty', value: '' }, { field: 'urgent', op: 'false', value: '' }] },
      { mode: 'all', rows: [{ field: 'tags', op: 'contains', value: 'vip' }, { field: 'amount', op: 'lt', value: '5' }] },
      { mode: 'all', rows: [{ field: 'due', op: 'filled', value: '' }] },
    ]
    for (const state of states) expect(conditionRows(conditionLogic(state, vars), vars)).toEqual(state)
    expect(conditionRows({ '==': [{ var: 'method' }, 'acceptance'] }, vars))
      .toEqual({ mode: 'all', rows: [{ field: 'method', op: 'eq', value: 'acceptance' }] })
    expect(conditionRows({ '!': { blank: { var: 'note' } } }, vars))
      .toEqual({ mode: 'all', rows: [{ field: 'note', op: 'filled', value: '' }] })
    expect(conditionRows(undefined, vars)).toEqual({ mode: 'all', rows: [] })
  })

  it('refuses to read conditions rows cannot express', () => {
    expect(conditionRows({ '>': [{ var: 'amount' }, 5] }, vars)).toBeUndefined()
    expect(conditionRows({ and: [{ or: [] }] }, vars)).toBeUndefined()
    expect(conditionRows({ '==': [{ var: 'a' }, { var: 'b' }] }, vars)).toBeUndefined()
  })

  it('compares a field with another field of its kind, and the engine reads it so', () => {
    const state: ConditionState = { mode: 'all', rows: [{ field: 'due', op: 'ge', value: '', other: 'issued' }] }
    const logic = conditionLogic(state, vars)
    expect(logic).toEqual({ 'date>=': [{ var: 'due' }, { var: 'issued' }] })
    expect(conditionRows(logic, vars)).toEqual(state)
    expect(holds(state, { due: '2026-03-01', issued: '2026-02-01' })).toBe(true)
    expect(holds(state, { due: '2026-01-31', issued: '2026-02-01' })).toBe(false)

    const differs: ConditionState = { mode: 'all', rows: [{ field: 'amount', op: 'ne', value: '', other: 'amount' }] }
    expect(conditionLogic(differs, vars)).toEqual({ '!': [{ 'dec==': [{ var: 'amount' }, { var: 'amount' }] }] })
    expect(conditionRows(conditionLogic(differs, vars), vars)).toEqual(differs)
    // A field that does not exist builds nothing rather than a broken reference.
    expect(conditionLogic({ mode: 'all', rows: [{ field: 'due', op: 'lt', value: '', other: 'gone' }] }, vars))
      .toBeUndefined()
  })
})
