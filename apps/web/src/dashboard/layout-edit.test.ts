import { describe, expect, it } from 'vitest'
import type { DashboardSpec } from '../api/types.js'
import { cellsMoved, moveLayout, nextFreeRow, resizeLayout, withoutWidget } from './layout-edit.js'

describe('layout editing', () => {
  it('moves by whole cells and keeps the widget inside the 12 columns', () => {
    expect(moveLayout({ x: 2, y: 3, w: 4, h: 2 }, 3, 1)).toEqual({ x: 5, y: 4, w: 4, h: 2 })
    expect(moveLayout({ x: 10, y: 0, w: 3, h: 2 }, 5, -1)).toEqual({ x: 9, y: 0, w: 3, h: 2 })
    expect(moveLayout({ x: 1, y: 1, w: 3, h: 2 }, -4, -4)).toEqual({ x: 0, y: 0, w: 3, h: 2 })
  })

  it('resizes without leaving the grid or shrinking below two cells each way (the title stays readable)', () => {
    expect(resizeLayout({ x: 6, y: 0, w: 3, h: 2 }, 10, 3)).toEqual({ x: 6, y: 0, w: 6, h: 5 })
    expect(resizeLayout({ x: 0, y: 0, w: 3, h: 4 }, -5, -5)).toEqual({ x: 0, y: 0, w: 2, h: 2 })
    // A widget already smaller (saved through the API) is not made bigger by a resize.
    expect(resizeLayout({ x: 0, y: 0, w: 1, h: 1 }, 0, 0)).toEqual({ x: 0, y: 0, w: 1, h: 1 })
  })

  it('counts cells travelled by the pointer, rounding to the nearest', () => {
    expect(cellsMoved(130, 100, 16)).toBe(1)
    expect(cellsMoved(-60, 100, 16)).toBe(-1)
    expect(cellsMoved(40, 100, 16)).toBe(0)
    expect(nextFreeRow([{ x: 0, y: 0, w: 3, h: 2 }, { x: 0, y: 4, w: 12, h: 6 }])).toBe(10)
  })

  it('takes a widget off with the filter fields that named its report, once no other widget shows it', () => {
    const layout = { x: 0, y: 0, w: 6, h: 4 }
    const spec: DashboardSpec = {
      key: 'board', label: '看板', version: 3,
      filters: [
        { key: 'region', type: 'select', field: 'customer.region', fields: { built_a: null, built_b: null } },
        { key: 'customer', type: 'text', field: 'customer.name', fields: { built_a: null } },
        { key: 'period', type: 'date-range', field: 'invoice_date' },
      ],
      widgets: [
        { key: 'w_a', type: 'bar', report: 'built_a', layout },
        { key: 'w_b', type: 'bar', report: 'built_b', layout },
        { key: 'w_b2', type: 'pie', report: 'built_b', layout },
      ],
    }
    const left = withoutWidget(spec, 'w_a')
    expect(left.widgets.map((one) => one.key)).toEqual(['w_b', 'w_b2'])
    expect(left.filters).toEqual([
      { key: 'region', type: 'select', field: 'customer.region', fields: { built_b: null } },
      { key: 'customer', type: 'text', field: 'customer.name' },
      { key: 'period', type: 'date-range', field: 'invoice_date' },
    ])
    expect(left.version).toBe(3)
    // built_b is still shown by w_b2: its entries stay.
    expect(withoutWidget(left, 'w_b').filters?.[0].fields).toEqual({ built_b: null })
  })
})
