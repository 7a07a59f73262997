import { describe, expect, it } from 'vitest'
import { isTesseraError, type FieldIssue } from '@tessera/core'
import { checkFormDefinition } from './check-form-definition.js'
import { REQUEST, SUPPLIER } from './test-forms.js'

function issuesOf(def: unknown): [string | undefined, string, string][] {
  try {
    checkFormDefinition(def)
  } catch (error) {
    if (!isTesseraError(error)) throw error
    return error.issues.map((issue: FieldIssue) => [issue.field, issue.rule, issue.message])
  }
  return []
}

const money = (key: string) => ({ key, type: 'money', label: key })
const formula = (key: string, expression: unknown, extra: Record<string, unknown> = {}) =>
  ({ key, type: 'formula', label: key, result: 'money', expression, ...extra })
const sample = (fields: unknown[], extra: Record<string, unknown> = {}) =>
  ({ key: 'sample', label: '样例', fields, ...extra })

describe('checkFormDefinition: form logic', () => {
  it('accepts forms with conditions, formulas, autonumbers and rules', () => {
    expect(issuesOf(REQUEST)).toEqual([])
    expect(issuesOf(SUPPLIER)).toEqual([])
  })

  it('checks conditions: allowed operators and fields of the form only', () => {
    const def = sample([
      money('a'),
      { ...money('b'), visibleWhen: { method: [{ var: 'a' }, 'toString'] } },
      { ...money('c'), requiredWhen: { 'dec>': [{ var: 'nope' }, 1] } },
      { ...money('d'), visibleWhen: { var: 'a.constructor' } },
    ])
    expect(issuesOf(def)).toEqual([
      ['fields[1].visibleWhen', 'operator', 'operator "method" is not allowed'],
      ['fields[2].requiredWhen.dec>[0].var', 'var', 'data path "nope" does not exist'],
      ['fields[3].visibleWhen.var', 'var',
        'data path "a.constructor" uses the forbidden segment "constructor"'],
    ])
  })

  it('finds formulas that read each other in a circle, and required computed fields', () => {
    const def = sample([
      money('a'),
      formula('x', { 'dec+': [{ var: 'a' }, { var: 'y' }] }),
      formula('y', { 'dec*': [{ var: 'x' }, 2] }, { required: true }),
    ])
    expect(issuesOf(def)).toEqual([
      ['fields[2].required', 'conflict', 'a formula is computed, so it cannot be required'],
      ['fields[1].expression', 'cycle', 'formulas read each other in a circle: x → y → x'],
    ])
    const self = sample([formula('z', { 'dec+': [{ var: 'z' }, 1] })])
    expect(issuesOf(self)[0][2]).toBe('formulas read each other in a circle: z → z')
  })

  it('checks a formula result type and its scale', () => {
    const def = sample([
      formula('a', 1, { result: 'colour' }),
      formula('b', 1, { result: 'percent', scale: 5 }),
      formula('c', 1, { result: 'number', currency: 'CNY' }),
    ])
    expect(issuesOf(def).map(([field, rule]) => [field, rule])).toEqual([
      ['fields[0].result', 'enum'],
      ['fields[1].scale', 'range'],
      ['fields[2].currency', 'conflict'],
    ])
  })

  it('checks autonumber patterns', () => {
    const def = sample([
      { key: 'n', type: 'autonumber', label: 'n', pattern: 'AR-{YYYY}' },
      { key: 'm', type: 'autonumber', label: 'm', pattern: 'AR-{Q}-{000}' },
    ])
    expect(issuesOf(def)).toEqual([
      ['fields[0].pattern', 'pattern',
        'pattern "AR-{YYYY}" needs exactly one sequence token such as {0000}, found 0'],
      ['fields[1].pattern', 'pattern', 'pattern "AR-{Q}-{000}" has an unknown token {Q}; ' +
        'expected {YYYY}, {YY}, {MM}, {DD} or zeros such as {0000}'],
    ])
  })

  it('checks rules: keys, named fields and their json-logic', () => {
    const message = { 'zh-CN': '错', en: 'wrong' }
    const def = sample([money('a')], {
      rules: [
        { key: 'ok', assert: { 'dec>': [{ var: 'a' }, 0] }, message, fields: ['a'] },
        { key: 'ok', assert: true, message, fields: ['zz'] },
        { key: 'Bad Key', when: { log: 1 }, assert: true, message },
        { key: 'no_message', assert: true },
      ],
    })
    expect(issuesOf(def)).toEqual([
      ['rules[3].message', 'required', 'is required'],
      ['rules[1].key', 'duplicate', 'rule key "ok" is used twice'],
      ['rules[1].fields[0]', 'reference', '"zz" is not a field of this form'],
      ['rules[2].key', 'key', 'rule key "Bad Key" must match /^[a-z][a-z0-9_]{0,39}$/'],
      ['rules[2].when', 'operator', 'operator "log" is not allowed'],
    ])
  })

  it('lets an autonumber name records', () => {
    const def = sample([{ key: 'n', type: 'autonumber', label: 'n', pattern: '{000}' }], {
      titleField: 'n',
    })
    expect(issuesOf(def)).toEqual([])
  })
})
