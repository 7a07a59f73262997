import { describe, expect, it } from 'vitest'

import { compactLayout } from '../src/dashboard-layout.js'

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
