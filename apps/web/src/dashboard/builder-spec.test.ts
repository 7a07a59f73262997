import { describe, expect, it } from 'vitest'
import {
  type BuilderField,
  type BuilderState,
  aggregatesFor,
  builderProblem,
  builderReport,
  builderWidget,
  conditionProblem,
  datingParams,
  filtersWithReport,
  keyOf,
  measureFor,
  missingForType,
  operatorsFor,
  suggestedTitle,
  distinctChoices,
  drawnDimensions,
  typedNumber,
  widgetTitles,
} from './builder-spec.js'

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

  it('names a measure by its aggregate unless a sum, in both languages, and keeps a choice made twice once', () => {
    const named = { ...amount, names: { 'zh-CN': '金额', en: 'Amount' } }
    const chosen = distinctChoices(state({
      type: 'table',
      dimensions: [{ field: region }, { field: region }],
      measures: [measureFor(named), { ...measureFor(named), agg: 'avg' }, measureFor(named),
        { agg: 'count', label: '记录数', names: { 'zh-CN': '记录数', en: 'Records' } }, { agg: 'count', label: '记录数' }],
    }))
    expect(chosen.dimensions).toHaveLength(1)
    const spec = builderReport(chosen, 'built_2') as { measures: Array<{ key: string; label: unknown }> }
    expect(spec.measures).toEqual([
      { key: 'sum_amount', label: { 'zh-CN': '金额', en: 'Amount' }, agg: 'sum', expr: { var: 'amount' } },
      { key: 'avg_amount', label: { 'zh-CN': '金额（平均值）', en: 'Amount (average)' }, agg: 'avg', expr: { var: 'amount' } },
      { key: 'record_count', label: { 'zh-CN': '记录数', en: 'Records' }, agg: 'count' },
    ])
    // An English title speaks English throughout, the count too.
    expect(suggestedTitle({ ...chosen, type: 'bar' }, 'en', 'Records')).toBe('Amount, Amount (average), Records by 区域')
  })

  it('groups a chart by the dimensions it draws, and a KPI by none, naming no other in its title', () => {
    const three = { dimensions: [{ field: region }, { field: dated, grain: 'year' as const }, { field: amount }], measures: [measureFor(amount)] }
    const keys = (type: string) => (builderReport(state({ ...three, type }), 'r') as { dimensions: Array<{ key: string }> })
      .dimensions.map((dimension) => dimension.key)
    expect(keys('bar')).toEqual(['customer_region', 'invoice_date_year'])
    expect(keys('pie')).toEqual(['customer_region'])
    expect(keys('kpi')).toEqual([])
    expect(keys('table')).toEqual(['customer_region', 'invoice_date_year', 'amount'])
    expect(suggestedTitle(state({ ...three, type: 'kpi' }), 'zh-CN', '记录数')).toBe('金额')
    expect(drawnDimensions('gauge')).toBe(0)
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

describe('what the builder checks before saving', () => {
  const region = { path: 'customer.region', label: '客户 · 区域', kind: 'text' as const }
  const dated = { path: 'invoice_date', label: '开票日期', kind: 'date' as const }
  const amount = { path: 'amount', label: '金额', kind: 'number' as const }
  const base = { form: 'invoice', title: '', conditions: [], dimensions: [], measures: [] }

  it('leaves a built report out of the global filters its form has no fitting field for', () => {
    const filters = [
      { key: 'region', type: 'select', field: 'customer.region', fields: { other: null } },
      { key: 'period', type: 'date-range', field: 'invoice_date' },
      { key: 'when', type: 'date-range', field: 'customer.region' },
      { key: 'owner', type: 'select', field: 'customer.salesperson' },
    ]
    expect(filtersWithReport(filters, 'built_1', [region, dated, amount])).toEqual([
      { key: 'region', type: 'select', field: 'customer.region', fields: { other: null } },
      { key: 'period', type: 'date-range', field: 'invoice_date' },
      { key: 'when', type: 'date-range', field: 'customer.region', fields: { built_1: null } },
      { key: 'owner', type: 'select', field: 'customer.salesperson', fields: { built_1: null } },
    ])
    expect(filtersWithReport(undefined, 'built_1', [region])).toBeUndefined()
  })

  it('asks a chart for a dimension and every widget for a measure', () => {
    const sum = { field: amount, agg: 'sum' as const, label: '金额' }
    expect(missingForType({ ...base, type: 'bar', measures: [sum] })).toBe('dimension')
    expect(missingForType({ ...base, type: 'pie', dimensions: [{ field: region }] })).toBe('measure')
    expect(missingForType({ ...base, type: 'kpi', measures: [sum] })).toBeUndefined()
    expect(missingForType({ ...base, type: 'bar', measures: [sum], dimensions: [{ field: region }] })).toBeUndefined()
  })

  it('titles a pie by the one measure it shows', () => {
    const state = {
      ...base, type: 'pie' as const, dimensions: [{ field: region }],
      measures: [{ field: amount, agg: 'sum' as const, label: '金额' }, { agg: 'count' as const, label: '' }],
    }
    expect(suggestedTitle(state, 'zh-CN', '记录数')).toBe('金额（按客户 · 区域）')
  })

  it('offers the aggregates and comparisons a field can take', () => {
    expect(aggregatesFor(amount)).toEqual(['sum', 'count', 'count_distinct', 'avg', 'min', 'max'])
    expect(aggregatesFor(dated)).toEqual(['count', 'count_distinct', 'min', 'max'])
    expect(aggregatesFor(region)).toEqual(['count', 'count_distinct'])
    const disputed: BuilderField = { path: 'disputed', label: '有争议', kind: 'text', options: [{ value: 'yes', label: '是' }] }
    expect(operatorsFor(disputed)).toEqual(['==', '!='])
    expect(operatorsFor(amount)).toContain('>=')
  })

  it('reads numbers as people type them and says what is wrong with a value, not the report engine', () => {
    expect(typedNumber('1,000.50')).toBe('1000.50')
    expect(typedNumber(' 2 000 ')).toBe('2000')
    expect(typedNumber('abc')).toBeUndefined()
    expect(typedNumber('1.2.3')).toBeUndefined()
    expect(conditionProblem({ field: amount, op: '>', value: 'abc' })).toBe('number')
    expect(conditionProblem({ field: amount, op: '>', value: '1,000' })).toBeUndefined()
    expect(conditionProblem({ field: dated, op: '>', value: '2026-02-30' })).toBe('date')
    expect(conditionProblem({ field: amount, op: '>', value: '' })).toBe('empty')
    expect(conditionProblem({ field: region, op: '==', value: '' })).toBeUndefined()
    const sum = { field: amount, agg: 'sum' as const, label: '金额' }
    const counted = state({ type: 'kpi', measures: [sum], conditions: [{ field: amount, op: '>=', value: '1,000' }] })
    expect(builderProblem(counted)).toBeUndefined()
    expect(builderReport(counted, 'x').filter).toEqual({ '>=': [{ var: 'amount' }, 1000] })
    expect(builderProblem({ ...counted, conditions: [{ field: amount, op: '>=', value: 'abc' }] })).toBe('number')
    expect(builderProblem({ ...counted, measures: [] })).toBe('measure')
  })

  it('saves for a type showing one measure a report of that measure, and titles it in both languages', () => {
    const named = { ...amount, names: { 'zh-CN': '金额', en: 'Amount' } }
    const byRegion = { ...region, names: { 'zh-CN': '客户 · 区域', en: 'Customer · Region' } }
    const pie = state({
      type: 'pie', title: '', dimensions: [{ field: byRegion }],
      measures: [{ field: named, agg: 'sum', label: '金额' }, { agg: 'count', label: '记录数' }],
    })
    expect((builderReport(pie, 'x').measures as unknown[]).length).toBe(1)
    // Labels are saved in both languages, so a reader of the other language sees their own.
    expect(builderReport(pie, 'x').measures).toEqual([expect.objectContaining({ label: { 'zh-CN': '金额', en: 'Amount' } })])
    expect(builderReport(pie, 'x').dimensions).toEqual([expect.objectContaining({ label: { 'zh-CN': '客户 · 区域', en: 'Customer · Region' } })])
    const counted = builderReport({ ...pie, type: 'bar', measures: [{ agg: 'count', label: '记录数', names: { 'zh-CN': '记录数', en: 'Record count' } }] }, 'y')
    expect(counted.measures).toEqual([expect.objectContaining({ label: { 'zh-CN': '记录数', en: 'Record count' } })])
    expect(suggestedTitle(pie, 'en', 'Record count')).toBe('Amount by Customer · Region')
    expect(suggestedTitle(pie, 'zh-CN', '记录数')).toBe('金额（按客户 · 区域）')
    const title = { 'zh-CN': '金额（按客户 · 区域）', en: 'Amount by Customer · Region' }
    expect(builderWidget(pie, 'w', 'x', 0, title).title).toEqual(title)
    expect(builderReport(pie, 'x', title).label).toEqual(title)
  })

  it('makes a KPI of the total, grouped by nothing, whatever dimensions were dropped', () => {
    const kpi = state({ type: 'kpi', dimensions: [{ field: region }], measures: [{ field: amount, agg: 'sum', label: '金额' }] })
    expect(builderReport(kpi, 'x').dimensions).toEqual([])
    expect(builderReport({ ...kpi, type: 'bar' }, 'x').dimensions).toHaveLength(1)
  })

  it('holds a date field against the dashboard\'s as-of date or period, so the widget follows it', () => {
    const params = datingParams([
      { key: 'asOf', type: 'date', label: { 'zh-CN': '截止日期', en: 'As of' }, default: 'today' },
      { key: 'period', type: 'period', label: '期间' },
      { key: 'owner', type: 'text', label: '负责人' },
    ])
    expect(params.map((param) => param.key)).toEqual(['asOf', 'period'])
    const counted = state({ type: 'kpi', measures: [measureFor(amount)], conditions: [{ field: amount, op: '>=', value: '10' }] })

    const asOf = builderReport({ ...counted, dated: { param: params[0], field: dated } }, 'x')
    expect(asOf).toMatchObject({
      params: [{ key: 'asOf', type: 'date', label: { 'zh-CN': '截止日期', en: 'As of' }, default: 'today' }],
      where: { '<=': [{ var: 'invoice_date' }, { param: 'asOf' }] },
      // The builder's own conditions stay the report's filter.
      filter: { '>=': [{ var: 'amount' }, 10] },
    })
    const period = builderReport({ ...counted, dated: { param: params[1], field: dated } }, 'x')
    expect(period).toMatchObject({
      params: [{ key: 'period', type: 'period', label: '期间', default: 'month_to_date' }],
      where: { '<=': [{ param: 'period.from' }, { var: 'invoice_date' }, { param: 'period.to' }] },
    })
    // Not following: no param, no condition.
    expect(builderReport(counted, 'x')).not.toHaveProperty('params')
    expect(builderReport(counted, 'x')).not.toHaveProperty('where')
  })
})

describe('a built widget\'s titles', () => {
  it('keeps each language as typed, and fills a blank one from what the widget shows in that language', () => {
    const suggested = { zh: '金额（按区域）', en: 'Amount by Region' }
    expect(widgetTitles({ zh: '各区域开票', en: 'Invoiced by region' }, suggested))
      .toEqual({ 'zh-CN': '各区域开票', en: 'Invoiced by region' })
    // A Chinese title alone no longer shows in Chinese to English readers.
    expect(widgetTitles({ zh: '各区域开票', en: ' ' }, suggested)).toEqual({ 'zh-CN': '各区域开票', en: 'Amount by Region' })
    expect(widgetTitles({ zh: '', en: '' }, suggested)).toEqual({ 'zh-CN': '金额（按区域）', en: 'Amount by Region' })
  })
})
