import { describe, expect, it } from 'vitest'
import type { ReportColumn } from '@tessera/reports'

import { clickedCaption } from '../src/drill-figures.js'

const COLUMNS: ReportColumn[] = [
  { key: 'region', label: '区域', kind: 'dimension', type: 'text' },
  { key: 'bucket', label: '账龄', kind: 'dimension', type: 'text', buckets: ['未到期', '1–30天', '31–60天'] },
  { key: 'customer', label: '客户', kind: 'dimension', type: 'text', others: '其他客户' },
  { key: 'delivery', label: '送达', kind: 'dimension', type: 'text', choices: { paper: '纸质' } },
]

describe('clickedCaption', () => {
  it('says a drill path as the figure showed it: buckets, the others row and codes by their labels', () => {
    expect(clickedCaption({ region: '华东', bucket__index: 2 }, COLUMNS)).toEqual(['华东', '31–60天'])
    expect(clickedCaption({ customer__others: true, delivery: 'paper' }, COLUMNS)).toEqual(['其他客户', '纸质'])
    expect(clickedCaption({ region: null }, COLUMNS)).toEqual(['—'])
    expect(clickedCaption({ region: '' }, COLUMNS)).toEqual(['—'])
  })

  it('says a bucket clicked by its label in the other language in the reader\'s', () => {
    const english = COLUMNS.map((column) => column.buckets ? { ...column, buckets: ['Not due', '1–30 days', '31–60 days'] } : column)
    expect(clickedCaption({ bucket: '31–60 days' }, COLUMNS, english)).toEqual(['31–60天'])
    expect(clickedCaption({ bucket: '31–60天' }, COLUMNS)).toEqual(['31–60天'])
    // A label no bucket has is shown as sent.
    expect(clickedCaption({ bucket: '两年以上' }, COLUMNS, english)).toEqual(['两年以上'])
  })

  it('names a bucket by its index, not by a label sent beside it, and says it once', () => {
    expect(clickedCaption({ bucket: '未到期', bucket__index: 2 }, COLUMNS)).toEqual(['31–60天'])
    expect(clickedCaption({ bucket: '未到期', bucket__index: 0 }, COLUMNS)).toEqual(['未到期'])
    // An index the report has no bucket for is shown as sent (the drill refuses or finds nothing).
    expect(clickedCaption({ bucket__index: 9 }, COLUMNS)).toEqual(['9'])
  })
  it('says a select field\'s label typed in either language as the reader\'s label', () => {
    const english = COLUMNS.map((column) => column.choices ? { ...column, choices: { paper: 'Paper' } } : column)
    expect(clickedCaption({ delivery: 'Paper' }, COLUMNS, COLUMNS, english)).toEqual(['纸质'])
    expect(clickedCaption({ delivery: '纸质' }, english, english, COLUMNS)).toEqual(['Paper'])
    expect(clickedCaption({ delivery: '纸质' }, COLUMNS)).toEqual(['纸质'])
    // A value no option has (a removed option's code) is shown as sent.
    expect(clickedCaption({ delivery: 'courier' }, COLUMNS, COLUMNS, english)).toEqual(['courier'])
  })
})
