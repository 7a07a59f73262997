import { QueryClient } from '@tanstack/react-query'
import { describe, expect, it } from 'vitest'
import { invalidateFormData } from './record-mutations.js'

describe('invalidateFormData', () => {
  it('marks stale what a write may have changed elsewhere in the app: other forms\' records too', async () => {
    const client = new QueryClient()
    const keys = {
      allocationList: ['zh-CN', 'records', 'ar', 'allocation', { page: 1 }],
      invoicePage: ['zh-CN', 'records', 'ar', 'invoice', 'id', 7],
      invoiceList: ['zh-CN', 'records', 'ar', 'invoice', { page: 1 }],
      picker: ['zh-CN', 'options', 'ar', 'receipt', ''],
      report: ['zh-CN', 'report-run', 'ar', 'aging', {}],
      widget: ['zh-CN', 'widget-run', 'ar', 'receivables', 'aging', {}],
      deleted: ['zh-CN', 'records', 'ar', 'allocation', 'id', 3],
      otherApp: ['zh-CN', 'records', 'crm', 'invoice', 'id', 7],
      form: ['zh-CN', 'form', 'ar', 'invoice'],
    }
    for (const key of Object.values(keys)) client.setQueryData(key, { seeded: true })

    await invalidateFormData(client, 'ar', 'allocation', 3)

    const stale = Object.entries(keys)
      .filter(([, key]) => client.getQueryState(key)?.isInvalidated)
      .map(([name]) => name)
    expect(stale).toEqual(['allocationList', 'invoicePage', 'invoiceList', 'picker', 'report', 'widget'])
  })
})
