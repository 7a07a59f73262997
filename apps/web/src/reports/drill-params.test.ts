import { describe, expect, it } from 'vitest'
import { drillParams } from './drill-params.js'

describe('drillParams', () => {
  const wanted = { customer: { dimension: 'code' }, period: { param: 'period' }, view: 'lines' } as const

  it('takes each param from the clicked row, the page\'s params or a fixed text', () => {
    expect(drillParams(wanted, { code: 'C00007', customer: '厦门嘉禾' }, { period: '2026-11-01..2026-11-30' }))
      .toEqual({ customer: 'C00007', period: '2026-11-01..2026-11-30', view: 'lines' })
    // Numbers travel as the URL holds them.
    expect(drillParams({ n: { dimension: 'bucket__index' } }, { bucket__index: 4 }, {})).toEqual({ n: '4' })
  })

  it('gives nothing when the click does not name a dimension it needs, so the records open instead', () => {
    expect(drillParams(wanted, {}, { period: '2026-11-01..2026-11-30' })).toBeUndefined()
    expect(drillParams(wanted, { code: null }, { period: '2026-11-01..2026-11-30' })).toBeUndefined()
  })
})
