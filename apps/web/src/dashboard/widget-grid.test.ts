import { describe, expect, it } from 'vitest'
import type { DashboardWidget } from '../api/types.js'
import { cellStyle, readingOrder } from './widget-grid.js'

describe('cellStyle', () => {
  it('turns a layout into grid lines, kept inside the 12 columns', () => {
    const inside = cellStyle({ x: 6, y: 2, w: 6, h: 5 })
    const overflowing = cellStyle({ x: 10, y: 0, w: 6, h: 0 })

    expect(inside).toEqual({ '--x': 7, '--y': 3, '--w': 6, '--h': 5, '--tw': 12 })
    expect(overflowing).toEqual({ '--x': 11, '--y': 1, '--w': 2, '--h': 1, '--tw': 6 })
    // On a narrow grid: a KPI card takes half the width, a wide chart all of it.
    expect(cellStyle({ x: 0, y: 0, w: 3, h: 2 })['--tw' as keyof object]).toBe(6)
    expect(cellStyle({ x: 0, y: 0, w: 7, h: 5 })['--tw' as keyof object]).toBe(12)
    expect(cellStyle({ x: 7, y: 0, w: 5, h: 5 })['--tw' as keyof object]).toBe(12)
  })
})

describe('readingOrder', () => {
  it('sorts top to bottom, then left to right', () => {
    const at = (key: string, x: number, y: number): DashboardWidget => ({
      key,
      type: 'kpi',
      report: 'r',
      layout: { x, y, w: 3, h: 2 },
    })
    const order = readingOrder([at('c', 0, 2), at('b', 3, 0), at('a', 0, 0)])
    expect(order.map((widget) => widget.key)).toEqual(['a', 'b', 'c'])
  })
})
