import { describe, expect, it } from 'vitest'

import { type FormResolver, type PublishedForm, notFound } from '@tessera/core'
import type { ReportSpec } from '@tessera/reports'

import { checkDashboard, reportFilters } from '../src/index.js'

function form(key: string, fields: PublishedForm['definition']['fields']): PublishedForm {
  return {
    app: 'demo',
    key,
    version: 1,
    definition: { key, label: key, fields },
    table: { schema: 'demo', name: key },
  }
}

const FORMS = new Map([
  ['customer', form('customer', [
    { key: 'name', type: 'text', label: '名称', column: 'name' },
    { key: 'region', type: 'text', label: '区域', column: 'region' },
  ])],
  ['invoice', form('invoice', [
    { key: 'customer', type: 'link', form: 'customer', label: '客户', column: 'customer_id' },
    { key: 'amount', type: 'money', label: '金额', column: 'amount' },
    { key: 'invoice_date', type: 'date', label: '日期', column: 'invoice_date' },
    { key: 'delivery', type: 'select', label: '送达', column: 'delivery',
      options: [{ value: 'electronic', label: '电子' }, { value: 'paper', label: '纸质' }] },
  ])],
  ['receipt', form('receipt', [{ key: 'amount', type: 'money', label: '金额', column: 'amount' }])],
])
const forms: FormResolver = {
  async getForm(key) {
    const found = FORMS.get(key)
    if (!found) throw notFound('form', key)
    return found
  },
}

const REPORTS = new Map<string, ReportSpec>([
  ['by_region', {
    key: 'by_region',
    label: '按区域',
    source: 'invoice',
    dimensions: [
      { key: 'region', expr: { var: 'customer.region' } },
      { key: 'customer', expr: { var: 'customer.name' } },
    ],
    measures: [{ key: 'amount', agg: 'sum', expr: { var: 'amount' } }],
  }],
  ['receipts', {
    key: 'receipts',
    label: '收款',
    source: 'receipt',
    measures: [{ key: 'amount', agg: 'sum', expr: { var: 'amount' } }],
  }],
  ['dated', {
    key: 'dated',
    label: '截至某日',
    source: 'invoice',
    params: [{ key: 'asOf', type: 'date', default: 'today' }],
    where: { '<=': [{ var: 'invoice_date' }, { param: 'asOf' }] },
    dimensions: [{ key: 'region', expr: { var: 'customer.region' } }],
    measures: [
      { key: 'amount', agg: 'sum', expr: { var: 'amount' } },
      { key: 'invoices', agg: 'count' },
    ],
  }],
])

const layout = { x: 0, y: 0, w: 6, h: 4 }

function board(parts: Record<string, unknown>) {
  return {
    key: 'board',
    label: '看板',
    widgets: [
      { key: 'regions', type: 'bar', report: 'by_region', measures: ['amount'],
        drill: ['region', 'customer'], layout },
    ],
    ...parts,
  }
}

async function issuesOf(spec: unknown): Promise<string[]> {
  const error = await checkDashboard(spec, REPORTS, forms).catch((caught: unknown) => caught)
  expect(error).toMatchObject({ code: 'metadata.invalid' })
  return (error as { issues: Array<{ field: string }> }).issues.map((issue) => issue.field)
}

describe('checkDashboard', () => {
  it('accepts drill levels, global filters with per-report paths and a refresh interval', async () => {
    const spec = board({
      refresh: 60,
      filters: [
        { key: 'region', type: 'select', field: 'customer.region', fields: { receipts: null },
          options: { form: 'customer', field: 'region' } },
        { key: 'dates', type: 'date-range', field: 'invoice_date', fields: { receipts: null } },
      ],
      widgets: [
        ...board({}).widgets,
        { key: 'received', type: 'kpi', report: 'receipts', measure: 'amount', layout },
      ],
    })
    await expect(checkDashboard(spec, REPORTS, forms)).resolves.toMatchObject({ key: 'board' })
  })

  it('names each problem: types, keys, levels, filter paths and their types, layout', async () => {
    const spec = board({
      refresh: 5,
      filters: [
        { key: 'region', type: 'select', field: 'customer.region' },
        { key: 'dates', type: 'date-range', field: 'customer.name', fields: { receipts: null } },
        { key: 'dates', type: 'slider', field: 'amount' },
      ],
      widgets: [
        { key: 'a', type: 'radar', report: 'by_region', layout },
        { key: 'b', type: 'pie', report: 'by_region', drill: ['planet'], measures: ['amount'], layout },
        { key: 'c', type: 'gauge', report: 'receipts', layout: { x: 8, y: 0, w: 6, h: 2 } },
        { key: 'd', type: 'pivot', report: 'receipts', layout },
      ],
    })
    expect(await issuesOf(spec)).toEqual([
      'refresh',
      'widgets[0].type',
      'widgets[1].drill[0]',
      'widgets[2].layout',
      'widgets[2].measure',
      'widgets[3].report',
      'filters[0].fields.receipts',
      'filters[1].fields.by_region',
      'filters[2].key',
      'filters[2].type',
    ])
  })

  it('names a label or title that is no name, a widget key that is no key, and a layout past the page', async () => {
    const spec = board({
      label: '  ',
      widgets: [
        { key: 'Bad Key', type: 'kpi', report: 'receipts', measure: 'amount', layout },
        { key: 'ok', type: 'kpi', report: 'receipts', measure: 'amount', title: 5, layout },
        { key: 'far', type: 'kpi', report: 'receipts', measure: 'amount', layout: { x: 0, y: 100_000, w: 3, h: 2 } },
        { key: 'tall', type: 'kpi', report: 'receipts', measure: 'amount', layout: { x: 0, y: 0, w: 3, h: 400 } },
        { key: 'fine', type: 'kpi', report: 'receipts', measure: 'amount', title: { 'zh-CN': '收款', en: 'Receipts' }, layout },
      ],
    })
    expect(await issuesOf(spec)).toEqual([
      'label',
      'widgets[0].key',
      'widgets[1].title',
      'widgets[2].layout',
      'widgets[3].layout',
    ])
  })
})

describe('checkDashboard, what would break or mislead only at run time', () => {
  it('names bad fixed params and defaults, param types the reports disagree with, pies of two measures, repeated levels, unknown properties, filter options and paths', async () => {
    const spec = board({
      params: [{ key: 'asOf', type: 'period', default: 'fortnight' }],
      filters: [
        { key: 'region', type: 'select', field: 'customer.region', fields: { nope: null },
          options: { form: 'zzz', field: 'region' } },
        { key: 'name', type: 'select', field: 'customer.name',
          options: { form: 'customer', field: 'zzz' }, colour: 'red' },
      ],
      widgets: [
        { key: 'fixed', type: 'kpi', report: 'dated', measure: 'amount', params: { asOf: '2026-02-30' }, layout },
        { key: 'pie', type: 'pie', report: 'dated', dimension: 'region', measures: ['amount', 'invoices'], layout },
        { key: 'twice', type: 'bar', report: 'by_region', measures: ['amount'], drill: ['region', 'region'], layout, zzz: 1 },
      ],
    })
    expect(await issuesOf(spec)).toEqual([
      'params[0].default',
      'params[0].type',
      'widgets[0].params.asOf',
      'widgets[1].measures',
      'widgets[2].zzz',
      'widgets[2].drill[1]',
      'filters[0].options.form',
      'filters[0].fields.nope',
      'filters[1].colour',
      'filters[1].options.field',
    ])
  })

  it('words each problem in Chinese by default and in English when asked', async () => {
    const spec = board({ widgets: [{ key: 'fixed', type: 'kpi', report: 'dated', measure: 'amount', params: { asOf: '2026-02-30' }, layout }] })
    const chinese = await checkDashboard(spec, REPORTS, forms).catch((caught: unknown) => caught)
    expect(chinese).toMatchObject({
      issues: [{ field: 'widgets[0].params.asOf', message: expect.stringContaining('收到 "2026-02-30"') }],
    })
    expect((chinese as Error & { toJSON(locale: string): { message: string } }).toJSON('zh-CN').message)
      .toMatch(/^看板「board」有误：widgets\[0\]\.params\.asOf：/)
    const english = await checkDashboard(spec, REPORTS, forms, 'en').catch((caught: unknown) => caught)
    expect(english).toMatchObject({
      issues: [{ field: 'widgets[0].params.asOf', message: expect.stringContaining('received "2026-02-30"') }],
    })
  })
})

describe('global filters on a select field', () => {
  it('take the options\' codes, and refuse a listed option that is none', async () => {
    const filter = (options: string[]) => board({ filters: [{ key: 'delivery', type: 'select', field: 'delivery', options }] })
    await expect(checkDashboard(filter(['electronic', 'paper']), REPORTS, forms)).resolves.toBeDefined()
    // Choosing 电子 would send the label, which the field never holds.
    expect(await issuesOf(filter(['电子', 'paper']))).toEqual(['filters[0].options'])
  })
})

describe('reportFilters', () => {
  it('maps filter values to each report\'s own path, ranges to from and to', () => {
    const spec = {
      key: 'board',
      label: '看板',
      widgets: [],
      filters: [
        { key: 'region', type: 'select' as const, field: 'customer.region', fields: { receipts: null } },
        { key: 'dates', type: 'date-range' as const, field: 'invoice_date',
          fields: { receipts: 'date' } },
      ],
    }
    const values = { region: ['华东', '华北'], dates: '2024-01-01..2024-03-31' }
    expect(reportFilters(spec, 'by_region', values)).toEqual([
      { field: 'customer.region', values: ['华东', '华北'], origin: 'query.f.region' },
      { field: 'invoice_date', from: '2024-01-01', to: '2024-03-31', origin: 'query.f.dates' },
    ])
    expect(reportFilters(spec, 'receipts', values)).toEqual([
      { field: 'date', from: '2024-01-01', to: '2024-03-31', origin: 'query.f.dates' },
    ])
    expect(() => reportFilters(spec, 'by_region', { dates: 'last week' }))
      .toThrow(/filter "dates" expects a date range/)
  })

  it('turns a text filter that matches parts of values into contains', async () => {
    const spec = board({ filters: [
      { key: 'who', type: 'text', field: 'customer.name', match: 'contains' },
      { key: 'exact', type: 'text', field: 'customer.name' },
    ] })
    expect(reportFilters(spec as never, 'by_region', { who: '钢', exact: '甲公司' })).toEqual([
      { field: 'customer.name', contains: '钢', origin: 'query.f.who' },
      { field: 'customer.name', values: ['甲公司'], origin: 'query.f.exact' },
    ])
    expect(await issuesOf(board({ filters: [
      { key: 'who', type: 'select', field: 'customer.name', match: 'contains' },
    ] }))).toEqual(['filters[0].match'])
  })
})
