import { describe, expect, it } from 'vitest'
import type { FormDefinition } from '@tessera/core'
import { designIssues, enText, issuePlace, issueWording, labelOf, WORDED_RULES, zhText } from './design-issues.js'

const form: FormDefinition = {
  key: 'order',
  label: '订单',
  fields: [
    { key: 'ref', type: 'text', label: '单号' },
    { key: 'customer', type: 'link', form: 'nowhere', label: '客户' },
    { key: 'items', type: 'lines', label: '明细', fields: [
      { key: 'amount', type: 'formula', label: '金额', result: 'money', expression: { 'dec*': [{ var: 'qty' }, 2] } },
    ] },
  ],
}

describe('designIssues', () => {
  it('puts each problem of the engine check on the field its path starts in', () => {
    const issues = designIssues(form, ['customer'])
    expect([...issues.byField.keys()]).toEqual(['customer', 'items'])
    expect(issues.byField.get('customer')?.[0].field).toBe('fields[1].form')
    expect(issues.byField.get('items')?.[0].field).toMatch(/^fields\[2\]\.fields\[0\]\.expression/)
    expect(issues.all).toHaveLength(2)
  })

  it('names where a problem lies by labels, and words the rules the engine reports', () => {
    expect(issuePlace(form, 'fields[2].fields[0].expression.dec*[0].var', 'zh-CN')).toBe('明细·金额')
    expect(issuePlace(form, 'fields[1].form', 'en')).toBe('客户')
    expect(issuePlace(form, 'ui.sections[0]', 'zh-CN')).toBe('订单')
    // A field whose name was emptied is named by its key.
    const unnamed: FormDefinition = { ...form, fields: [{ ...form.fields[0], label: '' }, ...form.fields.slice(1)] }
    expect(issuePlace(unnamed, 'fields[0].label', 'zh-CN')).toBe(form.fields[0].key)
    for (const issue of designIssues(form, ['customer']).all) expect(WORDED_RULES.has(issue.rule)).toBe(true)
  })

  it('names a rule by its key and words what is missing in it', () => {
    const trip: FormDefinition = {
      key: 'trip', label: '出差申请',
      fields: [{ key: 'ends', type: 'date', label: '返回日期' }],
      rules: [
        { key: 'rule_1', assert: { 'date>=': [{ var: 'ends' }, { var: 'starts' }] }, message: '', fields: ['ends'] },
        { key: 'rule_2', message: '必填' } as never,
      ],
    }
    const found = designIssues(trip, []).all
    const place = (path: string) => issuePlace(trip, path, 'zh-CN')
    const wording = found.map((issue) => [place(issue.field ?? ''), issueWording(issue)])
    expect(wording).toEqual(expect.arrayContaining([
      ['出差申请·校验规则 rule_1', { key: 'fb.rule.message_empty' }],
      ['出差申请·校验规则 rule_1', { key: 'fb.rule.var_named', values: { name: 'starts' } }],
      ['出差申请·校验规则 rule_2', { key: 'fb.rule.assert_missing' }],
    ]))
    expect(issuePlace(trip, 'constraints[0].max', 'en')).toBe('出差申请·limit #1')
  })

  it('places and words the problems of the list, unique sets, agreements and attachment limits', () => {
    const visit: FormDefinition = {
      key: 'visit', label: '客户拜访',
      description: { 'zh-CN': '', en: 'Visits' },
      fields: [
        { key: 'customer', type: 'link', form: 'customer', label: '客户' },
        { key: 'files', type: 'attachment', label: '附件', accept: ['pdf'] },
      ],
      uniques: [[], ['customer', 'gone']],
      agreements: [{ key: 'agreement_1', paths: [''], message: '客户须一致' }],
      ui: { list: { columns: ['gone'], defaultSort: [{ field: 'gone', dir: 'asc' }] } },
    }
    const found = designIssues(visit, ['customer']).all
    const wording = found.map((issue) => [
      issue.field, issuePlace(visit, issue.field ?? '', 'zh-CN'), issueWording(issue)?.key ?? issue.rule,
    ])
    expect(wording).toEqual(expect.arrayContaining([
      ['description', '客户拜访', 'fb.rule.description_zh'],
      ['fields[1].accept[0]', '附件', 'fb.rule.accept_pattern'],
      ['uniques[0]', '客户拜访·组合唯一 #1', 'minItems'],
      ['uniques[1][1]', '客户拜访·组合唯一 #2', 'reference'],
      ['agreements[0].paths', '客户拜访·一致性要求 agreement_1', 'fb.rule.paths_few'],
      ['agreements[0].paths[0]', '客户拜访·一致性要求 agreement_1', 'fb.rule.minLength'],
      ['ui.list.columns[0]', '客户拜访·列表的列', 'reference'],
      ['ui.list.defaultSort[0].field', '客户拜访·默认排序', 'reference'],
    ]))
    expect(issuePlace(visit, 'ui.list.columns[0]', 'en')).toBe('客户拜访·list columns')
  })

  it('words why a date cannot be the period field', () => {
    const journal: FormDefinition = {
      key: 'journal', label: '凭证',
      fields: [
        { key: 'on', type: 'date', label: '日期' },
        { key: 'ref', type: 'text', label: '单号' },
      ],
    }
    const rules = (periodField: string) => designIssues({ ...journal, periodField }, []).all
      .filter((issue) => issue.field === 'periodField').map((issue) => issue.rule)
    expect(rules('on')).toEqual(['period_required'])
    expect(rules('ref')).toEqual(['period_date'])
    expect(rules('gone')).toEqual(['reference'])
    // Each is worded by the builder in the reader's language (fb.rule.<rule>).
    for (const rule of ['period_required', 'period_date', 'reference']) expect(WORDED_RULES.has(rule)).toBe(true)
  })

  it('finds nothing wrong with a valid form, linking to itself included', () => {
    const valid = { ...form, fields: [form.fields[0], { ...form.fields[1], form: 'order' }] } as FormDefinition
    expect(designIssues(valid, []).all).toEqual([])
  })
})

describe('labels in two languages', () => {
  it('stays plain text until an English text is given', () => {
    expect(labelOf('金额', '')).toBe('金额')
    expect(labelOf('金额', 'Amount')).toEqual({ 'zh-CN': '金额', en: 'Amount' })
    expect([zhText({ 'zh-CN': '金额', en: 'Amount' }), enText('金额'), enText({ 'zh-CN': '金额' })])
      .toEqual(['金额', '', ''])
  })
})
