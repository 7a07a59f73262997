import type { FormDefinition, PublishedForm, RoleSpec } from '@tessera/core'

/**
 * A small generic app for the permission tests: clients owned by a user and
 * a department, their orders, and payments of those orders.
 */
export const APP = 'sales-book'

export const client: FormDefinition = {
  key: 'client',
  label: { 'zh-CN': '客户', en: 'Client' },
  titleField: 'name',
  fields: [
    { key: 'code', type: 'text', label: { 'zh-CN': '编号', en: 'Code' }, required: true, unique: true },
    { key: 'name', type: 'text', label: { 'zh-CN': '名称', en: 'Name' }, required: true },
    { key: 'owner', type: 'text', label: { 'zh-CN': '负责人', en: 'Owner' } },
    { key: 'dept', type: 'number', integer: true, label: { 'zh-CN': '部门', en: 'Department' } },
    { key: 'secret_note', type: 'text', label: { 'zh-CN': '内部备注', en: 'Internal note' } },
    { key: 'limit', type: 'money', label: { 'zh-CN': '额度', en: 'Limit' } },
  ],
}

export const order: FormDefinition = {
  key: 'order',
  label: { 'zh-CN': '订单', en: 'Order' },
  titleField: 'number',
  fields: [
    { key: 'number', type: 'text', label: { 'zh-CN': '单号', en: 'Number' }, required: true, unique: true },
    { key: 'client', type: 'link', form: 'client', label: { 'zh-CN': '客户', en: 'Client' }, required: true },
    { key: 'amount', type: 'money', label: { 'zh-CN': '金额', en: 'Amount' }, required: true },
  ],
}

export const payment: FormDefinition = {
  key: 'payment',
  label: { 'zh-CN': '付款', en: 'Payment' },
  fields: [
    { key: 'order', type: 'link', form: 'order', label: { 'zh-CN': '订单', en: 'Order' }, required: true },
    { key: 'amount', type: 'money', label: { 'zh-CN': '金额', en: 'Amount' }, required: true },
  ],
}

export const ROLES: RoleSpec[] = [
  {
    key: 'rep',
    label: { 'zh-CN': '销售', en: 'Rep' },
    forms: {
      client: {
        actions: ['read', 'update'],
        rows: { kind: 'own', field: 'owner' },
        fields: { limit: 'readonly', owner: 'readonly', secret_note: 'hidden' },
      },
      order: { actions: ['read', 'create'], rows: { kind: 'via', link: 'client' } },
      payment: { actions: ['read'], rows: { kind: 'via', link: 'order' } },
    },
  },
  {
    key: 'viewer',
    label: '只读',
    forms: {
      client: { actions: ['read'], fields: { limit: 'hidden', secret_note: 'hidden' } },
      order: { actions: ['read'] },
    },
  },
  {
    key: 'lead',
    label: '主管',
    forms: {
      client: { actions: ['read'], rows: { kind: 'department', field: 'dept' } },
      order: { actions: ['read'], rows: { kind: 'department' } },
    },
  },
  {
    key: 'by_name',
    label: '按名称',
    forms: {
      client: {
        actions: ['read', 'create', 'update'],
        rows: { kind: 'custom', rule: { '==': [{ var: 'name' }, { var: '$me.name' }] } },
      },
    },
  },
  {
    key: 'not_my_dept',
    label: '非本部门',
    forms: {
      client: {
        actions: ['read'],
        rows: { kind: 'custom', rule: { '!': { '==': [{ var: 'dept' }, { var: '$me.department' }] } } },
      },
    },
  },
  {
    key: 'author',
    label: '录入员',
    forms: {
      client: { actions: ['read'] },
      order: { actions: ['create', 'read', 'update', 'delete'], rows: { kind: 'own' } },
    },
  },
  { key: 'boss', label: '老板', admin: true },
]

/** A published form without a database, for the checks that need none. */
export function published(definition: FormDefinition): PublishedForm {
  const fields = definition.fields.map((field) => ({
    ...field,
    column: field.column ?? (field.type === 'link' ? `${field.key}_id` : field.key),
  }))
  return {
    app: APP,
    key: definition.key,
    version: 1,
    definition: { ...definition, fields },
    table: { schema: 'sales_book', name: definition.key },
  }
}
