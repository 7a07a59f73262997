import type { FieldDefinition } from '@tessera/core'
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { describe, expect, it } from 'vitest'
import { renderMarkup } from '../testing/render-markup.js'
import { FieldControl } from './field-control.js'

function render(field: FieldDefinition, value: unknown): string {
  const client = new QueryClient()
  const injected = { value, onChange: () => {} }
  return renderMarkup(
    <QueryClientProvider client={client}>
      <FieldControl field={field} app="lab" locale="zh-CN" invalid={false} {...injected} />
    </QueryClientProvider>,
  )
}

describe('FieldControl for the settlement field types', () => {
  it('shows a stored fraction as the percentage typed', () => {
    const html = render({ key: 'rate', type: 'percent', label: '税率' }, '0.1300')
    expect(html).toContain('value="13"')
    expect(html).toContain('%')
  })

  it('shows a moment on the company wall clock (Asia/Shanghai by default)', () => {
    const html = render({ key: 'at', type: 'datetime', label: '时间' }, '2025-03-14T01:30:00.000Z')
    expect(html).toContain('value="2025-03-14 09:30"')
  })

  it('offers yes and no, with the stored answer checked', () => {
    const html = render({ key: 'ok', type: 'boolean', label: '启用' }, false)
    expect(html).toContain('>是<')
    expect(html).toContain('>否<')
    expect(html.match(/ant-radio-button-wrapper-checked[^>]*>.*?<\/label>/)?.[0]).toContain('否')
  })

  it('splits a region into the province picker and the typed parts', () => {
    const html = render({ key: 'r', type: 'region', label: '地区' }, '广东省/深圳市/南山区')
    expect(html).toContain('广东省')
    expect(html).toContain('value="深圳市"')
    expect(html).toContain('value="南山区"')

    const shallow = render({ key: 'r', type: 'region', label: '地区', depth: 2 }, '广东省/深圳市')
    expect(shallow).toContain('value="深圳市"')
    expect(shallow).not.toContain('区县')
  })

  it('shows money with its currency, CNY when the field names none', () => {
    expect(render({ key: 'm', type: 'money', label: '金额' }, '12.50')).toContain('CNY')
    expect(render({ key: 'm', type: 'money', label: '金额', currency: 'USD' }, '1')).toContain('USD')
  })

  it('renders text inputs for the shaped text types', () => {
    for (const type of ['phone', 'email', 'bank_account', 'uscc'] as const) {
      const html = render({ key: 'k', type, label: 'k' }, 'abc')
      expect([type, html.includes('value="abc"')]).toEqual([type, true])
    }
  })

  it('renders the chosen options of a multiple choice as tags', () => {
    const html = render({
      key: 'tags',
      type: 'multiselect',
      label: '标签',
      options: [
        { value: 'vip', label: '重点', color: 'gold' },
        { value: 'new', label: '新客' },
      ],
    }, ['vip'])
    expect(html).toContain('重点')
    expect(html).toContain('ant-select-multiple')
  })

  it('renders line items as a table with one control per line field', () => {
    const html = render({
      key: 'items',
      type: 'lines',
      label: '明细',
      fields: [
        { key: 'item', type: 'text', label: '品名', required: true },
        { key: 'due', type: 'date', label: '交期' },
        { key: 'amount', type: 'formula', label: '金额', result: 'money', expression: 1 },
      ],
    }, [{ item: '螺丝', due: '2025-03-01', amount: '1234.5' }, { item: '螺母' }])
    expect(html).toContain('品名 *')
    expect(html).toContain('value="螺丝"')
    expect(html).toContain('value="2025-03-01"')
    expect(html).toContain('value="1,234.50"')
    expect(html.match(/data-line="\d"/g)).toEqual(['data-line="0"', 'data-line="1"'])
    expect(html).toContain('data-action="add-line"')
  })

  it('shows rollups and lookups as read-only values', () => {
    const html = render({
      key: 'total', type: 'rollup', label: '合计', lines: 'items', agg: 'sum', field: 'amount',
      result: { type: 'money', scale: 2 },
    }, '1234.5')
    expect(html).toContain('value="1,234.50"')
    expect(html).toContain('readOnly')
    // An amount summed by a rollup lines up on the right, as a formula's does; a date does not.
    expect(html).toContain('money-input')
    const last = render({ key: 'last', type: 'rollup', label: '最近', form: 'payment', link: 'bill', agg: 'max', field: 'paid_on',
      result: { type: 'date' } } as FieldDefinition, '2025-03-14')
    expect(last).not.toContain('money-input')
  })
})
