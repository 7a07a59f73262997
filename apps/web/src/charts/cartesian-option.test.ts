import { describe, expect, it } from 'vitest'
import { categoryAxisLabel } from './cartesian-option.js'

const AGING = ['未到期', '1–30天', '31–60天', '61–90天', '90天以上']

describe('category axis labels', () => {
  it('names every aging bucket on a phone, slanted, where straight they would leave some out', () => {
    expect(categoryAxisLabel(AGING, true)).toMatchObject({ interval: 0, rotate: 30 })
    // On a desktop's width the five fit straight.
    expect(categoryAxisLabel(AGING)).toEqual({ hideOverlap: true })
  })

  it('slants long names on any width, and leaves a few short ones straight on a phone', () => {
    expect(categoryAxisLabel(['华东', '华南', '华北', '西南', '东北', '西北'].map((one) => `${one}大区客户`)))
      .toMatchObject({ rotate: 30 })
    expect(categoryAxisLabel(['甲', '乙', '丙'], true)).toEqual({ hideOverlap: true })
  })
})
