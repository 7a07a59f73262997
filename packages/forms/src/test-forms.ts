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

/** A supplier form with one field of each type added for settlement data. */
export const SUPPLIER: FormDefinition = {
  key: 'supplier',
  label: { 'zh-CN': '供应商', en: 'Supplier' },
  fields: [
    { key: 'credit_code', type: 'uscc', label: { 'zh-CN': '信用代码', en: 'Credit code' } },
    { key: 'phone', type: 'phone', label: { 'zh-CN': '电话', en: 'Phone' } },
    { key: 'email', type: 'email', label: { 'zh-CN': '邮箱', en: 'E-mail' } },
    { key: 'account', type: 'bank_account', label: { 'zh-CN': '银行账号', en: 'Account' } },
    { key: 'region', type: 'region', label: { 'zh-CN': '地区', en: 'Region' }, depth: 2 },
    {
      key: 'tax_rate',
      type: 'percent',
      label: { 'zh-CN': '税率', en: 'Tax rate' },
      min: '0',
      max: '1',
    },
    { key: 'signed_at', type: 'datetime', label: { 'zh-CN': '签约时间', en: 'Signed at' } },
    { key: 'active', type: 'boolean', label: { 'zh-CN': '启用', en: 'Active' }, required: true },
    {
      key: 'tags',
      type: 'multiselect',
      label: { 'zh-CN': '标签', en: 'Tags' },
      options: [
        { value: 'vip', label: { 'zh-CN': '重点', en: 'VIP' }, color: 'gold' },
        { value: 'new', label: { 'zh-CN': '新客', en: 'New' }, color: 'blue' },
        { value: 'risk', label: { 'zh-CN': '风险', en: 'Risk' }, color: 'red' },
      ],
    },
  ],
}

/**
 * An invoice request with the form logic of issue 3: a condition, a
 * conditional requirement, formulas over money and a cross-field rule.
 */
export const REQUEST: FormDefinition = {
  key: 'request',
  label: { 'zh-CN': '开票申请', en: 'Invoice request' },
  fields: [
    { key: 'number', type: 'autonumber', label: { 'zh-CN': '单号', en: 'Number' }, pattern: 'RQ-{YYYY}-{0000}' },
    { key: 'invoice_date', type: 'date', label: { 'zh-CN': '开票日期', en: 'Invoice date' }, required: true },
    { key: 'due_date', type: 'date', label: { 'zh-CN': '到期日', en: 'Due date' } },
    { key: 'net', type: 'money', label: { 'zh-CN': '不含税金额', en: 'Net' }, required: true },
    {
      key: 'tax_rate',
      type: 'percent',
      label: { 'zh-CN': '税率', en: 'Tax rate' },
      required: true,
    },
    {
      key: 'gross',
      type: 'formula',
      label: { 'zh-CN': '价税合计', en: 'Gross' },
      result: 'money',
      expression: { 'dec+': [{ var: 'net' }, { var: 'tax' }] },
    },
    {
      key: 'tax',
      type: 'formula',
      label: { 'zh-CN': '税额', en: 'Tax' },
      result: 'money',
      expression: { 'dec*': [{ var: 'net' }, { var: 'tax_rate' }] },
    },
    {
      key: 'method',
      type: 'select',
      label: { 'zh-CN': '结算方式', en: 'Method' },
      options: [
        { value: 'transfer', label: { 'zh-CN': '转账', en: 'Transfer' } },
        { value: 'acceptance', label: { 'zh-CN': '承兑汇票', en: 'Acceptance' } },
      ],
    },
    {
      key: 'bill_number',
      type: 'text',
      label: { 'zh-CN': '票据号', en: 'Bill number' },
      required: true,
      visibleWhen: { '==': [{ var: 'method' }, 'acceptance'] },
    },
    {
      key: 'reason',
      type: 'text',
      label: { 'zh-CN': '大额说明', en: 'Reason' },
      requiredWhen: { 'dec>': [{ var: 'gross' }, '100000'] },
    },
  ],
  rules: [
    {
      key: 'due_after_invoice',
      assert: { 'date>=': [{ var: 'due_date' }, { var: 'invoice_date' }] },
      message: { 'zh-CN': '到期日不能早于开票日期', en: 'The due date cannot be before the invoice date' },
      fields: ['due_date'],
    },
  ],
}

/** A quotation with line items, a line formula and rollups over the lines. */
export const QUOTE: FormDefinition = {
  key: 'quote',
  label: { 'zh-CN': '报价单', en: 'Quote' },
  fields: [
    { key: 'customer', type: 'link', form: 'customer', label: { 'zh-CN': '客户', en: 'Customer' } },
    {
      key: 'items',
      type: 'lines',
      label: { 'zh-CN': '明细', en: 'Items' },
      required: true,
      maxRows: 3,
      fields: [
        { key: 'item', type: 'text', label: { 'zh-CN': '品名', en: 'Item' }, required: true },
        { key: 'qty', type: 'number', label: { 'zh-CN': '数量', en: 'Qty' }, integer: true, min: 1 },
        { key: 'price', type: 'money', label: { 'zh-CN': '单价', en: 'Price' }, required: true },
        { key: 'delivery', type: 'date', label: { 'zh-CN': '交期', en: 'Delivery' } },
        {
          key: 'amount',
          type: 'formula',
          label: { 'zh-CN': '金额', en: 'Amount' },
          result: 'money',
          expression: { 'dec*': [{ var: 'qty' }, { var: 'price' }] },
        },
      ],
    },
    { key: 'total', type: 'rollup', label: { 'zh-CN': '合计', en: 'Total' }, lines: 'items', agg: 'sum', field: 'amount' },
    { key: 'count', type: 'rollup', label: { 'zh-CN': '行数', en: 'Lines' }, lines: 'items', agg: 'count' },
    { key: 'last', type: 'rollup', label: { 'zh-CN': '最晚交期', en: 'Last delivery' }, lines: 'items', agg: 'max', field: 'delivery' },
    {
      key: 'paid',
      type: 'rollup',
      label: { 'zh-CN': '已收', en: 'Paid' },
      form: 'receipt',
      link: 'quote',
      agg: 'sum',
      field: 'amount',
      // Publishing records this from receipt.amount.
      result: { type: 'money', scale: 2 },
    },
    { key: 'region', type: 'lookup', label: { 'zh-CN': '客户地区', en: 'Region' }, link: 'customer', field: 'region' },
    {
      key: 'open',
      type: 'formula',
      label: { 'zh-CN': '未收', en: 'Open' },
      result: 'money',
      expression: { 'dec-': [{ var: 'total' }, { var: 'paid' }] },
    },
  ],
}
