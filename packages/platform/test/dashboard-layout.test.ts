import { describe, expect, it } from 'vitest'

import { compactLayout, reflowLayout, settleLayout } from '../src/dashboard-layout.js'

describe('compactLayout', () => {
  it('moves widgets up into the holes left by those not shown, never down and never onto another', () => {
    // Four KPIs in a row, the second hidden; a chart below the hidden row; a table further down.
    const shown = [
      { key: 'a', x: 0, y: 0, w: 3, h: 2 },
      { key: 'c', x: 6, y: 0, w: 3, h: 2 },
      // Its row (y 2–3) held only hidden widgets.
      { key: 'chart', x: 0, y: 4, w: 7, h: 5 },
      { key: 'side', x: 7, y: 4, w: 5, h: 5 },
      { key: 'table', x: 0, y: 15, w: 12, h: 6 },
    ]
    expect(compactLayout(shown).map(({ key, y }) => [key, y])).toEqual([
      ['a', 0], ['c', 0], ['chart', 2], ['side', 2], ['table', 7],
    ])
  })

  it('keeps a layout with no holes as it is, and its order', () => {
    const tight = [{ x: 0, y: 0, w: 12, h: 2 }, { x: 0, y: 2, w: 6, h: 3 }, { x: 6, y: 2, w: 6, h: 4 }, { x: 0, y: 5, w: 6, h: 1 }]
    expect(compactLayout(tight)).toEqual(tight)
    // A widget stops under the lowest one it would overlap, even one further right.
    expect(compactLayout([{ x: 0, y: 0, w: 2, h: 4 }, { x: 1, y: 9, w: 4, h: 1 }]))
      .toEqual([{ x: 0, y: 0, w: 2, h: 4 }, { x: 1, y: 4, w: 4, h: 1 }])
  })
})

describe('settleLayout', () => {
  it('moves a widget placed on one listed before it down, past each it then meets, keeping the rest', () => {
    const boxes = [
      { key: 'kpi', x: 0, y: 0, w: 3, h: 2 },
      { key: 'chart', x: 0, y: 2, w: 6, h: 4 },
      // Overlaps nothing: stays, its gap above too.
      { key: 'table', x: 9, y: 9, w: 3, h: 3 },
      // Exactly on the KPI: below it, then below the chart it meets there.
      { key: 'twin', x: 0, y: 0, w: 3, h: 2 },
      // Overlaps the chart's right half; below the chart it is beside the twin.
      { key: 'side', x: 3, y: 3, w: 6, h: 2 },
    ]
    expect(settleLayout(boxes).map(({ key, y }) => [key, y])).toEqual([
      ['kpi', 0], ['chart', 2], ['table', 9], ['twin', 6], ['side', 6],
    ])
    const settled = settleLayout(boxes)
    for (const [i, a] of settled.entries()) {
      for (const b of settled.slice(i + 1)) {
        const apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y
        expect(apart, `${a.key} and ${b.key}`).toBe(true)
      }
    }
    const tight = [{ x: 0, y: 0, w: 12, h: 2 }, { x: 0, y: 2, w: 6, h: 3 }, { x: 6, y: 2, w: 6, h: 4 }]
    expect(settleLayout(tight)).toEqual(tight)
  })
})

describe('reflowLayout', () => {
  // The receivables dashboard as designed: two rows of four KPI cards, a chart and a donut, a table.
  const designed = [
    { key: 'total', x: 0, y: 0, w: 3, h: 2 }, { key: 'overdue', x: 3, y: 0, w: 3, h: 2 },
    { key: 'rate', x: 6, y: 0, w: 3, h: 2 }, { key: 'collection', x: 9, y: 0, w: 3, h: 2 },
    { key: 'invoices', x: 0, y: 2, w: 3, h: 2 }, { key: 'customers', x: 3, y: 2, w: 3, h: 2 },
    { key: 'dso', x: 6, y: 2, w: 3, h: 2 }, { key: 'collected', x: 9, y: 2, w: 3, h: 2 },
    { key: 'aging', x: 0, y: 4, w: 7, h: 5 }, { key: 'share', x: 7, y: 4, w: 5, h: 5 },
    { key: 'region', x: 0, y: 9, w: 7, h: 6 }, { key: 'gauge', x: 7, y: 9, w: 5, h: 6 },
    { key: 'top', x: 0, y: 15, w: 12, h: 8 },
  ]
  const seen = (hidden: string[]) => designed.map((box) => !hidden.includes(box.key))
  const boxes = (hidden: string[]) =>
    reflowLayout(designed, seen(hidden)).map(({ key, x, y, w }) => `${key} ${x},${y} w${w}`)

  it('lets the widgets left in a row share the width of those left out, then moves the rows up', () => {
    // A salesperson: no collection rate, DSO, regions or gauge.
    expect(boxes(['collection', 'collected', 'dso', 'region', 'gauge'])).toEqual([
      'total 0,0 w4', 'overdue 4,0 w4', 'rate 8,0 w4',
      'invoices 0,2 w6', 'customers 6,2 w6',
      'aging 0,4 w7', 'share 7,4 w5',
      'top 0,9 w12',
    ])
    // Uneven widths keep their proportions and fill the row exactly.
    expect(boxes(['gauge']).filter((box) => box.startsWith('region'))).toEqual(['region 0,9 w12'])
    expect(reflowLayout([{ x: 0, y: 0, w: 2, h: 1 }, { x: 2, y: 0, w: 4, h: 1 }, { x: 6, y: 0, w: 6, h: 1 }], [true, true, false]))
      .toEqual([{ x: 0, y: 0, w: 4, h: 1 }, { x: 4, y: 0, w: 8, h: 1 }])
  })

  it('changes nothing when every widget is shown, and leaves overlapping widgets as placed', () => {
    expect(reflowLayout(designed, seen([]))).toEqual(compactLayout(designed))
    // Two widgets stacked on each other (the grid allows it) are no row to share out.
    const stacked = [{ x: 0, y: 0, w: 6, h: 2 }, { x: 3, y: 0, w: 6, h: 2 }, { x: 9, y: 0, w: 3, h: 2 }]
    expect(reflowLayout(stacked, [true, false, true])).toEqual([{ x: 0, y: 0, w: 6, h: 2 }, { x: 9, y: 0, w: 3, h: 2 }])
  })
})
