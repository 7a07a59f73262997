import { describe, expect, it } from 'vitest'
import type { ReportColumn } from '../api/types.js'
import { nextDrillStep } from '../dashboard/drill-records.js'
import { pickOf } from './chart-click.js'

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
})
