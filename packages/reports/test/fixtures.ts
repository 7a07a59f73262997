import {
  type FieldDefinition,
  type FormDefinition,
  type FormResolver,
  type PublishedForm,
  notFound,
} from '@tessera/core'

import type { ReportSpec } from '../src/index.js'

/**
 * A small receivables-like app for the report tests: regions, customers,
 * invoices and the allocations of receipts to invoices.
 */
export const APP = 'rpt-demo'
export const SCHEMA = 'rpt_demo'

export const region: FormDefinition = {
  key: 'region',
  label: { 'zh-CN': '地区', en: 'Region' },
  titleField: 'name',
  fields: [{ key: 'name', type: 'text', label: '名称', required: true }],
}

export const customer: FormDefinition = {
  key: 'customer',
  label: { 'zh-CN': '客户', en: 'Customer' },
  titleField: 'name',
  fields: [
    { key: 'name', type: 'text', label: '名称', required: true },
    { key: 'region', type: 'link', form: 'region', label: '地区' },
    { key: 'credit_days', type: 'number', integer: true, label: '账期' },
  ],
}

export const invoice: FormDefinition = {
  key: 'invoice',
  label: { 'zh-CN': '发票', en: 'Invoice' },
  titleField: 'number',
  fields: [
    { key: 'number', type: 'text', label: '发票号', required: true },
    { key: 'customer', type: 'link', form: 'customer', label: '客户', required: true },
    { key: 'invoice_date', type: 'date', label: '开票日期', required: true },
    { key: 'due_date', type: 'date', label: '到期日' },
    { key: 'amount', type: 'money', label: '金额', required: true },
    {
      key: 'status',
      type: 'select',
      label: '状态',
      options: [
        { value: 'open', label: '未结' },
        { value: 'void', label: '作废' },
      ],
    },
  ],
}

export const allocation: FormDefinition = {
  key: 'allocation',
  label: { 'zh-CN': '核销', en: 'Allocation' },
  fields: [
    { key: 'invoice', type: 'link', form: 'invoice', label: '发票', required: true },
    { key: 'date', type: 'date', label: '日期', required: true },
    { key: 'amount', type: 'money', label: '金额', required: true },
  ],
}

export const DEMO_FORMS = [region, customer, invoice, allocation]

/** Forms as the store would publish them, without a database. */
export function staticForms(definitions: FormDefinition[] = DEMO_FORMS): FormResolver {
  const published = new Map<string, PublishedForm>(
    definitions.map((definition) => [
      definition.key,
      {
        app: APP,
        key: definition.key,
        version: 1,
        definition: { ...definition, fields: definition.fields.map(withColumn) },
        table: { schema: SCHEMA, name: definition.key },
      },
    ]),
  )
  return {
    async getForm(key) {
      const form = published.get(key)
      if (!form) throw notFound('form', `${APP}/${key}`)
      return form
    },
  }
}

function withColumn(field: FieldDefinition): FieldDefinition {
  return { ...field, column: field.type === 'link' ? `${field.key}_id` : field.key }
}

/**
 * The receivables aging report of the brief: open amount per customer and
 * age bucket as of a date, allocations counted only up to that date.
 */
export function agingSpec(): ReportSpec {
  return {
    key: 'aging',
    label: { 'zh-CN': '应收账龄', en: 'Receivables aging' },
    source: 'invoice',
    params: [
      { key: 'asOf', type: 'date', label: { 'zh-CN': '截止日期', en: 'As of' }, default: 'today' },
      { key: 'customer', type: 'number', required: false },
    ],
    let: {
      allocated: {
        rollup: {
          form: 'allocation',
          link: 'invoice',
          agg: 'sum',
          value: { var: 'amount' },
          where: { '<=': [{ var: 'date' }, { param: 'asOf' }] },
        },
      },
      open: { '-': [{ var: 'amount' }, { coalesce: [{ ref: 'allocated' }, 0] }] },
      days_past_due: { days_between: [{ var: 'due_date' }, { param: 'asOf' }] },
    },
    where: {
      and: [
        { '<=': [{ var: 'invoice_date' }, { param: 'asOf' }] },
        { '>': [{ ref: 'open' }, 0] },
        {
          or: [
            { '==': [{ param: 'customer' }, null] },
            { '==': [{ var: 'customer' }, { param: 'customer' }] },
          ],
        },
      ],
    },
    dimensions: [
      { key: 'customer', label: '客户', expr: { var: 'customer.name' } },
      {
        key: 'bucket',
        label: { 'zh-CN': '账龄', en: 'Age' },
        buckets: {
          expr: { ref: 'days_past_due' },
          edges: [0, 30, 60, 90],
          labels: [
            { 'zh-CN': '未到期', en: 'Not due' },
            '1–30',
            '31–60',
            '61–90',
            { 'zh-CN': '90天以上', en: 'Over 90' },
          ],
          fill: true,
        },
      },
    ],
    measures: [
      { key: 'open', label: '未收金额', agg: 'sum', expr: { ref: 'open' }, type: 'money' },
      { key: 'invoices', label: '发票数', agg: 'count' },
    ],
    sort: [{ key: 'open', dir: 'desc' }],
    limit: 10,
  }
}
