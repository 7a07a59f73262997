import { describe, expect, it } from 'vitest'
import { AGING_RESULT } from '../../test/chart-fixtures.js'
import { attribute, renderMarkup } from '../testing/render-markup.js'
import { TableWidget } from './table-widget.js'

describe('TableWidget', () => {
  it('shows every column, money formatted from the exact strings', () => {
    const html = renderMarkup(<TableWidget result={AGING_RESULT} />)

    expect(html).toContain('未结金额')
    expect(html).toContain('1,234,567.89')
    expect(html).toContain('9,007,199,254,740,993.01')
    expect(html).toContain('90天以上')
    expect(JSON.parse(attribute(html, 'data-rows') ?? 'null')).toEqual(AGING_RESULT.rows)
  })
})
