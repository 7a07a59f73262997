import { describe, expect, it } from 'vitest'
import { AGING_RESULT } from '../../test/chart-fixtures.js'
import { attribute, renderMarkup } from '../testing/render-markup.js'
import { TableWidget, columnTotals, tableTotals } from './table-widget.js'

describe('TableWidget', () => {
  it('shows every column, money formatted from the exact strings', () => {
    const html = renderMarkup(<TableWidget result={AGING_RESULT} />)

    expect(html).toContain('未结金额')
    expect(html).toContain('1,234,567.89')
    expect(html).toContain('9,007,199,254,740,993.01')
    expect(html).toContain('90天以上')
    expect(JSON.parse(attribute(html, 'data-rows') ?? 'null')).toEqual(AGING_RESULT.rows)
  })

  it('shows a ratio and its comparisons as percentages, as charts and Excel do', () => {
    const result = {
      columns: [
        { key: 'salesperson', label: '销售', kind: 'dimension' as const, type: 'text' as const },
        { key: 'rate', label: '回款率', kind: 'measure' as const, type: 'number' as const, scale: 4, ratio: true },
        { key: 'collected', label: '回款', kind: 'measure' as const, type: 'money' as const, scale: 2 },
      ],
      rows: [{ salesperson: '徐丽', rate: '0.1253', collected: '700000.00' }],
      params: {},
    }
    const html = renderMarkup(<TableWidget result={result} />)
    expect(html).toContain('>12.53%<')
    expect(html).toContain('700,000.00')
    expect(html).not.toContain('>0.1253<')
  })

  it('reads one row of figures without a dimension down, label beside value, rather than across', () => {
    const result = {
      columns: [
        { key: 'collected', label: '本期回款', kind: 'measure' as const, type: 'money' as const, scale: 2 },
        { key: 'rate', label: '回款率', kind: 'measure' as const, type: 'number' as const, scale: 4, ratio: true },
      ],
      rows: [{ collected: '13033997.28', rate: '0.0631' }],
      params: {},
    }
    const html = renderMarkup(<TableWidget result={result} />)
    expect(attribute(html, 'data-layout')).toBe('figures')
    expect(html).toContain('<th scope="row">本期回款</th><td data-column="collected">13,033,997.28</td>')
    expect(html).toContain('<th scope="row">回款率</th><td data-column="rate">6.31%</td>')
    // Clickable, it keeps the layout: each figure opens its own records.
    const clickable = renderMarkup(<TableWidget result={result} onPick={() => undefined} />)
    expect(attribute(clickable, 'data-layout')).toBe('figures')
    expect(clickable.match(/<tr[^>]*data-clickable="true"/g)).toHaveLength(2)
    // A previous period's figure opens its records; a change, the difference of two figures, opens none.
    const compared = {
      columns: [
        ...result.columns.slice(0, 1),
        { key: 'collected__previous', label: '本期回款（上期）', kind: 'measure' as const, type: 'money' as const, role: 'previous' as const, of: 'collected' },
        { key: 'collected__change', label: '本期回款（变动）', kind: 'measure' as const, type: 'money' as const, role: 'change' as const, of: 'collected' },
        { key: 'collected__change_rate', label: '本期回款（变动率）', kind: 'measure' as const, type: 'number' as const, role: 'change_rate' as const, of: 'collected' },
      ],
      rows: [{ collected: '10.00', collected__previous: '8.00', collected__change: '2.00', collected__change_rate: '0.2500' }],
      params: {},
    }
    const figures = renderMarkup(<TableWidget result={compared} onPick={() => undefined} />)
    expect([...figures.matchAll(/<tr[^>]*data-clickable="true"[^>]*>.*?data-column="([a-z_]+)"/g)].map((match) => match[1]))
      .toEqual(['collected', 'collected__previous'])
    // A row of a grouped report stays a table row.
    expect(attribute(renderMarkup(<TableWidget result={{ ...result, rows: [...result.rows, ...result.rows] }} />), 'data-layout')).toBeUndefined()
  })

  it('totals the columns whose rows add up, exactly, and leaves the others empty', () => {
    const result = {
      columns: [
        { key: 'customer', label: '客户', kind: 'dimension' as const, type: 'text' as const },
        { key: 'open', label: '未收金额', kind: 'measure' as const, type: 'money' as const, scale: 2, additive: true },
        { key: 'invoices', label: '发票数', kind: 'measure' as const, type: 'integer' as const, additive: true },
        { key: 'rate', label: '逾期率', kind: 'measure' as const, type: 'number' as const, scale: 4, ratio: true },
      ],
      // 0.1 + 0.2 as decimals, not floats; an empty value adds nothing.
      rows: [
        { customer: '甲', open: '0.10', invoices: 2, rate: '0.5000' },
        { customer: '乙', open: '0.20', invoices: 3, rate: '0.2500' },
        { customer: '丙', open: '9007199254740993.01', invoices: null, rate: null },
      ],
      params: {},
    }
    expect(columnTotals(result)).toEqual({ open: '9007199254740993.31', invoices: 5 })
    const html = renderMarkup(<TableWidget result={result} totals />)
    expect(JSON.parse(attribute(html, 'data-totals') ?? 'null')).toEqual({ open: '9007199254740993.31', invoices: 5 })
    expect(html).toContain('合计')
    expect(html).toContain('9,007,199,254,740,993.31')
    // One row, or none asked for: no totals.
    expect(attribute(renderMarkup(<TableWidget result={result} />), 'data-totals')).toBeUndefined()
    expect(attribute(renderMarkup(<TableWidget result={{ ...result, rows: result.rows.slice(0, 1) }} totals />), 'data-totals'))
      .toBeUndefined()
    // The page and its Excel file decide alike: grouped rows, at least two.
    expect(tableTotals(result)).toEqual({ open: '9007199254740993.31', invoices: 5 })
    expect(tableTotals({ ...result, rows: result.rows.slice(0, 1) })).toBeUndefined()
    expect(tableTotals({ ...result, columns: result.columns.filter((column) => column.kind === 'measure') })).toBeUndefined()
  })
})
