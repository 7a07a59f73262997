import { describe, expect, it } from 'vitest'
import type { ReportColumn } from '../api/types.js'
import { nextDrillStep } from '../dashboard/drill-records.js'
import { clickedMeasure, pickOf } from './chart-click.js'
import type { ChartInput } from './chart-option.js'

const customer: ReportColumn = {
  key: 'customer', label: '客户', kind: 'dimension', type: 'text', others: '其他客户',
}
const bucket: ReportColumn = {
  key: 'bucket', label: '账龄', kind: 'dimension', type: 'text', buckets: ['未到期', '1–30'],
}

describe('what a click on a figure names', () => {
  it('names a value, a bucket by its index, and the others row as every value outside the top', () => {
    expect(pickOf({ customer: '甲公司' }, customer)).toEqual({ customer: '甲公司' })
    expect(pickOf({ bucket: '1–30', bucket__index: 1 }, bucket)).toEqual({ bucket__index: 1 })
    expect(pickOf({ customer: '其他客户' }, customer)).toEqual({ customer__others: true })
    expect(pickOf({ customer: null }, customer)).toEqual({ customer: null })
  })

  it('carries the others pick down the drill path to the records', () => {
    const step = nextDrillStep(['customer'], { level: 'customer', path: { region: '华东' } },
      { customer__others: true })
    expect(step).toEqual({ kind: 'records', path: { region: '华东', customer__others: true } })
  })

  it('names the measure a click lands on: the clicked series of side-by-side measures, else the one plotted', () => {
    const open: ReportColumn = { key: 'open', label: '未收', kind: 'measure', type: 'money' }
    const overdue: ReportColumn = { key: 'overdue', label: '逾期', kind: 'measure', type: 'money' }
    const input = (type: ChartInput['type'], series?: ReportColumn): ChartInput => ({
      type, result: { columns: [], rows: [], params: {} }, dimension: customer, measures: [open, overdue],
      ...(series ? { series } : {}), locale: 'zh-CN',
    })
    expect(clickedMeasure(input('bar'), 1)).toBe('overdue')
    expect(clickedMeasure(input('line'), 0)).toBe('open')
    expect(clickedMeasure(input('bar', bucket), 1)).toBe('open')
    expect(clickedMeasure(input('pie'), 0)).toBe('open')
  })
})
