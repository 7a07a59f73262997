import { describe, expect, it } from 'vitest'
import { type BuilderField, type BuilderState, builderReport, builderWidget, keyOf, measureFor, suggestedTitle } from './builder-spec.js'

const region: BuilderField = { path: 'customer.region', label: '区域', kind: 'text' }
const amount: BuilderField = { path: 'amount', label: '金额', kind: 'number' }
const dated: BuilderField = { path: 'invoice_date', label: '开票日期', kind: 'date' }

function state(parts: Partial<BuilderState>): BuilderState {
  return { form: 'invoice', title: '按区域', type: 'bar', dimensions: [], measures: [], conditions: [], ...parts }
}

describe('the widget builder', () => {
  it('turns dropped fields and conditions into a report spec with a json-logic filter', () => {
    const spec = builderReport(state({
      dimensions: [{ field: region }, { field: dated, grain: 'month' }],
      measures: [measureFor(amount), { agg: 'count', label: '记录数' }],
      conditions: [
        { field: amount, op: '>=', value: '1000' },
        { field: region, op: '!=', value: '华北' },
      ],
    }), 'built_1')

    expect(spec).toEqual({
      key: 'built_1',
      label: '按区域',
      source: 'invoice',
      filter: { and: [{ '>=': [{ var: 'amount' }, 1000] }, { '!=': [{ var: 'customer.region' }, '华北'] }] },
      dimensions: [
        { key: 'customer_region', label: '区域', expr: { var: 'customer.region' } },
        { key: 'invoice_date_month', label: '开票日期', expr: { var: 'invoice_date' }, grain: 'month' },
      ],
      measures: [
        { key: 'sum_amount', label: '金额', agg: 'sum', expr: { var: 'amount' } },
        { key: 'record_count', label: '记录数', agg: 'count' },
      ],
    })
  })

  it('places the widget below the others, a second dimension splitting a bar into series', () => {
    const built = state({
      dimensions: [{ field: region }, { field: dated, grain: 'year' }],
      measures: [measureFor(amount)],
    })
    expect(builderWidget(built, 'w1', 'built_1', 27)).toEqual({
      key: 'w1',
      type: 'bar',
      title: '按区域',
      report: 'built_1',
      dimension: 'customer_region',
      measures: ['sum_amount'],
      series: 'invoice_date_year',
      layout: { x: 0, y: 27, w: 6, h: 6 },
    })
    expect(builderWidget({ ...built, type: 'kpi' }, 'w2', 'r', 3)).toMatchObject({
      type: 'kpi', measure: 'sum_amount', layout: { x: 0, y: 3, w: 3, h: 3 },
    })
  })

  it('makes keys metadata accepts from any path', () => {
    expect(keyOf('customer.region')).toBe('customer_region')
    expect(keyOf('9lives')).toBe('f_9lives')
    expect(measureFor(region)).toEqual({ field: region, agg: 'count_distinct', label: '区域' })
  })
})

describe('suggestedTitle', () => {
  it('names an untitled widget by what it shows, in the reader\'s language', () => {
    const region = { path: 'customer.region', label: '客户 · 区域', kind: 'text' as const }
    const open = { path: 'open_amount', label: '未结金额', kind: 'number' as const }
    const state = {
      form: 'invoice', title: '', type: 'bar' as const, conditions: [],
      dimensions: [{ field: region }],
      measures: [{ field: open, agg: 'sum' as const, label: '未结金额' }, { agg: 'count' as const, label: '' }],
    }
    expect(suggestedTitle(state, 'zh-CN', '记录数')).toBe('未结金额、记录数（按客户 · 区域）')
    expect(suggestedTitle({ ...state, dimensions: [] }, 'en', 'Record count')).toBe('未结金额, Record count')
    expect(suggestedTitle({ ...state, measures: [] }, 'en', 'Record count')).toBe('Record count by 客户 · 区域')
  })
})
