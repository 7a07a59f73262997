import { describe, expect, it } from 'vitest'
import type { ReportResult } from '../api/types.js'
import { renderMarkup } from '../testing/render-markup.js'
import { PivotWidget } from './pivot-widget.js'

const RESULT: ReportResult = {
  columns: [
    { key: 'customer', label: '客户', kind: 'dimension', type: 'text' },
    { key: 'bucket', label: '账龄', kind: 'dimension', type: 'text', buckets: ['未到期', '1–30天'] },
    { key: 'open', label: '未收金额', kind: 'measure', type: 'money', scale: 2 },
  ],
  rows: [],
  params: {},
  pivot: {
    rowDimensions: ['customer'],
    columnDimensions: ['bucket'],
    headers: [{ bucket: '未到期', bucket__index: 0 }, { bucket: '1–30天', bucket__index: 1 }],
    rows: [
      { key: { customer: '甲' }, cells: [{ open: '10.00' }, null], total: { open: '10.00' } },
      { key: { customer: '乙' }, cells: [{ open: '1.00' }, { open: '2.50' }], total: { open: '3.50' } },
    ],
    totals: { cells: [{ open: '11.00' }, { open: '2.50' }], total: { open: '13.50' } },
  },
}

describe('PivotWidget', () => {
  it('drills from every figure: cells, a row\'s total, a column\'s total and the grand total', () => {
    const html = renderMarkup(<PivotWidget result={RESULT} report="aging" onPick={() => {}} />)
    const picks = [...html.matchAll(/data-pick="([^"]*)"/g)].map((match) => JSON.parse(match[1].replace(/&quot;/g, '"')))
    expect(picks).toEqual([
      { customer: '甲', bucket: '未到期', bucket__index: 0 },
      { customer: '甲' },
      { customer: '乙', bucket: '未到期', bucket__index: 0 },
      { customer: '乙', bucket: '1–30天', bucket__index: 1 },
      { customer: '乙' },
      { bucket: '未到期', bucket__index: 0 },
      { bucket: '1–30天', bucket__index: 1 },
      {},
    ])
    // Without a drill nothing is clickable.
    expect(renderMarkup(<PivotWidget result={RESULT} report="aging" />)).not.toContain('data-pick')
  })
})
