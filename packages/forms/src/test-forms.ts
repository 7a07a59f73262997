import type { FieldDefinition, FormDefinition, PublishedForm } from '@tessera/core'

/** A form with one field of every type, for tests. */
export const INVOICE: FormDefinition = {
  key: 'invoice',
  label: { 'zh-CN': '发票', en: 'Invoice' },
  titleField: 'number',
  fields: [
    {
      key: 'number',
      type: 'text',
      label: { 'zh-CN': '发票号', en: 'Number' },
      required: true,
      minLength: 2,
      maxLength: 10,
      pattern: '^[A-Z]+-\\d+$',
    },
    { key: 'note', type: 'text', label: { 'zh-CN': '备注', en: 'Note' }, maxLength: 5 },
    {
      key: 'quantity',
      type: 'number',
      label: { 'zh-CN': '数量', en: 'Quantity' },
      integer: true,
      min: 1,
      max: 1000,
    },
    { key: 'rate', type: 'number', label: { 'zh-CN': '费率', en: 'Rate' }, scale: 2, min: 0 },
    {
      key: 'amount',
      type: 'money',
      label: { 'zh-CN': '金额', en: 'Amount' },
      required: true,
      min: '0',
      max: '1000000',
    },
    { key: 'fee', type: 'money', label: { 'zh-CN': '手续费', en: 'Fee' }, scale: 3 },
    {
      key: 'due_date',
      type: 'date',
      label: { 'zh-CN': '到期日', en: 'Due date' },
      min: '2025-01-01',
      max: '2030-12-31',
    },
    {
      key: 'status',
      type: 'select',
      label: { 'zh-CN': '状态', en: 'Status' },
      options: [
        { value: 'open', label: { 'zh-CN': '未结', en: 'Open' } },
        { value: 'paid', label: { 'zh-CN': '已结', en: 'Paid' } },
      ],
    },
    {
      key: 'customer',
      type: 'link',
      label: { 'zh-CN': '客户', en: 'Customer' },
      form: 'customer',
      required: true,
    },
  ],
}

/** Values that pass every rule of INVOICE. */
export const VALID_INVOICE = {
  number: 'INV-1',
  amount: '12.50',
  customer: 7,
}

export function publish(definition: FormDefinition, version = 1): PublishedForm {
  return {
    app: 'test-app',
    key: definition.key,
    version,
    definition,
    table: { schema: 'test_app', name: definition.key },
  }
}

export function formWith(...fields: FieldDefinition[]): PublishedForm {
  return publish({ key: 'sample', label: { 'zh-CN': '样例', en: 'Sample' }, fields })
}
