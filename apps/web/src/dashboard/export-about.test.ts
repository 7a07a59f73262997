import { describe, expect, it } from 'vitest'
import { aboutLines } from './export-about.js'

describe('aboutLines', () => {
  it('lists what was exported, the params the run took (a period from – to), filters, drill and when', () => {
    const labels: Record<string, string> = { asOf: '截止日期', period: '期间' }
    expect(aboutLines({
      subject: ['组件', '回款率'],
      params: { asOf: '2026-06-30', period: { from: '2026-06-01', to: '2026-06-30' }, empty: null },
      label: (key) => labels[key] ?? key,
      filters: [['区域', '华东、华南']],
      drilled: ['下钻到', '华东 · 甲公司'],
      leftOut: [['不含', '「收款」']],
      at: ['导出时间', '2026/12/5 10:00:00'],
    })).toEqual([
      ['组件', '回款率'],
      ['截止日期', '2026-06-30'],
      ['期间', '2026-06-01 – 2026-06-30'],
      ['区域', '华东、华南'],
      ['下钻到', '华东 · 甲公司'],
      ['不含', '「收款」'],
      ['导出时间', '2026/12/5 10:00:00'],
    ])
  })
})
