import { describe, expect, it } from 'vitest'
import { isTesseraError, type FieldIssue } from '@tessera/core'
import { checkFormDefinition } from './check-form-definition.js'
import { INVOICE } from './test-forms.js'

function issuesOf(def: unknown, forms?: string[]): FieldIssue[] {
  try {
    checkFormDefinition(def, { forms })
  } catch (error) {
    if (isTesseraError(error) && error.code === 'metadata.invalid') return error.issues
    throw error
  }
  return []
}

/** INVOICE with some fields replaced or added. */
function withFields(...fields: unknown[]): Record<string, unknown> {
  return { key: 'sample', label: '样例', fields }
}

const text = (key: string, extra: Record<string, unknown> = {}) =>
  ({ key, type: 'text', label: key, ...extra })

describe('checkFormDefinition', () => {
  it('returns a valid definition unchanged', () => {
    const def = structuredClone(INVOICE)
    expect(checkFormDefinition(def, { forms: ['customer'] })).toBe(def)
  })

  it('refuses a formula nested deeper than 64 levels, naming the field, instead of overflowing the stack', () => {
    const chain = (levels: number) => {
      let expression: unknown = { var: 'a' }
      for (let level = 0; level < levels; level += 1) expression = { '+': [expression, 1] }
      return expression
    }
    const number = { key: 'a', type: 'number', label: 'a' }
    const formula = (levels: number) => ({ key: 'b', type: 'formula', label: 'b', result: 'number', expression: chain(levels) })
    expect(issuesOf(withFields(number, formula(5000)))).toEqual([
      expect.objectContaining({ field: 'fields[1].expression', rule: 'depth' }),
    ])
    expect(issuesOf(withFields(number, formula(20)))).toEqual([])
  })

  it('refuses a condition comparing an amount with a value that is no number, or a date with no date', () => {
    const amount = { key: 'amount', type: 'money', label: '金额' }
    const due = { key: 'due', type: 'date', label: '到期日' }
    const shownWhen = (rule: unknown) => issuesOf(withFields(amount, due, text('note', { visibleWhen: rule })))
    expect(shownWhen({ 'dec>': [{ var: 'amount' }, 'abc'] })).toEqual([expect.objectContaining({
      field: 'fields[2].visibleWhen.dec>[1]', rule: 'value',
      message: 'dec> compares numbers; "abc" is no number (write it as 1234.5)',
    })])
    expect(shownWhen({ 'dec>=': [{ var: 'amount' }, '1e400'] }).map((issue) => issue.field)).toEqual(['fields[2].visibleWhen.dec>=[1]'])
    expect(shownWhen({ 'date<': [{ var: 'due' }, '2026-1-5'] }).map((issue) => issue.message))
      .toEqual(['date< compares dates; "2026-1-5" is no date (write it as YYYY-MM-DD)'])
    // Numbers, decimal text, blank text and other fields are taken.
    for (const rule of [
      { 'dec>': [{ var: 'amount' }, 100000] }, { 'dec>': [{ var: 'amount' }, '100000.50'] }, { 'dec==': [{ var: 'amount' }, ''] },
      { 'date<': [{ var: 'due' }, '2026-01-05'] }, { 'date<': [{ var: 'due' }, { today: [] }] },
    ]) expect(shownWhen(rule), JSON.stringify(rule)).toEqual([])
  })

  it('takes an autonumber dated by a date field of the form, and refuses one naming any other', () => {
    const number = (dateField: string) => ({ key: 'number', type: 'autonumber', label: '单号', pattern: 'V-{YYYY}{MM}-{000}', dateField })
    const dated = { key: 'voucher_date', type: 'date', label: '凭证日期' }
    expect(issuesOf(withFields(number('voucher_date'), dated))).toEqual([])
    for (const named of ['missing', 'note']) {
      expect(issuesOf(withFields(number(named), dated, text('note')))).toEqual([expect.objectContaining({
        field: 'fields[0].dateField', rule: 'reference' })])
    }
  })

  it('refuses something that is not an object', () => {
    expect(() => checkFormDefinition([]))
      .toThrow('a form definition must be a JSON object, got an array')
  })

  it('names the form, the first problem and how many more in the message', () => {
    const def = withFields(text('Bad'), { key: 'x', type: 'select', label: 'x', options: [] })
    expect(() => checkFormDefinition(def)).toThrow(
      'form definition "sample" is invalid: ' +
        'fields[1].options: must NOT have fewer than 1 items (and 1 more)',
    )
  })

  it('reports shape problems with paths into the definition', () => {
    const def = {
      key: 'sample',
      label: { en: 'no Chinese' },
      fields: [
        { key: 'a', type: 'text' },
        { key: 'b', type: 'colour', label: 'B' },
        { key: 'c', type: 'money', label: 'C', scale: 7, currency: 'rmb' },
        { key: 'd', type: 'text', label: 'D', requird: true },
      ],
      extra: 1,
    }
    expect(issuesOf(def).map((issue) => [issue.field, issue.rule])).toEqual([
      ['extra', 'unknown_property'],
      ['label', 'localized_text'],
      ['fields[0].label', 'required'],
      ['fields[1].type', 'type'],
      ['fields[2].scale', 'maximum'],
      ['fields[2].currency', 'pattern'],
      ['fields[3].requird', 'unknown_property'],
    ])
    expect(issuesOf(def).find((issue) => issue.field === 'fields[1].type')?.message)
      .toMatch(/^unknown field type "colour"; expected one of text, number, money, date, .*, lookup$/)
  })

  it('checks keys: pattern, reserved names, duplicates and shared columns', () => {
    const def = {
      key: 'Sample',
      label: 'x',
      fields: [
        text('Name'),
        text('id'),
        text('_secret'),
        text('dup'),
        text('dup'),
        { key: 'customer', type: 'link', label: 'c', form: 'customer' },
        text('customer_id'),
      ],
    }
    expect(issuesOf(def).map((issue) => [issue.field, issue.rule])).toEqual([
      ['key', 'key'],
      ['fields[0].key', 'key'],
      ['fields[1].key', 'reserved'],
      ['fields[2].key', 'reserved'],
      ['fields[4].key', 'duplicate'],
      ['fields[6].key', 'column'],
    ])
  })

  it('checks select options, money scale and bounds, patterns and min ≤ max', () => {
    const def = withFields(
      text('t', { minLength: 5, maxLength: 2, pattern: '(' }),
      { key: 'n', type: 'number', label: 'n', min: 3, max: 1, integer: true, scale: 2 },
      { key: 'm', type: 'money', label: 'm', min: '10.5', max: '2', scale: 6 },
      { key: 'm2', type: 'money', label: 'm2', min: '1e3' },
      { key: 'd', type: 'date', label: 'd', min: '2025-12-31', max: '2025-01-01' },
      { key: 'd2', type: 'date', label: 'd2', max: '2025-02-30' },
      {
        key: 's',
        type: 'select',
        label: 's',
        options: [{ value: 'a', label: 'A' }, { value: 'a', label: 'A2' }],
      },
    )
    expect(issuesOf(def).map((issue) => [issue.field, issue.rule])).toEqual([
      ['fields[0].minLength', 'range'],
      ['fields[0].pattern', 'pattern'],
      ['fields[1].min', 'range'],
      ['fields[1].scale', 'conflict'],
      ['fields[2].min', 'range'],
      ['fields[3].min', 'format'],
      ['fields[4].min', 'range'],
      ['fields[5].max', 'format'],
      ['fields[6].options[1].value', 'duplicate'],
    ])
  })

  it('takes a select default that is one of its options, and names the options for one that is not', () => {
    const select = (value: unknown) => withFields({
      key: 's', type: 'select', label: 's', default: value as string,
      options: [{ value: 'no', label: '否' }, { value: 'yes', label: '是' }],
    })
    expect(issuesOf(select('no'))).toEqual([])
    expect(issuesOf(select('maybe'))).toEqual([expect.objectContaining({
      field: 'fields[0].default', rule: 'reference', message: expect.stringContaining('default "maybe" is none of the options (no, yes)'),
    })])
    expect(issuesOf(select(1)).map((issue) => issue.field)).toContain('fields[0].default')
  })

  it('checks references: titleField, uniques, links and the ui', () => {
    const def = {
      key: 'sample',
      label: 'x',
      titleField: 'amount',
      fields: [
        text('name'),
        { key: 'amount', type: 'money', label: 'a' },
        { key: 'owner', type: 'link', label: 'o', form: 'person' },
      ],
      uniques: [['name', 'nope'], ['name', 'name']],
      ui: {
        sections: [{ fields: ['name', 'ghost'] }],
        list: { columns: ['gone'], defaultSort: [{ field: 'missing', dir: 'asc' }] },
      },
    }
    expect(issuesOf(def, ['customer']).map((issue) => [issue.field, issue.rule])).toEqual([
      ['fields[2].form', 'reference'],
      ['titleField', 'reference'],
      ['uniques[0][1]', 'reference'],
      ['uniques[1]', 'duplicate'],
      ['ui.sections[0].fields[1]', 'reference'],
      ['ui.list.columns[0]', 'reference'],
      ['ui.list.defaultSort[0].field', 'reference'],
    ])
    expect(issuesOf(def).map((issue) => issue.field)).not.toContain('fields[2].form')
  })

  it('refuses a default sort by a field that gives records no order', () => {
    const def = withFields({ key: 'scan', type: 'attachment', label: '扫描件' })
    const sorted = { ...def, ui: { list: { defaultSort: [{ field: 'scan', dir: 'asc' }] } } }
    expect(issuesOf(sorted).map((issue) => [issue.field, issue.rule])).toEqual([['ui.list.defaultSort[0].field', 'type']])
  })

  it('takes "today" as a date\'s default, and nothing else', () => {
    const rules = (field: Record<string, unknown>) => issuesOf(withFields(field as never)).map((issue) => [issue.field, issue.rule])
    expect(rules({ key: 'paid_on', type: 'date', label: '收款日期', default: 'today' })).toEqual([])
    expect(rules({ key: 'paid_on', type: 'date', label: '收款日期', default: '2026-01-01' }).map(([field]) => field))
      .toEqual(['fields[0].default'])
  })

  it('lets a picker show at most four fields of the record\'s own row beside its title', () => {
    const def = withFields({ key: 'scan', type: 'attachment', label: '扫描件' }, { key: 'due', type: 'date', label: '到期日' },
      { key: 'owner', type: 'link', label: 'o', form: 'person' })
    const picking = (fields: unknown) => issuesOf({ ...def, ui: { picker: { fields } } }, ['person'])
      .map((issue) => [issue.field, issue.rule])
    expect(picking(['due'])).toEqual([])
    expect(picking(['due', 'scan', 'owner', 'ghost'])).toEqual([
      ['ui.picker.fields[1]', 'type'],
      ['ui.picker.fields[2]', 'type'],
      ['ui.picker.fields[3]', 'reference'],
    ])
    expect(picking(['due', 'due', 'due', 'due', 'due']).map(([field]) => field)).toEqual(['ui.picker.fields'])
  })

  it('writes messages in English that name what was expected and what came', () => {
    const def = withFields({ key: 'owner', type: 'link', label: 'o', form: 'person' })
    expect(issuesOf(def, ['customer', 'invoice'])).toEqual([{
      field: 'fields[0].form',
      rule: 'reference',
      message: 'linked form "person" does not exist; known forms: customer, invoice',
    }])
  })
})
