import type { ReportResult } from '../src/api/types.js'
import type { ChartInput } from '../src/charts/chart-option.js'
import type { ChartWidgetType } from '../src/charts/chart-types.js'

/** An aging report as the server shapes it: money as decimal strings. */
export const AGING_RESULT: ReportResult = {
  columns: [
    { key: 'bucket', label: { 'zh-CN': '账龄', en: 'Bucket' }, kind: 'dimension', type: 'text' },
    { key: 'open', label: { 'zh-CN': '未结金额', en: 'Open' }, kind: 'measure', type: 'money' },
    { key: 'overdue', label: { 'zh-CN': '逾期', en: 'Overdue' }, kind: 'measure', type: 'money' },
  ],
  rows: [
    { bucket: '未到期', open: '1234567.89', overdue: '0.00' },
    { bucket: '1-30天', open: '98765.43', overdue: '98765.43' },
    { bucket: '31-60天', open: '0.10', overdue: '0.10' },
    { bucket: '90天以上', open: '9007199254740993.01', overdue: '12.00' },
  ],
  params: { asOf: '2013-06-30' },
}

export function chartInput(type: ChartWidgetType, measureKeys = ['open', 'overdue']): ChartInput {
  const columns = AGING_RESULT.columns
  return {
    type,
    result: AGING_RESULT,
    dimension: columns[0],
    measures: columns.filter((column) => measureKeys.includes(column.key)),
    locale: 'zh-CN',
  }
}

/** Sixty customers: more categories than a chart shows at once. */
export const MANY_CUSTOMERS: ReportResult = {
  columns: [
    { key: 'customer', label: '客户', kind: 'dimension', type: 'text' },
    { key: 'open', label: '未结金额', kind: 'measure', type: 'money' },
  ],
  rows: Array.from({ length: 60 }, (_, index) => ({ customer: `客户${String(index + 1).padStart(2, '0')}`, open: `${index + 1}.00` })),
  params: {},
}

/** The chart input of `type` over sixty customers. */
export function manyInput(type: ChartWidgetType): ChartInput {
  return { type, result: MANY_CUSTOMERS, dimension: MANY_CUSTOMERS.columns[0], measures: [MANY_CUSTOMERS.columns[1]], locale: 'zh-CN' }
}

/** Open amounts by region and bucket: a second dimension to split series by. */
export const REGION_AGING: ReportResult = {
  columns: [
    { key: 'region', label: { 'zh-CN': '区域', en: 'Region' }, kind: 'dimension', type: 'text' },
    { key: 'bucket', label: { 'zh-CN': '账龄', en: 'Bucket' }, kind: 'dimension', type: 'text' },
    { key: 'open', label: { 'zh-CN': '未结金额', en: 'Open' }, kind: 'measure', type: 'money' },
  ],
  rows: [
    { region: '华东', bucket: '未到期', open: '100.50' },
    { region: '华东', bucket: '1-30天', open: '20.00' },
    { region: '华北', bucket: '1-30天', open: '7.25' },
  ],
  params: {},
}
