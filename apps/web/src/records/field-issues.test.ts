import { describe, expect, it } from 'vitest'
import { issuesOf, lineCellsOf, placeIssues } from './field-issues.js'

describe('placeIssues', () => {
  it('puts each message under its field and the rest above the form', () => {
    const placed = placeIssues(
      [
        { field: 'amount', rule: 'min', message: '「金额」必须大于或等于 0' },
        { field: 'amount', rule: 'scale', message: '「金额」最多两位小数' },
        { field: 'lines.0.qty', rule: 'type', message: '数量必须是数字' },
        { field: 'ghost', rule: 'unknown', message: '未知字段' },
        { rule: 'credit', message: '客户信用额度不足' },
      ],
      ['amount', 'lines'],
    )

    expect(placed.byField).toEqual({
      amount: ['「金额」必须大于或等于 0', '「金额」最多两位小数'],
      lines: ['数量必须是数字'],
    })
    expect(placed.general).toEqual(['未知字段', '客户信用额度不足'])
  })

  it('shows a message repeated by two rules once', () => {
    const twice = { field: 'number', rule: 'required', message: '必填' }
    expect(placeIssues([twice, twice], ['number']).byField).toEqual({ number: ['必填'] })
  })
})

describe('issuesOf', () => {
  it('keeps one field’s messages', () => {
    const issues = [
      { field: 'a', rule: 'required', message: 'A' },
      { field: 'b', rule: 'required', message: 'B' },
    ]
    expect(issuesOf(issues, 'b')).toEqual(['B'])
    expect(issuesOf(issues, 'c')).toEqual([])
  })
})

describe('lineCellsOf', () => {
  it('names the bad cells of a line field, and the field as a whole', () => {
    const issues = [
      { field: 'items[1].price', rule: 'type', message: 'a' },
      { field: 'items[0].qty', rule: 'min', message: 'b' },
      { field: 'items_extra[0].qty', rule: 'min', message: 'c' },
      { field: 'note', rule: 'required', message: 'd' },
    ]
    expect(lineCellsOf(issues, 'items')).toEqual(['1.price', '0.qty'])
    expect(lineCellsOf([{ field: 'items', rule: 'required', message: 'e' }], 'items')).toEqual(['*'])
    expect(lineCellsOf([], 'items')).toEqual([])
  })
})

