import { describe, expect, it } from 'vitest'
import { errorReportUrl, fileFormat, newJobId } from './import-client.js'

describe('import client helpers', () => {
  it('tells Excel from CSV by the file name', () => {
    expect(fileFormat('客户.XLSX')).toBe('xlsx')
    expect(fileFormat('ledger.csv')).toBe('csv')
    expect(fileFormat('export')).toBe('csv')
  })

  it('makes job ids the server accepts, different each time', () => {
    const ids = new Set(Array.from({ length: 50 }, () => newJobId()))
    expect(ids.size).toBe(50)
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{8,64}$/)
  })

  it('points at the error report of a run', () => {
    expect(errorReportUrl('customer-settlement', 12)).toBe('/api/apps/customer-settlement/import-runs/12/errors')
  })
})
