import { describe, expect, it } from 'vitest'
import { fileName, paramNames } from './download.js'

describe('file names of exports', () => {
  it('names a report\'s file by its title and the params it took, with characters no system takes replaced', () => {
    const params = { customer: '甲公司/华东', period: { from: '2026-11-01', to: '2026-11-30' }, empty: '', none: null }
    expect(fileName(['客户往来明细', ...paramNames(params)].join('-'), 'xlsx'))
      .toBe('客户往来明细-甲公司_华东-2026-11-01..2026-11-30.xlsx')
    expect(paramNames({ asOf: '2026-03-31', limit: 10 })).toEqual(['2026-03-31', '10'])
    expect(fileName('', 'csv')).toBe('export.csv')
  })
})
